// The reduction kernels SIMD speeds up (min/max/argmin/argmax, sum/prod/mean and their nan
// variants over real dtypes) compiled for avx2 (flags in ufuncs/CMakeLists.txt), in their own
// kernel namespace (reduce_isa.hpp); reduce_dispatch.hpp picks the widest build at run time.
#define NUMFUSE_REDUCTION_ISA avx2
#include "reduce_extrema_isa.hpp"
#include "reduce_fold_isa.hpp"

namespace numfuse::reduction {

ReduceLoop extremum_loop_avx2(ReductionOp op, DType input) { return extremum_loop_for_isa<true>(op, input); }

ReduceLoop fold_loop_avx2(ReductionOp op, DType input, DType acc) {
  return fold_loop_for_isa<true>(op, input, acc);
}

}  // namespace numfuse::reduction
