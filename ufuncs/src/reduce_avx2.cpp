// The wide-ISA reduction kernels for avx2 (reduce_wide_isa.inc).
#define NUMFUSE_REDUCTION_ISA avx2
#include "reduce_wide_isa.inc"
