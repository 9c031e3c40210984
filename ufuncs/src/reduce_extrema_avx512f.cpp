// min/max/argmin/argmax kernels compiled for avx512f (flags in ufuncs/CMakeLists.txt); chosen at run
// time by reduce_extrema.cpp.
#define NUMFUSE_REDUCTION_ISA avx512f
#include "reduce_extrema_isa.hpp"

namespace numfuse::reduction {

ReduceLoop extremum_loop_avx512f(ReductionOp op, DType input) {
  return extremum_loop_for_isa<true>(op, input);
}

}  // namespace numfuse::reduction
