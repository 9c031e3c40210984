#include "numfuse/core/shape.hpp"

#include <algorithm>
#include <limits>

#include "numfuse/core/error.hpp"
#include "numfuse/core/shape_limits.hpp"

namespace numfuse {

int64_t shape_size(const Shape& shape) {
  int64_t size = 1;
  bool overflow = false;
  for (int64_t d : shape) {
    if (d < 0) throw_value_error("negative dimensions are not allowed");
    if (__builtin_mul_overflow(size, d, &size)) overflow = true;
  }
  // A zero dimension makes the size 0 even if other dimensions overflowed on the way.
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
  if (overflow) {
    throw_value_error("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
  }
  return size;
}

void check_ndim(size_t ndim) {
  if (ndim > static_cast<size_t>(kMaxDims)) {
    throw_value_error("maximum supported dimension for an ndarray is currently " +
                      std::to_string(kMaxDims) + ", found " + std::to_string(ndim));
  }
}

int64_t checked_size(const Shape& shape, int itemsize) {
  check_ndim(shape.size());
  int64_t nbytes = std::max(itemsize, 1);
  bool empty = false;
  for (int64_t d : shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (d < 0) throw_value_error("negative dimensions are not allowed");
    if (__builtin_mul_overflow(nbytes, d, &nbytes)) {
      throw_value_error("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
    }
  }
  return empty ? 0 : nbytes / std::max(itemsize, 1);
}

int64_t checked_nbytes(const Shape& shape, int itemsize) {
  return checked_size(shape, itemsize) * itemsize;
}

namespace {
// Callers may ask for the strides of a shape before its size is validated (reshape, empty with a
// zero dimension); the product then wraps instead of being undefined, and validation rejects it.
int64_t next_stride(int64_t step, int64_t dim) {
  int64_t next;
  __builtin_mul_overflow(step, std::max<int64_t>(dim, 1), &next);
  return next;
}
}  // namespace

Strides c_strides(const Shape& shape, int itemsize) {
  Strides s(shape.size());
  int64_t step = itemsize;
  for (size_t i = shape.size(); i-- > 0;) {
    s[i] = step;
    step = next_stride(step, shape[i]);
  }
  return s;
}

Strides f_strides(const Shape& shape, int itemsize) {
  Strides s(shape.size());
  int64_t step = itemsize;
  for (size_t i = 0; i < shape.size(); ++i) {
    s[i] = step;
    step = next_stride(step, shape[i]);
  }
  return s;
}

// Dimensions of length 1 do not constrain contiguity, and an empty array is contiguous (NumPy's
// relaxed-strides rule).
bool is_c_contiguous(const Shape& shape, const Strides& strides, int itemsize) {
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return true;
  int64_t expected = itemsize;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] != 1) {
      if (strides[i] != expected) return false;
      expected *= shape[i];
    }
  }
  return true;
}

bool is_f_contiguous(const Shape& shape, const Strides& strides, int itemsize) {
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return true;
  int64_t expected = itemsize;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != 1) {
      if (strides[i] != expected) return false;
      expected *= shape[i];
    }
  }
  return true;
}

std::string shape_repr(const Shape& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out.append(", ");
    out.append(std::to_string(shape[i]));
  }
  if (shape.size() == 1) out.push_back(',');
  out.push_back(')');
  return out;
}

Shape broadcast_shapes(const std::vector<Shape>& shapes) {
  size_t ndim = 0;
  for (const auto& s : shapes) ndim = std::max(ndim, s.size());
  Shape out(ndim, 1);
  for (const auto& s : shapes) {
    size_t lead = ndim - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[lead + i];
      if (s[i] == o || s[i] == 1) continue;
      if (o == 1) {
        o = s[i];
        continue;
      }
      std::string msg = "operands could not be broadcast together with shapes";
      for (const auto& t : shapes) {
        msg.push_back(' ');
        msg.append(shape_repr(t));
      }
      throw_value_error(msg);
    }
  }
  return out;
}

int normalize_axis(int64_t axis, int ndim) {
  if (axis < -ndim || axis >= ndim) {
    throw Error(ErrorKind::Axis, "axis " + std::to_string(axis) +
                                      " is out of bounds for array of dimension " +
                                      std::to_string(ndim));
  }
  return static_cast<int>(axis < 0 ? axis + ndim : axis);
}

ByteExtent byte_extent(const Shape& shape, const Strides& strides, int itemsize) {
  ByteExtent e;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0) return {0, 0};
    int64_t span = (shape[i] - 1) * strides[i];
    if (span < 0) e.lo += span; else e.hi += span;
  }
  e.hi += itemsize;
  return e;
}

}  // namespace numfuse
