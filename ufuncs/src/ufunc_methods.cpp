#include "numfuse/ufuncs/ufunc_methods.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "numfuse/core/buffer.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/ufuncs/kernels.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::ufuncs {

namespace {

Kernel kernel_for(OpId op, DType loop) {
  Kernel k = find_kernel(op, loop);
  if (k == nullptr) {
    throw_type_error("ufunc '" + std::string(op_info(op).name) + "' has no loop for " +
                     std::string(name(loop)));
  }
  return k;
}

// rows as a C-contiguous (n, m) block of `loop` elements (a copy only when it is not one already).
Array packed_rows(const Array& rows, DType loop) {
  if (rows.ndim() == 0) throw_value_error("ufunc fold: rows must have at least one axis");
  return rows.dtype() == loop && rows.is_c_contiguous() ? rows : astype(rows, loop, MemoryOrder::C);
}

int64_t row_length(const Array& rows) {
  return rows.shape()[0] == 0 ? 0 : rows.size() / rows.shape()[0];
}

// fn(first column, end column) over [0, m): one range per thread when the work is large, cut at
// multiples of 64 columns so that the kernels' SIMD blocks line up the same on any thread count.
template <class Fn>
void for_column_ranges(int64_t m, int64_t work, Fn&& fn) {
  constexpr int64_t kParallelWork = int64_t{1} << 16;
  const int threads = parallel_threads();
  const int64_t blocks = (m + 63) / 64;
  const int tasks = work < kParallelWork || threads < 2 ? 1 : static_cast<int>(std::min<int64_t>(threads, blocks));
  if (tasks <= 1) {
    fn(int64_t{0}, m);
    return;
  }
  parallel_for(tasks, [&](int t) {
    const int64_t c0 = std::min(m, blocks * t / tasks * 64);
    const int64_t c1 = std::min(m, blocks * (t + 1) / tasks * 64);
    if (c0 < c1) fn(c0, c1);
  });
}

// acc[j] = op(acc[j], row[j]) for j < width: one kernel call (acc is both input 0 and output,
// element for element, which every kernel allows: out = in is how `a += b` runs).
inline void fold_row(Kernel k, std::byte* acc, const std::byte* row, int64_t itemsize, int64_t width) {
  const std::array<const std::byte*, 2> in{acc, row};
  const std::array<int64_t, 2> strides{itemsize, itemsize};
  k(in.data(), strides.data(), acc, itemsize, width);
}

// The positions of the current run of `at`: open addressing over 1024 slots, emptied in O(1) by
// a new generation (a run holds at most 256, so probes stay short).
class RunSet {
 public:
  void clear() { ++generation_; }
  // False if `p` is already in the set; otherwise adds it.
  bool insert(int64_t p) {
    auto h = static_cast<uint64_t>(p) * 0x9E3779B97F4A7C15ull;
    for (size_t i = h >> 54;; i = (i + 1) & (kSlots - 1)) {
      Slot& s = slots_[i];
      if (s.generation != generation_) {
        s = {p, generation_};
        return true;
      }
      if (s.position == p) return false;
    }
  }

 private:
  static constexpr size_t kSlots = 1024;
  struct Slot {
    int64_t position = 0;
    uint64_t generation = 0;
  };
  std::array<Slot, kSlots> slots_{};
  uint64_t generation_ = 0;
};

}  // namespace

Array fold_segments(OpId op, DType loop, const Array& rows, std::span<const int64_t> starts,
                    std::span<const int64_t> ends, const std::optional<Array>& initial,
                    const std::optional<Array>& where) {
  const Kernel k = kernel_for(op, loop);
  const Array src = packed_rows(rows, loop);
  if (where && !initial) throw_value_error("ufunc fold: where= needs a start value");
  const std::optional<Array> mask =
      where ? std::optional<Array>(packed_rows(broadcast_to(*where, src.shape()), DType::Bool)) : std::nullopt;
  const int64_t n = src.shape()[0];
  const int64_t m = row_length(src);
  const auto segments = static_cast<int64_t>(starts.size());
  if (ends.size() != starts.size()) throw_value_error("ufunc fold: starts and ends differ in length");
  for (int64_t s : starts) {
    if (s < 0 || s >= n) throw_index_error("ufunc fold: segment start out of range");
  }
  Shape shape = src.shape();
  shape[0] = segments;
  Array out = Array::empty(shape, loop);
  const std::optional<Array> init = initial ? std::optional<Array>(astype(*initial, loop)) : std::nullopt;
  const int64_t isz = itemsize(loop);
  const std::byte* base = src.data();
  std::byte* out_base = out.data();
  for_column_ranges(m, n * m, [&](int64_t c0, int64_t c1) {
    const int64_t width = c1 - c0;
    for (int64_t s = 0; s < segments; ++s) {
      std::byte* acc = out_base + (s * m + c0) * isz;
      const int64_t start = starts[s];
      const int64_t end = std::min(ends[s], n);
      int64_t next = start + 1;
      if (init && end > start) {
        for (int64_t j = 0; j < width; ++j) std::memcpy(acc + j * isz, init->data(), isz);
        next = start;
      } else {
        std::memcpy(acc, base + (start * m + c0) * isz, width * isz);
      }
      if (!mask) {
        for (int64_t r = next; r < end; ++r) fold_row(k, acc, base + (r * m + c0) * isz, isz, width);
        continue;
      }
      // where=: a row's element joins the fold only where the mask is true.
      std::vector<std::byte> folded(static_cast<size_t>(width * isz));
      for (int64_t r = next; r < end; ++r) {
        std::memcpy(folded.data(), acc, width * isz);
        fold_row(k, folded.data(), base + (r * m + c0) * isz, isz, width);
        const auto* keep = reinterpret_cast<const bool*>(mask->data()) + r * m + c0;
        for (int64_t j = 0; j < width; ++j) {
          if (keep[j]) std::memcpy(acc + j * isz, folded.data() + j * isz, isz);
        }
      }
    }
  });
  return out;
}

Array fold_accumulate(OpId op, DType loop, const Array& rows) {
  const Kernel k = kernel_for(op, loop);
  if (rows.ndim() == 0) throw_value_error("ufunc fold: rows must have at least one axis");
  Array out = astype(rows, loop, MemoryOrder::C);
  const int64_t n = out.shape()[0];
  const int64_t m = row_length(out);
  const int64_t isz = itemsize(loop);
  std::byte* base = out.data();
  for_column_ranges(m, n * m, [&](int64_t c0, int64_t c1) {
    for (int64_t r = 1; r < n; ++r) {
      // row r = op(row r-1, row r): input 0 is the previous row, input 1 and the output row r.
      const std::array<const std::byte*, 2> in{base + ((r - 1) * m + c0) * isz, base + (r * m + c0) * isz};
      const std::array<int64_t, 2> strides{isz, isz};
      k(in.data(), strides.data(), base + (r * m + c0) * isz, isz, c1 - c0);
    }
  });
  return out;
}

void apply_at(OpId op, DType loop, DType result, const Array& view, const FancyIndex& index,
              const std::optional<Array>& values) {
  const Kernel k = kernel_for(op, loop);
  // A unary op has no values: a 0-d placeholder gives the positions the same plan.
  const IndexedWrite w = plan_indexed_write(view, index, values ? *values : scalar_array_int(0, loop), loop);
  std::vector<int64_t> positions;
  const std::vector<int64_t> inner = sub_array_offsets(w.sub_shape, w.sub_strides);
  positions.reserve(w.outer.size() * inner.size());
  for (int64_t o : w.outer) {
    for (int64_t i : inner) positions.push_back(o + i);
  }
  const CastFn load = cast_function(view.dtype(), loop);
  const CastFn store = cast_function(result, view.dtype());
  const int64_t isz = itemsize(loop);
  const int64_t rsz = itemsize(result);
  const int64_t value_stride = op_info(op).arity > 1 ? isz : 0;
  view.buffer()->prepare_write();  // pending lazy reads of the view see its old values
  std::byte* base = view.data();
  // Runs of up to 256 positions without a repeat are one gather / kernel call / scatter; a run
  // ends before a position it already holds, so a repeated index sees the previous update (the
  // same kernel either way: values do not depend on where runs end).
  constexpr int64_t kRun = 256;
  std::vector<std::byte> current(static_cast<size_t>(kRun * isz)), updated(static_cast<size_t>(kRun * rsz));
  RunSet seen;
  const auto total = static_cast<int64_t>(positions.size());
  for (int64_t first = 0; first < total;) {
    seen.clear();
    int64_t run = 0;
    while (run < kRun && first + run < total && seen.insert(positions[first + run])) ++run;
    const int64_t* pos = positions.data() + first;
    for (int64_t j = 0; j < run; ++j) load(base + pos[j], 0, current.data() + j * isz, 0, 1);
    const std::array<const std::byte*, 2> in{current.data(), w.packed.data() + first * value_stride};
    const std::array<int64_t, 2> strides{isz, value_stride};
    k(in.data(), strides.data(), updated.data(), rsz, run);
    for (int64_t j = 0; j < run; ++j) store(updated.data() + j * rsz, 0, base + pos[j], 0, 1);
    first += run;
  }
}

}  // namespace numfuse::ufuncs
