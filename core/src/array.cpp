#include "numfuse/core/array.hpp"

#include "numfuse/core/shape_limits.hpp"

namespace numfuse {

Array::Array(std::shared_ptr<Buffer> buffer, int64_t offset, Shape shape, Strides strides,
             DType dtype, bool writeable)
    : buffer_(std::move(buffer)),
      offset_(offset),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      size_(checked_size(shape_, numfuse::itemsize(dtype))),
      dtype_(dtype),
      writeable_(writeable) {}

// The constructor validates the shape (NumPy's errors) and sizes it; the buffer comes after.
// (Strides of a shape not yet validated wrap instead of overflowing: see shape.cpp.)
Array Array::empty(const Shape& shape, DType dtype) {
  const int isz = numfuse::itemsize(dtype);
  Array a(nullptr, 0, shape, c_strides(shape, isz), dtype);
  a.buffer_ = Buffer::allocate(static_cast<size_t>(a.size_ * isz));
  return a;
}

Array Array::empty_f(const Shape& shape, DType dtype) {
  const int isz = numfuse::itemsize(dtype);
  Array a(nullptr, 0, shape, f_strides(shape, isz), dtype);
  a.buffer_ = Buffer::allocate(static_cast<size_t>(a.size_ * isz));
  return a;
}

Array Array::with_layout(int64_t offset, Shape shape, Strides strides) const {
  return Array(buffer_, offset, std::move(shape), std::move(strides), dtype_, writeable_);
}

Array Array::as_readonly() const {
  Array a = *this;
  a.writeable_ = false;
  return a;
}

bool Array::may_share_memory(const Array& other) const {
  if (size_ == 0 || other.size_ == 0) return false;
  auto a = byte_extent(shape_, strides_, itemsize());
  auto b = byte_extent(other.shape_, other.strides_, other.itemsize());
  auto p = reinterpret_cast<intptr_t>(data());
  auto q = reinterpret_cast<intptr_t>(other.data());
  return p + a.lo < q + b.hi && q + b.lo < p + a.hi;
}

}  // namespace numfuse
