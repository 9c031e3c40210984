// LAPACK-backed routines over stacks of matrices. Every input is (..., rows, cols) and is
// batched over the leading axes; `dtype` is the LAPACK type to compute in (float32, float64,
// complex64, complex128), chosen by the caller with NumPy's promotion (integers -> float64).
// Inputs are copied once into LAPACK's column-major layout (LAPACK overwrites its inputs);
// matrix results are returned as views of column-major storage, so no second copy is made.
//
// Failures throw LinAlgError with NumPy's messages; LAPACK never sees an illegal argument.
#pragma once

#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse::linalg {

// solve: a (..., n, n), b (..., n, k) with equal batch shapes (the caller broadcasts).
Array solve(const Array& a, const Array& b, DType dtype);
// inv: with nan_on_singular, a singular matrix gives NaNs instead of LinAlgError (cond's need).
Array inv(const Array& a, DType dtype, bool nan_on_singular = false);

struct SignLogDet {
  Array sign;       // dtype
  Array logabsdet;  // real part of dtype
};
SignLogDet slogdet(const Array& a, DType dtype);
Array det(const Array& a, DType dtype);

Array cholesky(const Array& a, DType dtype, bool upper);

enum class QRMode { Reduced, Complete, R, Raw };
// Reduced/Complete: {q, r}; R: {r}; Raw: {h, tau} as NumPy returns them.
std::vector<Array> qr(const Array& a, DType dtype, QRMode mode);

struct SVDResult {
  Array u, s, vh;  // u and vh are empty arrays when compute_uv is false
};
SVDResult svd(const Array& a, DType dtype, bool full_matrices, bool compute_uv);

struct EigResult {
  Array values, vectors;  // vectors empty when not computed
};
// General eigenproblem: real input gives real results when every eigenvalue is real (NumPy).
EigResult eig(const Array& a, DType dtype, bool compute_vectors);
EigResult eigh(const Array& a, DType dtype, char uplo, bool compute_vectors);

struct LstsqResult {
  Array x;          // (n, k)
  Array residuals;  // (k,) or (0,)
  int64_t rank = 0;
  Array s;          // (min(m, n),)
};
// a (m, n), b (m, k), rcond < 0 means machine precision (LAPACK's convention).
LstsqResult lstsq(const Array& a, const Array& b, DType dtype, double rcond);

// pinv with per-matrix relative cutoffs: `rcond` is float64 of a's batch shape.
Array pinv(const Array& a, DType dtype, const Array& rcond);

// Throws LinAlgError unless a has at least 2 dims / its last two are equal (NumPy's checks).
void require_stacked_2d(const Array& a);
void require_stacked_square(const Array& a);

}  // namespace numfuse::linalg
