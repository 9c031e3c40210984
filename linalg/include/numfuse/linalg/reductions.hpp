// The few reductions and elementwise steps linalg needs for norms, ranks and condition numbers,
// kept here so linalg does not wait on the general ufunc layer. Each is a plain loop.
#pragma once

#include "numfuse/core/array.hpp"

namespace numfuse::linalg {

// NumPy's vector norm of order `ord` along the last axis (inf, -inf, 0, 1, 2 or any p),
// computed in the real type of x (float32 stays float32, complex64 gives float32).
Array vector_norm_last_axis(const Array& x, double ord);

// Counts singular values above a threshold per matrix: s (..., k) real, tol float64 of shape
// (...). With `relative`, the threshold is tol * max(s) of that matrix. Result int64 (...).
Array count_above(const Array& s, const Array& tol, bool relative);

// s (..., k) -> s[..., 0] / s[..., k-1] (or its inverse): cond's 2-norm ratios.
Array singular_value_ratio(const Array& s, bool smallest_over_largest);
// Elementwise product of two real arrays of one shape and dtype.
Array multiply_real(const Array& a, const Array& b);
// cond's convention: NaN results become inf unless the matrix itself held a NaN.
// r (...) real, x (..., m, n).
void nan_to_inf_unless_input_nan(Array& r, const Array& x);

// A C-contiguous complex conjugate (a copy for real inputs too).
Array conjugate(const Array& x);
// Cross products of rows: a, b (N, 2 or 3) C-contiguous of one dtype -> (N, 3) or (N,) when
// both are 2-vectors.
Array cross_rows(const Array& a, const Array& b);

}  // namespace numfuse::linalg
