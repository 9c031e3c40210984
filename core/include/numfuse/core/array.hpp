// Array: a typed, strided view of a shared buffer. Copying an Array copies the handle, not
// the data; every view keeps its buffer alive.
#pragma once

#include <memory>

#include "numfuse/core/buffer.hpp"
#include "numfuse/core/dtype.hpp"
#include "numfuse/core/shape.hpp"

namespace numfuse {

class Array {
 public:
  Array() = default;
  Array(std::shared_ptr<Buffer> buffer, int64_t offset, Shape shape, Strides strides, DType dtype,
        bool writeable = true);

  // A new C-contiguous array from the pool allocator, uninitialized.
  static Array empty(const Shape& shape, DType dtype);
  // Same layout rules as NumPy's empty(order='F').
  static Array empty_f(const Shape& shape, DType dtype);

  DType dtype() const { return dtype_; }
  int itemsize() const { return numfuse::itemsize(dtype_); }
  int ndim() const { return static_cast<int>(shape_.size()); }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  int64_t size() const { return size_; }
  int64_t nbytes() const { return size_ * itemsize(); }
  int64_t offset() const { return offset_; }
  bool writeable() const { return writeable_; }
  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }

  std::byte* data() const { return buffer_->data() + offset_; }
  template <class T> T* data_as() const { return reinterpret_cast<T*>(data()); }

  bool is_c_contiguous() const { return numfuse::is_c_contiguous(shape_, strides_, itemsize()); }
  bool is_f_contiguous() const { return numfuse::is_f_contiguous(shape_, strides_, itemsize()); }

  // A view of the same buffer with new geometry (used by every view operation).
  Array with_layout(int64_t offset, Shape shape, Strides strides) const;
  Array as_readonly() const;

  // True if the byte ranges of the two arrays may overlap (same buffer and intersecting extents).
  bool may_share_memory(const Array& other) const;

 private:
  std::shared_ptr<Buffer> buffer_;
  int64_t offset_ = 0;
  Shape shape_;
  Strides strides_;
  int64_t size_ = 0;
  DType dtype_ = DType::Float64;
  bool writeable_ = true;
};

}  // namespace numfuse
