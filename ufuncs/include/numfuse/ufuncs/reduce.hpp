// Eager reductions over whole arrays: sum(a, axis=(0, 2), keepdims=True), a.cumsum(1), ...
//
// The engine walks the input in memory order with the core's nd-iteration. Each innermost run
// either lies along reduced axes (one state accumulates the whole run: the contiguous-inner-axis
// fast path, and one pairwise sum for a contiguous full reduction, as in NumPy) or along a kept
// axis (a row of states accumulates a row of the input, vectorized, instead of striding down a
// column). The per-op work is done by the block kernels of reduce_kernels.hpp & co.
#pragma once

#include <optional>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/ufuncs/reduce_kernels.hpp"
#include "numfuse/ufuncs/reduce_loop.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse {

struct ReduceOptions {
  std::optional<std::vector<int64_t>> axes;  // nullopt: every axis; may be negative
  bool keepdims = false;
  std::optional<DType> dtype;                // dtype=
  std::optional<Array> out;                  // out=: must have the result's shape
  std::optional<Array> initial;              // initial=: a 0-d value folded in first
  double ddof = 0;                           // var, std
};

struct ReduceResult {
  Array value;                 // `*options.out` when given
  reduction::ReduceFlags flags;   // conditions NumPy warns about (the caller warns)
};

// Any entry of kind Reduction. Errors as NumPy raises them: AxisError for an axis out of range,
// ValueError for a repeated axis, for an empty reduction without identity, or for a bad out=.
ReduceResult reduce(ReductionOp op, const Array& a, const ReduceOptions& options);

// cumsum, cumprod along `axis` (nullopt: over the flattened array, C order).
Array cumulative(ReductionOp op, const Array& a, std::optional<int64_t> axis,
                 std::optional<DType> dtype, const std::optional<Array>& out);

// What reduce() does for a full reduction of a non-empty `input` without dtype=/out=/initial=:
// the input is cast to `kernel_input` (when it differs) and folded by `loop`, whose finalize
// writes a `result`. For the fused interpreter, which feeds the kernel block by block.
struct FullReductionPlan {
  DType kernel_input;
  DType result;
  reduction::ReduceLoop loop;
};
FullReductionPlan plan_full_reduction(ReductionOp op, DType input);

// Normalizes axes against ndim into a sorted list (AxisError / "duplicate value in 'axis'").
std::vector<int> normalize_reduction_axes(const std::vector<int64_t>& axes, int ndim);

}  // namespace numfuse
