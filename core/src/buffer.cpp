#include "numfuse/core/buffer.hpp"

#include <algorithm>

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
