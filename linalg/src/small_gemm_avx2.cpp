// The small-matrix product kernel, compiled with -mavx2 -mfma (linalg/CMakeLists.txt). Every
// helper here has internal linkage and no standard-library header with inline functions is
// included: an AVX2-compiled copy of an inline function shared with other files could be the one
// the linker keeps, and then run on a CPU without AVX2.
//
// C is computed in blocks of kRows rows x kVecs vectors: the block's accumulators stay in
// registers while p runs over k, each step loading kVecs vectors of b's row p and broadcasting
// one element of a per row (one fused multiply-add per accumulator). Leftover columns take one
// 2-vector block, then single vectors, then a scalar loop; leftover rows the same loops one row
// at a time.
#include <cstdint>

#include "small_gemm.hpp"

namespace numfuse::linalg {

namespace {

constexpr int kVectorBytes = 32;  // one AVX2 register
constexpr int kRows = 4;          // 4 rows x 3 vectors: 12 accumulators + 3 of b + 1 of a = 16 registers
constexpr int kVecs = 3;

template <class T>
struct Simd {
  typedef T Vec __attribute__((vector_size(kVectorBytes)));
  static constexpr int kLanes = kVectorBytes / sizeof(T);
  static Vec load(const T* p) {
    Vec v;
    __builtin_memcpy(&v, p, sizeof(Vec));
    return v;
  }
  static void store(T* p, Vec v) { __builtin_memcpy(p, &v, sizeof(Vec)); }
};

// c[R rows x V vectors] = a[R rows] @ b[:, V vectors]; R and V fixed so the loops unroll fully.
template <class T, int R, int V>
inline void block(int64_t k, const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row,
                  T* c, int64_t ldc) {
  using S = Simd<T>;
  typename S::Vec acc[R][V] = {};
  for (int64_t p = 0; p < k; ++p) {
    typename S::Vec bv[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) bv[v] = S::load(b + p * b_row + v * S::kLanes);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const T x = a[r * a_row + p * a_col];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] += x * bv[v];
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) S::store(c + r * ldc + v * S::kLanes, acc[r][v]);
  }
}

// R rows of c: full-width blocks, then at most one 2-vector block (64 float32 columns = 2 x 24 +
// 16: one block of 16 instead of two of 8 took 7.0 -> 5.9 us), single vectors, the scalar tail.
template <class T, int R>
inline void row_panel(int64_t n, int64_t k, const T* a, int64_t a_row, int64_t a_col, const T* b,
                      int64_t b_row, T* c) {
  constexpr int64_t lanes = Simd<T>::kLanes;
  int64_t j = 0;
  for (; j + kVecs * lanes <= n; j += kVecs * lanes) block<T, R, kVecs>(k, a, a_row, a_col, b + j, b_row, c + j, n);
  if (j + 2 * lanes <= n) {
    block<T, R, 2>(k, a, a_row, a_col, b + j, b_row, c + j, n);
    j += 2 * lanes;
  }
  for (; j + lanes <= n; j += lanes) block<T, R, 1>(k, a, a_row, a_col, b + j, b_row, c + j, n);
  for (; j < n; ++j) {
    for (int r = 0; r < R; ++r) {
      T sum = 0;
      for (int64_t p = 0; p < k; ++p) sum += a[r * a_row + p * a_col] * b[p * b_row + j];
      c[r * n + j] = sum;
    }
  }
}

}  // namespace

template <class T>
void small_gemm_avx2(int64_t m, int64_t n, int64_t k, const T* a, int64_t a_row, int64_t a_col,
                     const T* b, int64_t b_row, T* c) {
  int64_t i = 0;
  for (; i + kRows <= m; i += kRows) row_panel<T, kRows>(n, k, a + i * a_row, a_row, a_col, b, b_row, c + i * n);
  for (; i < m; ++i) row_panel<T, 1>(n, k, a + i * a_row, a_row, a_col, b, b_row, c + i * n);
}

template void small_gemm_avx2<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t,
                                     const float*, int64_t, float*);
template void small_gemm_avx2<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t,
                                      const double*, int64_t, double*);

}  // namespace numfuse::linalg
