// Kernel lookup for any and all: one kernel per input dtype (nonzero test on load).
#include "numfuse/core/error.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {

ReduceLoop logical_loop(ReductionOp op, DType input) {
  return visit_dtype(input, [op](auto tag) -> ReduceLoop {
    using T = decltype(tag);
    if (op == ReductionOp::any) return erase_reduce_kernel<LogicalKernel<T, false>>();
    if (op == ReductionOp::all) return erase_reduce_kernel<LogicalKernel<T, true>>();
    throw_value_error("logical_loop: not any/all");
  });
}

}  // namespace numfuse::reduction
