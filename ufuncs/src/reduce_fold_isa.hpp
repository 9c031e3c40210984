// Private: the folding reductions' kernel lookup (sum, prod, nansum, mean, nanmean), compiled
// once per instruction set (reduce_fold.cpp for the baseline, reduce_avx2.cpp, reduce_avx512f.cpp).
// The including file defines NUMFUSE_REDUCTION_ISA first; see reduce_isa.hpp.
#pragma once

#include "reduce_loop.hpp"

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

// RealOnly: a wide-ISA build instantiates real input and accumulator types only (what its SIMD
// units speed up) and returns an empty loop for complex ones, which the baseline build serves.
// An empty loop also answers an op that is not a fold: the caller reports it.
template <bool RealOnly>
ReduceLoop fold_loop_for_isa(ReductionOp op, DType input, DType acc) {
  return visit_direct_pair<ReduceLoop>(input, acc, [op](auto in_tag, auto acc_tag) -> ReduceLoop {
    using In = decltype(in_tag);
    using Acc = decltype(acc_tag);
    if constexpr (RealOnly && (is_complex_v<In> || is_complex_v<Acc>)) {
      return ReduceLoop{};
    } else {
      constexpr bool kHasNaN = is_inexact_v<In>;  // nan* of integers is the plain reduction
      switch (op) {
        case ReductionOp::sum: return erase_reduce_kernel<FoldKernel<In, Acc, AddFold>>();
        case ReductionOp::prod: return erase_reduce_kernel<FoldKernel<In, Acc, MultiplyFold>>();
        case ReductionOp::nansum: return erase_reduce_kernel<FoldKernel<In, Acc, AddFold, kHasNaN>>();
        case ReductionOp::mean: return erase_reduce_kernel<MeanKernel<In, Acc, false>>();
        case ReductionOp::nanmean: return erase_reduce_kernel<MeanKernel<In, Acc, kHasNaN>>();
        default: return ReduceLoop{};
      }
    }
  });
}

}  // namespace NUMFUSE_REDUCTION_ISA

// The wide-ISA entry points (reduce_avx2.cpp, reduce_avx512f.cpp).
ReduceLoop fold_loop_avx2(ReductionOp op, DType input, DType acc);
ReduceLoop fold_loop_avx512f(ReductionOp op, DType input, DType acc);

}  // namespace numfuse::reduction
