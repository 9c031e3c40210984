// Run-time choice of the small-matrix product kernel (see small_gemm.hpp). This file is compiled
// for the baseline CPU; only small_gemm_avx2.cpp is compiled with AVX2 instructions.
#include "small_gemm.hpp"

namespace numfuse::linalg {

bool small_gemm_available() {
  // GCC's check also asks the OS whether it saves the YMM registers.
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

template <class T>
bool small_gemm(int64_t m, int64_t n, int64_t k, const T* a, int64_t a_row, int64_t a_col,
                const T* b, int64_t b_row, T* c) {
  if (!small_gemm_available()) return false;
  small_gemm_avx2<T>(m, n, k, a, a_row, a_col, b, b_row, c);
  return true;
}

template bool small_gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t,
                                const float*, int64_t, float*);
template bool small_gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t,
                                 const double*, int64_t, double*);

}  // namespace numfuse::linalg
