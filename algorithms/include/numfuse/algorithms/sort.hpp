// Sorting with NumPy's order (NaNs last, -0.0 == 0.0, complex by real then imaginary part).
// Every sort here is stable and its result unique, so NumPy's kinds (quicksort, heapsort,
// stable) all give the stable answer, independent of the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

// A new C-contiguous array: `a` sorted along `axis` (AxisError when out of range).
Array sort(const Array& a, int64_t axis);
// The int64 indices that sort `a` along `axis`, equal elements in their original order.
Array argsort(const Array& a, int64_t axis);
// NumPy's lexsort: indices sorting by the last key first, then the one before, ... (keys of one
// shape, at least one).
Array lexsort(const std::vector<Array>& keys, int64_t axis);

}  // namespace numfuse::algorithms
