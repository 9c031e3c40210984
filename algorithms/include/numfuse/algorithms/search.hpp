// searchsorted and the monotonicity test behind digitize, in NumPy's order (NaNs last).
#pragma once

#include <optional>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

// For every element of v: where it would go into the sorted 1-D `a` (of v's dtype; the caller
// promotes) to keep the order: before equal elements, or after them when `right`. `sorter`
// (int64, a's size) gives a's sorted order when a itself is not sorted. An int64 array of v's
// shape. Many queries are searched in their own sorted order, each from the previous answer,
// so the walk through `a` stays cache friendly.
Array searchsorted(const Array& a, const Array& v, bool right, const std::optional<Array>& sorter);

// NumPy's check of digitize's bins (float64, 1-D): 1 increasing (or all equal), -1 decreasing,
// 0 neither.
int bins_monotonicity(const Array& bins);

}  // namespace numfuse::algorithms
