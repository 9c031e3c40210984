// Register-blocked products of small real matrices (up to about 100 on a side), used instead of
// BLAS where a BLAS call's fixed cost (argument checks, operand packing, thread dispatch) is a
// large share of the arithmetic: matmul at n = 64 and batches of 32x32 products. Measured on
// this project's 2-core Zen 5 machines (one thread, AVX2), Debian's OpenBLAS 0.3.21 took 15.5 us
// for a 64x64 float64 product (NumPy's bundled 0.3.31: 14.6 us) that this kernel does in
// 12.6 us, and 2.5 us per 32x32 product of a batch against 1.6 us here. Up to n = 96 it stays
// ahead; at 128 the two tie.
//
// The kernel is compiled for AVX2 + FMA in its own translation unit and chosen at run time; on
// a CPU without them `small_gemm` returns false and the caller goes to BLAS.
#pragma once

#include <cstdint>

namespace numfuse::linalg {

// Products with at most this many multiply-adds take the small kernel when B's rows are
// contiguous (above it OpenBLAS's packed kernels win on one thread).
inline constexpr int64_t kSmallGemmMaxProduct = 96 * 96 * 96;
// With more than one BLAS thread the limit is OpenBLAS's own threading threshold (it runs
// products up to 64^3 multiply-adds on one thread): the kernel only replaces single-threaded work.
inline constexpr int64_t kSmallGemmMaxProductThreaded = 64 * 64 * 64;

// c (m x n, row-major, contiguous) = a (m x k) @ b (k x n). Element (i, p) of a is
// a[i * a_row + p * a_col] (any strides, in elements); row p of b starts at b + p * b_row and is
// contiguous. Returns false (and writes nothing) when the CPU lacks AVX2/FMA.
template <class T>
bool small_gemm(int64_t m, int64_t n, int64_t k, const T* a, int64_t a_row, int64_t a_col,
                const T* b, int64_t b_row, T* c);

// Whether this CPU runs the kernel (AVX2 and FMA).
bool small_gemm_available();

// The AVX2 + FMA kernel (small_gemm_avx2.cpp); call only where the CPU has both.
template <class T>
void small_gemm_avx2(int64_t m, int64_t n, int64_t k, const T* a, int64_t a_row, int64_t a_col,
                     const T* b, int64_t b_row, T* c);

}  // namespace numfuse::linalg
