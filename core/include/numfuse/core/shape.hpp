// Shapes, strides and the arithmetic on them (sizes, contiguity, broadcasting).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "numfuse/core/small_vector.hpp"

namespace numfuse {

// Up to 6 dimensions inline (no heap allocation per view); more spill to the heap.
using Shape = SmallVector<int64_t, 6>;
using Strides = SmallVector<int64_t, 6>;  // in bytes; may be negative or zero

inline constexpr int kMaxDims = 64;  // NumPy 2's NPY_MAXDIMS

// Product of the dimensions; throws ValueError if it overflows or a dimension is negative.
int64_t shape_size(const Shape& shape);
// Same, plus a check that size * itemsize fits in the address space ("array is too big").
int64_t checked_nbytes(const Shape& shape, int itemsize);

Strides c_strides(const Shape& shape, int itemsize);
Strides f_strides(const Shape& shape, int itemsize);

bool is_c_contiguous(const Shape& shape, const Strides& strides, int itemsize);
bool is_f_contiguous(const Shape& shape, const Strides& strides, int itemsize);

// NumPy's broadcasting of several shapes; throws ValueError naming the shapes.
Shape broadcast_shapes(const std::vector<Shape>& shapes);

// "(2, 3)" / "(3,)" / "()", as Python prints a tuple.
std::string shape_repr(const Shape& shape);

// Normalizes a possibly negative axis against ndim; throws AxisError-like IndexError text.
int normalize_axis(int64_t axis, int ndim);

// Byte range [lo, hi) touched by an array view relative to its data pointer.
struct ByteExtent {
  int64_t lo = 0;
  int64_t hi = 0;
};
ByteExtent byte_extent(const Shape& shape, const Strides& strides, int itemsize);

}  // namespace numfuse
