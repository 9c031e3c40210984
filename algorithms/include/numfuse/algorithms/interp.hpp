// One-dimensional linear interpolation with NumPy's rules (np.interp), for float64 x and sample
// points, float64 or complex128 values.
#pragma once

#include <complex>
#include <optional>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

// For each x (float64, any shape, C-contiguous) the value at x of the piecewise-linear function
// through (xp[k], fp[k]): xp float64 1-D ascending (else the result is meaningless, as NumPy's),
// fp float64 or complex128 1-D of the same length (>= 1); left / right (default fp's first /
// last value) below / above the samples. A NaN x gives NaN; an x on a sample point gives that
// point's value; inside an interval slope * (x - xp[j]) + fp[j] with NumPy's slope arithmetic
// (dy / dx; dy * (1 / dx) for each complex part), retried from the right end when NaN, and fp[j]
// when both ends are equal. Threaded over x; the result never depends on the thread count.
Array interp(const Array& x, const Array& xp, const Array& fp, std::optional<std::complex<double>> left,
             std::optional<std::complex<double>> right);

}  // namespace numfuse::algorithms
