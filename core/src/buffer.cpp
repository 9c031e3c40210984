#include "numfuse/core/buffer.hpp"

#include <algorithm>

#include "buffer_registry.hpp"
#include "numfuse/core/allocator.hpp"

namespace numfuse {

std::shared_ptr<Buffer> Buffer::allocate(size_t nbytes) {
  // A small buffer carries its bytes inside its own allocation: one malloc for the control block,
  // the Buffer and the bytes, and no pool round trip (with its lock) on creation and release —
  // most of the cost of making a small array. 16-byte aligned, as NumPy's (and malloc's) memory.
  struct Small : Buffer {
    alignas(16) std::byte bytes[kSmallBufferBytes];
    explicit Small(size_t n) : Buffer(bytes, n, true, nullptr) {}
    ~Small() { pooled_ = false; }  // the bytes go with the object, not back to the pool
  };
  if (nbytes <= kSmallBufferBytes) {
    PoolAllocator::instance().count_small_allocation();
    return std::make_shared<Small>(nbytes);
  }
  // One heap allocation for the buffer and its control block: every new array makes one.
  struct Pooled : Buffer {
    Pooled(void* p, size_t n) : Buffer(static_cast<std::byte*>(p), n, true, nullptr) {}
  };
  void* p = PoolAllocator::instance().allocate(nbytes);
  try {
    return std::make_shared<Pooled>(p, nbytes);
  } catch (...) {
    PoolAllocator::instance().deallocate(p, nbytes);
    throw;
  }
}

std::shared_ptr<Buffer> Buffer::external(void* data, size_t nbytes, std::shared_ptr<void> keepalive) {
  auto buffer = std::shared_ptr<Buffer>(
      new Buffer(static_cast<std::byte*>(data), nbytes, false, std::move(keepalive)));
  buffer->enter_registry(buffer);
  return buffer;
}

void Buffer::share(const std::shared_ptr<Buffer>& buffer) {
  if (!buffer->registered_.load(std::memory_order_acquire)) buffer->enter_registry(buffer);
}

void Buffer::enter_registry(const std::shared_ptr<Buffer>& self) {
  if (nbytes_ == 0 || !data_) return;  // no bytes anyone could alias
  std::vector<std::shared_ptr<Buffer>> others;
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);  // two threads sharing one buffer: enter once
    if (registered_.load(std::memory_order_relaxed)) return;
    others = detail::BufferRegistry::instance().add(self, data_, data_ + nbytes_);
    registered_.store(true, std::memory_order_release);
  }
  // In-place work pending on those bytes (a += 1 after an export) must be visible through this
  // new handle too.
  for (const auto& other : others) {
    if (other->pending_) other->run_pending();
  }
}

bool Buffer::has_aliases() const {
  return registered_.load(std::memory_order_acquire) &&
         detail::BufferRegistry::instance().any_overlapping(data_, data_ + nbytes_, this);
}

std::shared_ptr<Buffer> Buffer::deferred(size_t nbytes, std::shared_ptr<PendingWork> work) {
  // One allocation for the buffer and its control block: every lazy op makes one of these.
  struct Enabler : Buffer {
    explicit Enabler(size_t n) : Buffer(nullptr, n, true, nullptr) {}
  };
  std::shared_ptr<Buffer> b = std::make_shared<Enabler>(nbytes);
  b->pending_ = std::move(work);
  return b;
}

Buffer::~Buffer() {
  if (registered_.load(std::memory_order_acquire)) detail::BufferRegistry::instance().remove(this, data_);
  if (pooled_ && data_) PoolAllocator::instance().deallocate(data_, nbytes_);
}

void Buffer::allocate_storage() {
  if (!data_) data_ = static_cast<std::byte*>(PoolAllocator::instance().allocate(nbytes_));
}

void Buffer::run_pending() const {
  // Keep the work alive while it runs: run() clears pending_.
  std::shared_ptr<PendingWork> work = pending_;
  if (work) work->run();
}

void Buffer::add_reader(std::weak_ptr<PendingWork> reader) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  // Drop readers that have finished (expired) so hot loops do not grow the list.
  readers_.erase(std::remove_if(readers_.begin(), readers_.end(),
                                [](const auto& w) { return w.expired(); }),
                 readers_.end());
  readers_.push_back(std::move(reader));
}

void Buffer::prepare_write() {
  prepare_own_write();
  if (!registered_.load(std::memory_order_acquire)) return;
  for (const auto& other : detail::BufferRegistry::instance().overlapping(data_, data_ + nbytes_, this)) {
    other->prepare_own_write();
  }
}

void Buffer::prepare_own_write() {
  if (pending_) run_pending();
  std::vector<std::weak_ptr<PendingWork>> readers;
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    readers.swap(readers_);
  }
  for (auto& w : readers) {
    if (auto work = w.lock()) {
      // A reader that fails keeps its error for whoever observes it (PendingWork::run); the
      // write is not its business and goes through.
      try {
        work->run();
      } catch (...) {
      }
    }
  }
}

}  // namespace numfuse
