#include "numfuse/core/buffer.hpp"

#include "numfuse/core/allocator.hpp"

namespace numfuse {

std::shared_ptr<Buffer> Buffer::allocate(size_t nbytes) {
  void* p = PoolAllocator::instance().allocate(nbytes);
  return std::shared_ptr<Buffer>(new Buffer(static_cast<std::byte*>(p), nbytes, true, nullptr));
}

std::shared_ptr<Buffer> Buffer::external(void* data, size_t nbytes, std::shared_ptr<void> keepalive) {
  return std::shared_ptr<Buffer>(
      new Buffer(static_cast<std::byte*>(data), nbytes, false, std::move(keepalive)));
}

Buffer::~Buffer() {
  if (pooled_) PoolAllocator::instance().deallocate(data_, nbytes_);
}

}  // namespace numfuse
