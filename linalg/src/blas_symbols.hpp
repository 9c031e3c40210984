// The BLAS/LAPACKE headers and symbol names of the OpenBLAS build numfuse links: scipy-openblas32
// (the build NumPy's wheels ship) exports every routine with a scipy_ prefix, so that it can live
// in one process with other BLAS libraries. NUMFUSE_BLAS(cblas_dgemm) names its cblas_dgemm.
#pragma once

#include <complex>

// LAPACK's complex arguments as std::complex (layout-compatible with Fortran's COMPLEX).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <cblas.h>
#include <lapacke.h>

#define NUMFUSE_BLAS(name) scipy_##name
