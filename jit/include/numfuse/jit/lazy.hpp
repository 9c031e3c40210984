// The lazy API the Python layer calls: record ops, force evaluation, statistics and threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/jit/graph.hpp"
#include "numfuse/ufuncs/elementwise.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse::jit {

// Records `op` over `inputs` (with NumPy 2 weak-scalar promotion) and returns its result, a
// pending array; shape and dtype errors are raised here. With `out`, the result is written into
// it (in place, lazily when that is safe, otherwise at once) and `out` is returned. Falls back to
// eager evaluation when laziness is off.
Array apply(ufuncs::OpId op, const std::vector<ufuncs::Operand>& inputs,
            const std::optional<Array>& out);

// Records a copy of `pattern` (an Elementwise or Cast node: op, dtypes, shape) over `inputs`
// (leaves from input_node, or pending nodes): what a replayed @nf.jit trace records, whose key
// fixes dtypes and shapes, so nothing is resolved again. Its pending count is
// pattern.pending_size plus that of the pending inputs not flagged in `counted_inputs` (bit k:
// input k's graph is counted in pattern.pending_size already). With `result`, the node's result
// is handed out there (a pending array); without, nobody holds it: an intermediate that fuses
// into its readers. The caller holds the graph lock. The inputs are moved from.
NodePtr record_like(const Node& pattern, std::span<NodePtr> inputs, uint32_t counted_inputs,
                    Array* result);

// A read-only 0-d array holding `value` (itemsize(dtype) bytes), shared by every op that writes
// the same constant: Python scalars in expressions come through here.
Array constant(DType dtype, const void* value);

// A pending 2-D array (`shape`) whose rows `produce_rows` computes when it is evaluated: linalg's
// matrix products. Forced alone it fills its own memory; read by an elementwise expression whose
// result nobody else holds, the rows are produced in panels (of at least `min_panel_rows` rows,
// sized to the last-level cache) and the expression runs over each panel while it is in cache.
// `reads` are the arrays the callback reads: writing into them first evaluates the node.
Array produced(const Shape& shape, DType dtype, RowProducer produce_rows, int64_t min_panel_rows,
               const std::vector<Array>& reads);

// Panels of a Produced node are sized to this many bytes (default: a quarter of the last-level cache).
// Returns the previous value (tests lower it).
int64_t set_product_panel_bytes(int64_t bytes);

// a.astype(dtype) as a pending C-ordered array (a Cast node that fuses like an op).
Array cast(const Array& a, DType dtype);

// Full reduction (axis=None, no dtype=/out=) of a pending elementwise expression, fused into the
// expression's pass: returns a pending 0-d array, or nullopt when there is nothing to fuse (the
// input is not pending) or the reduction is not fused (arg*, var/std, nan-reductions that warn):
// then the caller reduces eagerly.
std::optional<Array> reduce_all(ReductionOp op, const Array& input);

// The same over the given axes (normalized, sorted; keepdims keeps them as length 1): a pending
// array whose evaluation folds the expression's blocks into per-element states (one state array
// per thread, combined in order).
std::optional<Array> reduce_axes(ReductionOp op, const Array& input, const std::vector<int>& axes,
                                 bool keepdims);

// Runs all pending work the arrays depend on, computing arrays of one shape in a single pass.
void evaluate(const std::vector<Array>& arrays);

// Runs every pending op recorded so far that someone still holds (nf.errstate's boundaries:
// ops recorded outside a block are evaluated under the outer floating-point error modes).
void evaluate_all();

bool lazy_enabled();
void set_lazy_enabled(bool enabled);

struct JitStats {
  uint64_t nodes_recorded = 0;
  uint64_t groups_run = 0;
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  uint64_t eager_fallbacks = 0;
  double build_seconds = 0;   // time spent building programs (cache misses)
  double run_seconds = 0;     // time spent running groups
};
JitStats stats();
void reset_stats();

// Threads used to run fused groups (default: the machine's cores).
void set_num_threads(int n);
int num_threads();

// The binding layer installs this so the GIL is released while a group runs; it must call f.
void set_blocking_section(std::function<void(const std::function<void()>&)> run_released);

}  // namespace numfuse::jit
