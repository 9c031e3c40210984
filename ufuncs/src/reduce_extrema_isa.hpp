// Private: the min/max/argmin/argmax kernel lookup, compiled once per instruction set
// (reduce_extrema.cpp for the baseline, reduce_avx2.cpp, reduce_avx512f.cpp).
// The including file defines NUMFUSE_REDUCTION_ISA first; see reduce_isa.hpp.
#pragma once

#include "numfuse/ufuncs/reduce_extrema.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

// RealOnly: a wide-ISA build instantiates only the types its SIMD paths speed up (real numbers)
// and returns an empty loop for bool and complex, which the baseline build serves. Nothing here
// throws, so the wide-ISA objects define no out-of-line std::string or exception code that the
// linker could pick for baseline callers.
template <bool RealOnly>
ReduceLoop extremum_loop_for_isa(ReductionOp op, DType input) {
  return visit_dtype(input, [op](auto tag) -> ReduceLoop {
    using T = decltype(tag);
    if constexpr (RealOnly && !kSimdExtremum<T>) {
      return ReduceLoop{};
    } else {
      constexpr bool kHasNaN = is_inexact_v<T>;
      switch (op) {
        case ReductionOp::min: return erase_reduce_kernel<ExtremumKernel<T, false, false>>();
        case ReductionOp::max: return erase_reduce_kernel<ExtremumKernel<T, true, false>>();
        case ReductionOp::nanmin: return erase_reduce_kernel<ExtremumKernel<T, false, kHasNaN>>();
        case ReductionOp::nanmax: return erase_reduce_kernel<ExtremumKernel<T, true, kHasNaN>>();
        case ReductionOp::argmin: return erase_reduce_kernel<ArgExtremumKernel<T, false>>();
        case ReductionOp::argmax: return erase_reduce_kernel<ArgExtremumKernel<T, true>>();
        default: return ReduceLoop{};  // not a min/max op: the caller reports it
      }
    }
  });
}

}  // namespace NUMFUSE_REDUCTION_ISA

// The wide-ISA entry points (defined in reduce_<isa>.cpp).
ReduceLoop extremum_loop_avx2(ReductionOp op, DType input);
ReduceLoop extremum_loop_avx512f(ReductionOp op, DType input);

}  // namespace numfuse::reduction
