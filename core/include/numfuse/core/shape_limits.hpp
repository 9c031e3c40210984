// NumPy's limits on an array's shape, checked once for every Array (in its constructor) and by
// the binding layer's shape conversion.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numfuse/core/shape.hpp"

namespace numfuse {

// The element count of an array of this shape, validated by NumPy's rule for every array
// (PyArray_NewFromDescr): at most kMaxDims dimensions; dimensions taken in order, zeros
// skipped, a negative one refused; itemsize times the product of the others must fit in intptr,
// so (0, 2**62, 2**62) is "array is too big" although it holds nothing.
int64_t checked_size(const Shape& shape, int itemsize);

// ValueError unless ndim <= kMaxDims (NumPy's message).
void check_ndim(size_t ndim);

}  // namespace numfuse
