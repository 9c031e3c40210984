// A block of memory shared by an array and all its views.
#pragma once

#include <cstddef>
#include <memory>

namespace numfuse {

class Buffer {
 public:
  // A fresh block from the pool allocator; uninitialized.
  static std::shared_ptr<Buffer> allocate(size_t nbytes);
  // Memory owned by someone else (a NumPy array, a DLPack producer): `keepalive` is held for as
  // long as the buffer lives and released when it dies.
  static std::shared_ptr<Buffer> external(void* data, size_t nbytes, std::shared_ptr<void> keepalive);

  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  std::byte* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  bool pooled() const { return pooled_; }

 private:
  Buffer(std::byte* data, size_t nbytes, bool pooled, std::shared_ptr<void> keepalive)
      : data_(data), nbytes_(nbytes), pooled_(pooled), keepalive_(std::move(keepalive)) {}

  std::byte* data_;
  size_t nbytes_;
  bool pooled_;
  std::shared_ptr<void> keepalive_;
};

}  // namespace numfuse
