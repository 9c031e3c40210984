// Kernel lookup for the folding reductions: sum, prod, nansum, mean, nanmean, from the widest
// instruction set the CPU has (reduce_dispatch.hpp), the baseline build for complex types.
#include "numfuse/core/error.hpp"
#include "reduce_dispatch.hpp"
#include "reduce_fold_isa.hpp"

namespace numfuse::reduction {

ReduceLoop fold_loop(ReductionOp op, DType input, DType acc) {
  const bool fold = op == ReductionOp::sum || op == ReductionOp::prod || op == ReductionOp::nansum ||
                    op == ReductionOp::mean || op == ReductionOp::nanmean;
  if (!fold) throw_value_error("fold_loop: not a folding reduction");
  return widest_loop(
      [&](ReductionIsa isa) {
        return isa == ReductionIsa::Avx512f ? fold_loop_avx512f(op, input, acc) : fold_loop_avx2(op, input, acc);
      },
      [&] { return fold_loop_for_isa<false>(op, input, acc); });
}

}  // namespace numfuse::reduction
