// View operations: new geometry over the same buffer, never a copy.
#pragma once

#include <optional>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse {

// One component of a basic (non-advanced) index, as Python spells it.
struct IndexItem {
  enum class Kind { Integer, Slice, NewAxis, Ellipsis };
  Kind kind = Kind::Integer;
  int64_t index = 0;  // Integer
  // Slice, as PySlice_Unpack gives it (unbounded ends as INT64_MIN / INT64_MAX, step != 0).
  int64_t start = 0, stop = 0, step = 1;

  static IndexItem integer(int64_t i) { return {Kind::Integer, i, 0, 0, 1}; }
  static IndexItem slice(int64_t start, int64_t stop, int64_t step) {
    return {Kind::Slice, 0, start, stop, step};
  }
  static IndexItem new_axis() { return {Kind::NewAxis, 0, 0, 0, 1}; }
  static IndexItem ellipsis() { return {Kind::Ellipsis, 0, 0, 0, 1}; }
};

// Clamps slice bounds to a dimension of `length` exactly as Python's slice.indices() does;
// returns the number of selected elements and rewrites start.
int64_t adjust_slice(int64_t length, int64_t& start, int64_t& stop, int64_t step);

// Applies ints, slices, None and one Ellipsis; throws IndexError like NumPy.
Array basic_index(const Array& a, const std::vector<IndexItem>& index);

Array transpose(const Array& a, const std::vector<int>& axes);
Array transpose(const Array& a);  // reverses the axes
// Reshape as a view; nullopt when NumPy would have to copy. `shape` may hold one negative
// (unknown) dimension.
std::optional<Array> reshape_view(const Array& a, Shape shape);
// Resolves the unknown dimension and checks the size; throws ValueError like NumPy.
Shape resolve_reshape(const Shape& from, Shape to);
// A read-only view with zero strides where `a` is broadcast.
Array broadcast_to(const Array& a, const Shape& shape);
// Removes the given axes (all length-1 axes when `axes` is empty).
Array squeeze(const Array& a, const std::vector<int64_t>& axes, bool all);
Array expand_dims(const Array& a, const std::vector<int64_t>& axes);

}  // namespace numfuse
