// Kernel lookup for var and std: accumulators are float or complex (the mean's dtype).
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/reduce_moments.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {

ReduceLoop moment_loop(ReductionOp op, DType input, DType acc) {
  return visit_direct_pair<ReduceLoop>(input, acc, [op](auto in_tag, auto acc_tag) -> ReduceLoop {
    using In = decltype(in_tag);
    using Acc = decltype(acc_tag);
    if constexpr (!is_inexact_v<Acc>) {
      return ReduceLoop{};  // the engine only asks for float/complex accumulators
    } else {
      if (op == ReductionOp::var) return erase_reduce_kernel<VarianceKernel<In, Acc, false>>();
      if (op == ReductionOp::std) return erase_reduce_kernel<VarianceKernel<In, Acc, true>>();
      throw_value_error("moment_loop: not var/std");
    }
  });
}

}  // namespace numfuse::reduction
