// Advanced ("fancy") indexing: gather and scatter over computed byte offsets, and nonzero.
//
// The Python layer reduces any NumPy index key to a basic view plus one integer array per
// indexed axis of that view (boolean masks become integer arrays through nonzero(), integers
// next to arrays become 0-d arrays, a 0-d boolean indexes a new length-1 axis). What is left for
// the core is data movement: the byte offset of every selected position along the indexed axes,
// then copying the remaining sub-array at each of those offsets out (gather) or in (scatter).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse {

struct FancyIndex {
  std::vector<int> axes;        // axes of the view taken by index arrays, one per array
  std::vector<Array> indices;   // integer arrays (any integer dtype), broadcast together
  std::vector<int> error_axes;  // axis numbers to name in out-of-bounds errors (the user's array)
  // How many of the view's remaining (not indexed) axes come before the index dimensions in the
  // result: NumPy keeps adjacent index arrays in place and moves separated ones to the front (0).
  int insert_at = 0;
};

// Byte offsets, relative to view.data(), of the positions an index selects: one per element of
// the broadcast index shape, in C order. Negative indices count from the end; out-of-range ones
// raise IndexError and arrays that do not broadcast raise IndexError, with NumPy's messages.
struct IndexOffsets {
  Shape shape;                   // the broadcast shape of the index arrays
  std::vector<int64_t> offsets;  // shape_size(shape) entries
};
IndexOffsets index_offsets(const Array& view, const FancyIndex& index);

// out[i, j] = element at base + outer[i] + (C-order element j of the sub-array), for a C-contiguous
// out of outer.size() * shape_size(sub_shape) elements of `itemsize` bytes.
void gather_bytes(const std::byte* base, std::span<const int64_t> outer, const Shape& sub_shape,
                  const Strides& sub_strides, int itemsize, std::byte* out);
// The inverse: element at base + outer[i] + sub-offset j = values[i, j]. Positions are written in
// order, so a repeated index keeps the last value written (NumPy's setitem rule).
void scatter_bytes(std::byte* base, std::span<const int64_t> outer, const Shape& sub_shape,
                   const Strides& sub_strides, int itemsize, const std::byte* values);

// What a write through an advanced index touches, shared by scatter and ufunc.at: the byte
// offset (from view.data()) of each index position, the sub-array written there, and the values
// broadcast to view[index]'s shape, cast to `dtype` and packed as (positions, sub-array) in C
// order. ValueError on a read-only view or values that do not broadcast (NumPy's messages).
struct IndexedWrite {
  std::vector<int64_t> outer;
  Shape sub_shape;
  Strides sub_strides;
  Array packed;
};
IndexedWrite plan_indexed_write(const Array& view, const FancyIndex& index, const Array& values,
                                DType dtype);
// Byte offsets of a strided sub-array's elements in C order.
std::vector<int64_t> sub_array_offsets(const Shape& shape, const Strides& strides);

// view[index] as NumPy computes it: a new C-ordered array of shape
// (index shape + remaining axes), with the index dimensions then moved to `insert_at`.
Array gather(const Array& view, const FancyIndex& index);
// view[index] = values: values broadcast to the shape gather() would return (extra leading
// length-1 dims allowed) and cast to the view's dtype. ValueError on a read-only view or on
// values that do not broadcast.
void scatter(const Array& view, const FancyIndex& index, const Array& values);

// Coordinates of the non-zero elements in C order: one int64 array per dimension (columns of
// one (count, ndim) table, NumPy's layout). ValueError for 0-d arrays, as NumPy 2.
std::vector<Array> nonzero(const Array& a);
int64_t count_nonzero(const Array& a);

// a[mask] and a[mask] = values for a boolean mask of exactly a's shape, in one pass without index
// arrays (core/src/masks.cpp). The result is 1-D in C order. values: 1 element (broadcast) or one
// per true entry, 0-d or 1-d (NumPy's rule for this form; TypeError / ValueError otherwise).
Array mask_gather(const Array& a, const Array& mask);
void mask_scatter(const Array& a, const Array& mask, const Array& values);

}  // namespace numfuse
