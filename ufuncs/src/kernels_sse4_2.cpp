// The SIMD kernels for sse4_2, compiled with that instruction set's flags (see CMakeLists.txt).
// Only this file may instantiate them for sse4_2; kernels.cpp picks one arch at run time.
#include "kernel_loops.hpp"

namespace numfuse::ufuncs::detail {

void fill_simd_kernels_sse4_2(KernelTable& table) { fill_simd_kernels<xsimd::sse4_2>(table); }

}  // namespace numfuse::ufuncs::detail
