// Kernel lookup for min, max, nanmin, nanmax, argmin, argmax: one kernel per input dtype.
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/reduce_extrema.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {

ReduceLoop extremum_loop(ReductionOp op, DType input) {
  return visit_dtype(input, [op](auto tag) -> ReduceLoop {
    using T = decltype(tag);
    constexpr bool kHasNaN = is_inexact_v<T>;
    switch (op) {
      case ReductionOp::min: return erase_reduce_kernel<ExtremumKernel<T, false, false>>();
      case ReductionOp::max: return erase_reduce_kernel<ExtremumKernel<T, true, false>>();
      case ReductionOp::nanmin: return erase_reduce_kernel<ExtremumKernel<T, false, kHasNaN>>();
      case ReductionOp::nanmax: return erase_reduce_kernel<ExtremumKernel<T, true, kHasNaN>>();
      case ReductionOp::argmin: return erase_reduce_kernel<ArgExtremumKernel<T, false>>();
      case ReductionOp::argmax: return erase_reduce_kernel<ArgExtremumKernel<T, true>>();
      default: throw_value_error("extremum_loop: not a min/max reduction");
    }
  });
}

}  // namespace numfuse::reduction
