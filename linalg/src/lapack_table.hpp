// LAPACK routines by element type, the JAX pattern: one struct template per routine family,
// specialized for float/double/complex<float>/complex<double> with the s/d/c/z function, so each
// kernel is one template. All calls use LAPACKE's high-level column-major interface (it sizes
// and allocates the workspace); routine families whose real and complex forms differ in
// signature (geev) are handled where they are used.
#pragma once

#include <complex>

#include "blas_symbols.hpp"

#include "numfuse/core/dtype.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::linalg {

template <class T> struct RealOf { using type = T; };
template <class T> struct RealOf<std::complex<T>> { using type = T; };
template <class T> using Real = typename RealOf<T>::type;
template <class T> inline constexpr bool kIsComplex = !std::is_same_v<T, Real<T>>;

#define NUMFUSE_LAPACK_FAMILY(Family, s, d, c, z)                                               \
  template <class T> struct Family;                                                             \
  template <> struct Family<float> { static constexpr auto call = &NUMFUSE_BLAS(LAPACKE_##s); };              \
  template <> struct Family<double> { static constexpr auto call = &NUMFUSE_BLAS(LAPACKE_##d); };             \
  template <> struct Family<std::complex<float>> { static constexpr auto call = &NUMFUSE_BLAS(LAPACKE_##c); }; \
  template <> struct Family<std::complex<double>> { static constexpr auto call = &NUMFUSE_BLAS(LAPACKE_##z); };

NUMFUSE_LAPACK_FAMILY(Getrf, sgetrf, dgetrf, cgetrf, zgetrf)      // LU with partial pivoting
NUMFUSE_LAPACK_FAMILY(Gesv, sgesv, dgesv, cgesv, zgesv)           // LU solve
NUMFUSE_LAPACK_FAMILY(Potrf, spotrf, dpotrf, cpotrf, zpotrf)      // Cholesky
NUMFUSE_LAPACK_FAMILY(Geqrf, sgeqrf, dgeqrf, cgeqrf, zgeqrf)      // Householder QR
NUMFUSE_LAPACK_FAMILY(Orgqr, sorgqr, dorgqr, cungqr, zungqr)      // Q from the reflectors
NUMFUSE_LAPACK_FAMILY(Gesdd, sgesdd, dgesdd, cgesdd, zgesdd)      // SVD, divide and conquer
NUMFUSE_LAPACK_FAMILY(Heevd, ssyevd, dsyevd, cheevd, zheevd)      // symmetric/Hermitian eigen
NUMFUSE_LAPACK_FAMILY(Geev, sgeev, dgeev, cgeev, zgeev)           // general eigen
NUMFUSE_LAPACK_FAMILY(Gelsd, sgelsd, dgelsd, cgelsd, zgelsd)      // least squares via SVD
#undef NUMFUSE_LAPACK_FAMILY

// LAPACKE's own NaN scan would turn NaN inputs into argument errors; NumPy hands NaNs to
// LAPACK as they are, so the scan is switched off once before the first call.
void configure_lapacke();

// Calls fn(T{}) for the four LAPACK element types; TypeError (NumPy's text) for any other.
template <class Fn>
decltype(auto) visit_lapack_dtype(DType dtype, Fn&& fn) {
  configure_lapacke();
  switch (dtype) {
    case DType::Float32: return fn(float{});
    case DType::Float64: return fn(double{});
    case DType::Complex64: return fn(std::complex<float>{});
    case DType::Complex128: return fn(std::complex<double>{});
    default:
      throw_type_error("array type " + std::string(name(dtype)) + " is unsupported in linalg");
  }
}

// The real dtype of the same precision (float64 for complex128).
DType real_dtype(DType dtype);

}  // namespace numfuse::linalg
