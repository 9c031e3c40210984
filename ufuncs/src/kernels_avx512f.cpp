// The SIMD kernels for avx512f, compiled with that instruction set's flags (see CMakeLists.txt).
// Only this file may instantiate them for avx512f; kernels.cpp picks one arch at run time.
#include "kernel_loops.hpp"

namespace numfuse::ufuncs::detail {

void fill_simd_kernels_avx512f(KernelTable& table) { fill_simd_kernels<xsimd::avx512f>(table); }

}  // namespace numfuse::ufuncs::detail
