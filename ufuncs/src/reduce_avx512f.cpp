// The wide-ISA reduction kernels for avx512f (reduce_wide_isa.inc).
#define NUMFUSE_REDUCTION_ISA avx512f
#include "reduce_wide_isa.inc"
