#include "numfuse/core/indexing.hpp"

#include <array>
#include <cstring>
#include <string>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {

namespace {

// NumPy lists the index shapes that failed to broadcast, leaving out 0-d ones (integers that sit
// beside arrays), each followed by a space.
[[noreturn]] void throw_index_broadcast_error(const std::vector<Array>& indices) {
  std::string msg = "shape mismatch: indexing arrays could not be broadcast together with shapes ";
  for (const Array& idx : indices) {
    if (idx.ndim() > 0) msg += shape_repr(idx.shape()) + " ";
  }
  throw_index_error(msg);
}

Shape broadcast_index_shapes(const std::vector<Array>& indices) {
  std::vector<Shape> shapes;
  for (const Array& idx : indices) shapes.push_back(idx.shape());
  try {
    return broadcast_shapes(shapes);
  } catch (const Error&) {
    throw_index_broadcast_error(indices);
  }
}

// The axes of the view that no index array takes, in order: the sub-array copied per position.
void remaining_axes(const Array& view, const FancyIndex& index, Shape& shape, Strides& strides) {
  std::vector<bool> indexed(view.ndim(), false);
  for (int ax : index.axes) indexed[ax] = true;
  for (int d = 0; d < view.ndim(); ++d) {
    if (!indexed[d]) {
      shape.push_back(view.shape()[d]);
      strides.push_back(view.strides()[d]);
    }
  }
}

}  // namespace

std::vector<int64_t> sub_array_offsets(const Shape& shape, const Strides& strides) {
  const int64_t n = shape_size(shape);
  std::vector<int64_t> out(static_cast<size_t>(n));
  const int nd = static_cast<int>(shape.size());
  std::vector<int64_t> counter(nd, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < n; ++i) {
    out[i] = offset;
    for (int d = nd - 1; d >= 0; --d) {
      offset += strides[d];
      if (++counter[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      counter[d] = 0;
    }
  }
  return out;
}

namespace {

// One element move of a fixed width: compiles to a single load/store pair.
template <size_t Bytes>
void move_elements(std::span<const int64_t> outer, std::span<const int64_t> inner,
                   const std::byte* src_base, std::byte* dst_base, bool gathering) {
  size_t k = 0;
  for (int64_t o : outer) {
    for (int64_t i : inner) {
      if (gathering) std::memcpy(dst_base + k * Bytes, src_base + o + i, Bytes);
      else std::memcpy(dst_base + o + i, src_base + k * Bytes, Bytes);
      ++k;
    }
  }
}

using MoveFn = void (*)(std::span<const int64_t>, std::span<const int64_t>, const std::byte*,
                        std::byte*, bool);

MoveFn move_function(int itemsize) {
  switch (itemsize) {
    case 1: return &move_elements<1>;
    case 2: return &move_elements<2>;
    case 4: return &move_elements<4>;
    case 8: return &move_elements<8>;
    case 16: return &move_elements<16>;
  }
  throw_value_error("unsupported item size " + std::to_string(itemsize));
}

// Shared by gather_bytes and scatter_bytes: `strided` is the indexed array, `packed` the
// C-contiguous one. A contiguous sub-array moves as one block per position.
void move_sub_arrays(std::byte* strided, std::span<const int64_t> outer, const Shape& sub_shape,
                     const Strides& sub_strides, int itemsize, std::byte* packed, bool gathering) {
  const int64_t sub_size = shape_size(sub_shape);
  if (sub_size == 0 || outer.empty()) return;
  if (sub_size > 1 && is_c_contiguous(sub_shape, sub_strides, itemsize)) {
    const auto block = static_cast<size_t>(sub_size * itemsize);
    for (size_t k = 0; k < outer.size(); ++k) {
      if (gathering) std::memcpy(packed + k * block, strided + outer[k], block);
      else std::memcpy(strided + outer[k], packed + k * block, block);
    }
    return;
  }
  std::vector<int64_t> inner = sub_array_offsets(sub_shape, sub_strides);
  MoveFn move = move_function(itemsize);
  if (gathering) move(outer, inner, strided, packed, true);
  else move(outer, inner, packed, strided, false);
}

// The permutation that takes gather's natural (index dims first) layout to NumPy's placement.
std::vector<int> placement(int index_ndim, int sub_ndim, int insert_at) {
  std::vector<int> perm;
  for (int i = 0; i < insert_at; ++i) perm.push_back(index_ndim + i);
  for (int i = 0; i < index_ndim; ++i) perm.push_back(i);
  for (int i = insert_at; i < sub_ndim; ++i) perm.push_back(index_ndim + i);
  return perm;
}

void check_fancy_index(const Array& view, const FancyIndex& index) {
  if (index.axes.size() != index.indices.size() || index.axes.size() != index.error_axes.size()) {
    throw_value_error("fancy index: axes, indices and error_axes must have the same length");
  }
  for (int ax : index.axes) {
    if (ax < 0 || ax >= view.ndim()) throw_index_error("fancy index axis out of range");
  }
  const int sub_ndim = view.ndim() - static_cast<int>(index.axes.size());
  if (index.insert_at < 0 || index.insert_at > sub_ndim) {
    throw_index_error("fancy index: insert_at out of range");
  }
}

}  // namespace

IndexOffsets index_offsets(const Array& view, const FancyIndex& index) {
  check_fancy_index(view, index);
  IndexOffsets out;
  out.shape = broadcast_index_shapes(index.indices);
  Array offsets = Array::empty(out.shape, DType::Int64);
  std::memset(offsets.data(), 0, static_cast<size_t>(offsets.nbytes()));
  for (size_t k = 0; k < index.indices.size(); ++k) {
    const Array& raw = index.indices[k];
    if (!is_integer(raw.dtype())) {
      throw_index_error("arrays used as indices must be of integer (or boolean) type");
    }
    // Any integer dtype is read as int64; uint64 above 2**63 wraps negative exactly as NumPy's
    // cast to intp does, and is then reported out of bounds.
    Array idx = broadcast_to(raw.dtype() == DType::Int64 ? raw : astype(raw, DType::Int64), out.shape);
    const int64_t length = view.shape()[index.axes[k]];
    const int64_t stride = view.strides()[index.axes[k]];
    const int error_axis = index.error_axes[k];
    std::array<std::byte*, 2> ptrs{offsets.data(), idx.data()};
    std::array<const int64_t*, 2> strides{offsets.strides().data(), idx.strides().data()};
    for_each_run<2>(out.shape, ptrs, strides, [&](auto& p, auto& st, int64_t n) {
      for (int64_t j = 0; j < n; ++j) {
        int64_t i;
        std::memcpy(&i, p[1] + j * st[1], sizeof(i));
        if (i < -length || i >= length) {
          throw_index_error("index " + std::to_string(i) + " is out of bounds for axis " +
                            std::to_string(error_axis) + " with size " + std::to_string(length));
        }
        if (i < 0) i += length;
        reinterpret_cast<int64_t*>(p[0] + j * st[0])[0] += i * stride;
      }
    });
  }
  const int64_t* first = offsets.data_as<int64_t>();
  out.offsets.assign(first, first + offsets.size());
  return out;
}

void gather_bytes(const std::byte* base, std::span<const int64_t> outer, const Shape& sub_shape,
                  const Strides& sub_strides, int itemsize, std::byte* out) {
  // The strided side is only read when gathering.
  move_sub_arrays(const_cast<std::byte*>(base), outer, sub_shape, sub_strides, itemsize, out, true);
}

void scatter_bytes(std::byte* base, std::span<const int64_t> outer, const Shape& sub_shape,
                   const Strides& sub_strides, int itemsize, const std::byte* values) {
  // The packed side is only read when scattering.
  move_sub_arrays(base, outer, sub_shape, sub_strides, itemsize, const_cast<std::byte*>(values), false);
}

Array gather(const Array& view, const FancyIndex& index) {
  IndexOffsets positions = index_offsets(view, index);
  Shape sub_shape;
  Strides sub_strides;
  remaining_axes(view, index, sub_shape, sub_strides);
  Shape natural = positions.shape;
  natural.insert(natural.end(), sub_shape.begin(), sub_shape.end());
  if (static_cast<int>(natural.size()) > kMaxDims) {
    throw_index_error("number of dimensions must be within [0, " + std::to_string(kMaxDims) + "]");
  }
  Array out = Array::empty(natural, view.dtype());
  gather_bytes(view.data(), positions.offsets, sub_shape, sub_strides, view.itemsize(), out.data());
  return transpose(out, placement(static_cast<int>(positions.shape.size()),
                                  static_cast<int>(sub_shape.size()), index.insert_at));
}

IndexedWrite plan_indexed_write(const Array& view, const FancyIndex& index, const Array& values,
                                 DType dtype) {
  if (!view.writeable()) throw_value_error("assignment destination is read-only");
  IndexOffsets positions = index_offsets(view, index);
  Shape sub_shape;
  Strides sub_strides;
  remaining_axes(view, index, sub_shape, sub_strides);
  const int index_ndim = static_cast<int>(positions.shape.size());
  const std::vector<int> perm = placement(index_ndim, static_cast<int>(sub_shape.size()), index.insert_at);
  Shape natural = positions.shape;
  natural.insert(natural.end(), sub_shape.begin(), sub_shape.end());
  Shape result_shape(natural.size());
  for (size_t i = 0; i < perm.size(); ++i) result_shape[i] = natural[perm[i]];

  // NumPy drops extra leading length-1 dims of the value, then broadcasts.
  Array v = values;
  while (v.ndim() > static_cast<int>(result_shape.size()) && v.shape()[0] == 1) {
    v = v.with_layout(v.offset(), Shape(v.shape().begin() + 1, v.shape().end()),
                      Strides(v.strides().begin() + 1, v.strides().end()));
  }
  auto compact = [](const Shape& s) {  // NumPy prints these shapes without spaces
    std::string r = shape_repr(s);
    std::string out;
    for (char c : r) if (c != ' ') out += c;
    return out;
  };
  try {
    v = broadcast_to(v, result_shape);
  } catch (const Error&) {
    throw_value_error("shape mismatch: value array of shape " + compact(values.shape()) +
                      " could not be broadcast to indexing result of shape " + compact(result_shape));
  }
  // A packed copy in `dtype`: casts once, and detaches values that alias the view.
  Array packed = Array::empty(natural, dtype);
  copy_into(transpose(packed, perm), v);
  return {std::move(positions.offsets), std::move(sub_shape), std::move(sub_strides), std::move(packed)};
}

void scatter(const Array& view, const FancyIndex& index, const Array& values) {
  const IndexedWrite w = plan_indexed_write(view, index, values, view.dtype());
  view.buffer()->prepare_write();  // pending lazy reads of the view see its old values
  scatter_bytes(view.data(), w.outer, w.sub_shape, w.sub_strides, view.itemsize(), w.packed.data());
}

}  // namespace numfuse
