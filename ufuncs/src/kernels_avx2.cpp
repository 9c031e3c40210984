// The SIMD kernels for avx2, compiled with that instruction set's flags (see CMakeLists.txt).
// Only this file may instantiate them for avx2; kernels.cpp picks one arch at run time.
#include "kernel_loops.hpp"

namespace numfuse::ufuncs::detail {

void fill_simd_kernels_avx2(KernelTable& table) { fill_simd_kernels<xsimd::avx2>(table); }

}  // namespace numfuse::ufuncs::detail
