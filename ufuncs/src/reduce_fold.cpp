// Kernel lookup for the folding reductions: sum, prod, nansum, mean, nanmean.
#include "numfuse/core/error.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {

ReduceLoop fold_loop(ReductionOp op, DType input, DType acc) {
  return visit_direct_pair<ReduceLoop>(input, acc, [op](auto in_tag, auto acc_tag) -> ReduceLoop {
    using In = decltype(in_tag);
    using Acc = decltype(acc_tag);
    constexpr bool kHasNaN = is_inexact_v<In>;  // nan* of integers is the plain reduction
    switch (op) {
      case ReductionOp::sum: return erase_reduce_kernel<FoldKernel<In, Acc, AddFold>>();
      case ReductionOp::prod: return erase_reduce_kernel<FoldKernel<In, Acc, MultiplyFold>>();
      case ReductionOp::nansum: return erase_reduce_kernel<FoldKernel<In, Acc, AddFold, kHasNaN>>();
      case ReductionOp::mean: return erase_reduce_kernel<MeanKernel<In, Acc, false>>();
      case ReductionOp::nanmean: return erase_reduce_kernel<MeanKernel<In, Acc, kHasNaN>>();
      default: throw_value_error("fold_loop: not a folding reduction");
    }
  });
}

}  // namespace numfuse::reduction
