// Boolean-mask work: counting, nonzero coordinates, and the one-pass a[mask] / a[mask] = v that
// NumPy uses when a single mask covers the whole array (no index arrays needed).
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <type_traits>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/indexing.hpp"
#include "numfuse/core/nditer.hpp"

namespace numfuse {

namespace {

// Bool elements are read as bytes: memory from NumPy may hold any non-zero byte for true.
template <class T>
using Stored = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;

template <class T>
bool is_nonzero_at(const std::byte* p) {
  Stored<T> v;
  std::memcpy(&v, p, sizeof(v));
  return v != Stored<T>{};
}


// Calls row(ptrs, inner strides, length) for every innermost row of `shape`, in C order (unlike
// for_each_run, which may reorder axes): mask selection must produce elements in C order.
template <size_t N, class Row>
void for_each_row_c_order(const Shape& shape, std::array<const std::byte*, N> ptrs,
                          const std::array<const Strides*, N>& strides, Row&& row) {
  const int nd = static_cast<int>(shape.size());
  int64_t rows = 1;
  for (int d = 0; d + 1 < nd; ++d) rows *= shape[d];
  const int64_t length = nd ? shape[nd - 1] : 1;
  if (length == 0 || rows == 0) return;
  std::array<int64_t, N> inner{};
  for (size_t k = 0; k < N; ++k) inner[k] = nd ? (*strides[k])[nd - 1] : 0;
  std::vector<int64_t> counter(nd, 0);
  for (int64_t r = 0; r < rows; ++r) {
    row(ptrs, inner, length);
    for (int d = nd - 2; d >= 0; --d) {
      for (size_t k = 0; k < N; ++k) ptrs[k] += (*strides[k])[d];
      if (++counter[d] < shape[d]) break;
      for (size_t k = 0; k < N; ++k) ptrs[k] -= (*strides[k])[d] * shape[d];
      counter[d] = 0;
    }
  }
}

// target = selected ? value : target, without a branch: every element is rewritten, with itself
// where the mask is false (a random mask would otherwise mispredict half the time).
template <size_t Bytes>
void blend_element(std::byte* target, const std::byte* value, bool selected) {
  constexpr size_t kWord = Bytes < 8 ? Bytes : 8;
  using Word = std::conditional_t<kWord == 1, uint8_t,
               std::conditional_t<kWord == 2, uint16_t,
               std::conditional_t<kWord == 4, uint32_t, uint64_t>>>;
  const Word take = static_cast<Word>(Word{0} - static_cast<Word>(selected));  // all ones or zero
  for (size_t k = 0; k < Bytes; k += kWord) {
    Word t, v;
    std::memcpy(&t, target + k, kWord);
    std::memcpy(&v, value + k, kWord);
    t = static_cast<Word>((t & static_cast<Word>(~take)) | (v & take));
    std::memcpy(target + k, &t, kWord);
  }
}

// Moves one element per true mask entry; Bytes is the element size (one loop per size, not per
// dtype). Gathering packs selected elements of `strided` into `packed`; scattering does the
// reverse, or repeats packed[0] when `broadcast_one`.
template <size_t Bytes>
void mask_move(const Array& strided, const Array& mask, std::byte* packed, bool gathering,
               bool broadcast_one) {
  std::byte* out = packed;
  for_each_row_c_order<2>(strided.shape(), {strided.data(), mask.data()},
                          {&strided.strides(), &mask.strides()},
                          [&](auto& p, auto& st, int64_t n) {
    auto* elements = const_cast<std::byte*>(p[0]);
    for (int64_t j = 0; j < n; ++j) {
      uint8_t selected;
      std::memcpy(&selected, p[1] + j * st[1], 1);
      if (gathering) {
        // Branch-free: always copy, advance the output only past selected elements.
        std::memcpy(out, elements + j * st[0], Bytes);
        out += selected ? Bytes : 0;
      } else {
        blend_element<Bytes>(elements + j * st[0], out, selected != 0);
        if (!broadcast_one) out += selected ? Bytes : 0;
      }
    }
  });
}

using MaskMoveFn = void (*)(const Array&, const Array&, std::byte*, bool, bool);

MaskMoveFn mask_move_function(int itemsize) {
  switch (itemsize) {
    case 1: return &mask_move<1>;
    case 2: return &mask_move<2>;
    case 4: return &mask_move<4>;
    case 8: return &mask_move<8>;
    case 16: return &mask_move<16>;
  }
  throw_value_error("unsupported item size " + std::to_string(itemsize));
}

void check_mask(const Array& a, const Array& mask) {
  if (mask.dtype() != DType::Bool) throw_index_error("a mask must be a boolean array");
  if (mask.shape() != a.shape()) {
    throw_index_error("boolean index shape " + shape_repr(mask.shape()) +
                      " does not match the indexed array's shape " + shape_repr(a.shape()));
  }
}

}  // namespace

int64_t count_nonzero(const Array& a) {
  return visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using S = Stored<T>;
    int64_t count = 0;
    std::array<std::byte*, 1> ptrs{a.data()};
    std::array<const int64_t*, 1> strides{a.strides().data()};
    for_each_run<1>(a.shape(), ptrs, strides, [&](auto& p, auto& st, int64_t n) {
      if (st[0] == sizeof(S)) {  // typed contiguous loop: the compiler vectorizes it
        const S* q = reinterpret_cast<const S*>(p[0]);
        // Narrow accumulators in bounded blocks vectorize far better than one int64 sum.
        constexpr int64_t kBlock = 1 << 16;
        for (int64_t j0 = 0; j0 < n; j0 += kBlock) {
          const int64_t end = std::min(n, j0 + kBlock);
          uint32_t block_count = 0;
          for (int64_t j = j0; j < end; ++j) block_count += q[j] != S{};
          count += block_count;
        }
      } else {
        for (int64_t j = 0; j < n; ++j) count += is_nonzero_at<T>(p[0] + j * st[0]);
      }
    });
    return count;
  });
}

std::vector<Array> nonzero(const Array& a) {
  if (a.ndim() == 0) {
    throw_value_error("Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.");
  }
  const int nd = a.ndim();
  const int64_t found = count_nonzero(a);
  // One (found, nd) table whose columns are the results: NumPy's layout (strides nd * 8). One
  // spare row lets the loop below write every candidate unconditionally (no branch per element).
  Array table = Array::empty({found + 1, nd}, DType::Int64);
  std::vector<Array> coords;
  for (int d = 0; d < nd; ++d) {
    coords.push_back(table.with_layout(table.offset() + d * int64_t{sizeof(int64_t)}, {found},
                                       {nd * int64_t{sizeof(int64_t)}}));
  }
  if (found == 0) return coords;
  int64_t* next = table.data_as<int64_t>();
  const int64_t rows = a.size() / a.shape()[nd - 1];
  const int64_t row_length = a.shape()[nd - 1];
  const int64_t step = a.strides()[nd - 1];
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::vector<int64_t> counter(nd, 0);  // index of the current row (last entry unused)
    const std::byte* row = a.data();
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < row_length; ++j) {
        const bool hit = is_nonzero_at<T>(row + j * step);
        for (int d = 0; d < nd - 1; ++d) next[d] = counter[d];
        next[nd - 1] = j;
        next += hit ? nd : 0;
      }
      for (int d = nd - 2; d >= 0; --d) {  // advance the row odometer
        row += a.strides()[d];
        if (++counter[d] < a.shape()[d]) break;
        row -= a.strides()[d] * a.shape()[d];
        counter[d] = 0;
      }
    }
  });
  return coords;
}


Array mask_gather(const Array& a, const Array& mask) {
  check_mask(a, mask);
  const int64_t count = count_nonzero(mask);
  // One spare element: the branch-free loop writes each candidate before deciding to keep it.
  Array packed = Array::empty({count + 1}, a.dtype());
  mask_move_function(a.itemsize())(a, mask, packed.data(), true, false);
  return packed.with_layout(packed.offset(), {count}, {a.itemsize()});
}

void mask_scatter(const Array& a, const Array& mask, const Array& values) {
  if (!a.writeable()) throw_value_error("assignment destination is read-only");
  check_mask(a, mask);
  const int64_t count = count_nonzero(mask);
  const bool one = values.size() == 1;
  if (values.ndim() > 1) {
    throw_type_error("NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, "
                     "input has " + std::to_string(values.ndim()) + " dimensions");
  }
  if (!one && values.size() != count) {
    throw_value_error("NumPy boolean array indexing assignment cannot assign " +
                      std::to_string(values.size()) + " input values to the " +
                      std::to_string(count) + " output values where the mask is true");
  }
  if (count == 0) return;
  // Packed in a's dtype: casts once, and detaches values that alias a. One spare element: the
  // branch-free blend reads the next value even past the last selected element.
  const int64_t used = one ? 1 : count;
  Array storage = Array::empty({used + 1}, a.dtype());
  Array packed = storage.with_layout(storage.offset(), {used}, {a.itemsize()});
  copy_into(packed, one ? values.with_layout(values.offset(), {1}, {0}) : values);
  if (count == a.size()) {  // every element selected: a plain strided copy
    copy_into(a, one ? packed.with_layout(packed.offset(), {}, {})
                     : packed.with_layout(packed.offset(), a.shape(), c_strides(a.shape(), a.itemsize())));
    return;
  }
  a.buffer()->prepare_write();  // pending lazy reads of a see its old values
  mask_move_function(a.itemsize())(a, mask, packed.data(), false, one);
}

}  // namespace numfuse
