// Binning: bincount and the histogram kernels behind nf.bincount / histogram / histogramdd.
// Python (numfuse/_statistics.py) resolves NumPy's argument rules, bin edges and dtypes; these
// take 1-D arrays (any stride) already converted to the dtypes named below.
#pragma once

#include <cstdint>
#include <optional>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

// NumPy's bincount of int64 `x` (no negative values: ValueError): int64 counts, or float64 sums
// of the float64 `weights`, with max(x.max() + 1, minlength) bins. Weighted sums are added in
// fixed chunks merged in order, so they do not depend on the thread count.
Array bincount(const Array& x, const std::optional<Array>& weights, int64_t minlength);

// NumPy's histogram for `bins` equal bins between first and last (the `a` float32 or float64):
// the index is NumPy's ((a - first) / denom * bins) corrected against `edges` (bins + 1 values in
// a's dtype, NumPy's linspace), the last bin closed, values outside [first, last] and NaN dropped.
// Weighted (float64 weights): float64 sums per block of 65536 values merged in block order, which
// is NumPy's own summation order, so the sums are NumPy's bit for bit. Unweighted: int64 counts.
// NumPy's promotions decide whether float32 data is subtracted and divided in float32 or float64
// (they depend on whether the range came as NumPy float32 scalars or Python floats).
struct UniformPrecision {
  bool subtract_f32 = false;
  bool divide_f32 = false;
};
Array histogram_uniform(const Array& a, double first, double last, double denom, int64_t bins,
                        const Array& edges, UniformPrecision precision, const std::optional<Array>& weights);

// Counts (int64) or float64 weight sums over arbitrary increasing float64 `edges`:
// edges[i] <= x < edges[i+1], the last bin closed; outside values and NaN dropped. `a` any real
// dtype, compared as float64.
Array histogram_edges(const Array& a, const Array& edges, const std::optional<Array>& weights);

// NumPy's histogramdd bin index along one dimension: searchsorted(edges, x, 'right'), minus one
// where x equals the last edge (so the last bin is closed). int64, 0 below and len(edges) above.
Array bin_indices(const Array& a, const Array& edges);

}  // namespace numfuse::algorithms
