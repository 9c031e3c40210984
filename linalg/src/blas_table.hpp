// BLAS routines by element type: one struct per routine family, one specialization per
// precision (s/d/c/z), so kernels are written once as templates over T. Every call is row-major
// and computes C = op(A) op(B) (alpha 1, beta 0); the complex variants take alpha/beta by pointer.
#pragma once

#include "blas_symbols.hpp"

#include <complex>

namespace numfuse::linalg {

template <class T> struct Gemm;
template <class T> struct Gemv;

#define NUMFUSE_BLAS_REAL(T, prefix)                                                              \
  template <> struct Gemm<T> {                                                                    \
    static void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const T* a,    \
                     int lda, const T* b, int ldb, T* c, int ldc) {                               \
      NUMFUSE_BLAS(cblas_##prefix##gemm)(CblasRowMajor, ta, tb, m, n, k, T(1), a, lda, b, ldb, T(0), c, ldc);   \
    }                                                                                             \
  };                                                                                              \
  template <> struct Gemv<T> {                                                                    \
    static void call(CBLAS_TRANSPOSE t, int m, int n, const T* a, int lda, const T* x, int incx, \
                     T* y, int incy) {                                                            \
      NUMFUSE_BLAS(cblas_##prefix##gemv)(CblasRowMajor, t, m, n, T(1), a, lda, x, incx, T(0), y, incy);         \
    }                                                                                             \
  };

#define NUMFUSE_BLAS_COMPLEX(T, prefix)                                                           \
  template <> struct Gemm<T> {                                                                    \
    static void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const T* a,    \
                     int lda, const T* b, int ldb, T* c, int ldc) {                               \
      const T one(1), zero(0);                                                                    \
      NUMFUSE_BLAS(cblas_##prefix##gemm)(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);  \
    }                                                                                             \
  };                                                                                              \
  template <> struct Gemv<T> {                                                                    \
    static void call(CBLAS_TRANSPOSE t, int m, int n, const T* a, int lda, const T* x, int incx, \
                     T* y, int incy) {                                                            \
      const T one(1), zero(0);                                                                    \
      NUMFUSE_BLAS(cblas_##prefix##gemv)(CblasRowMajor, t, m, n, &one, a, lda, x, incx, &zero, y, incy);        \
    }                                                                                             \
  };

NUMFUSE_BLAS_REAL(float, s)
NUMFUSE_BLAS_REAL(double, d)
NUMFUSE_BLAS_COMPLEX(std::complex<float>, c)
NUMFUSE_BLAS_COMPLEX(std::complex<double>, z)
#undef NUMFUSE_BLAS_REAL
#undef NUMFUSE_BLAS_COMPLEX

}  // namespace numfuse::linalg
