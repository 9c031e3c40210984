// A block of memory shared by an array and all its views.
//
// A buffer may be *deferred*: its bytes are the result of pending work (a lazy expression, or an
// in-place update not yet applied). Any access to the bytes through data() runs that work first,
// so code below the lazy layer never sees stale memory. The lazy layer (jit/) also registers
// itself as a *reader* of the buffers its pending expressions read; before those bytes are
// overwritten, prepare_write() runs the readers so they see the values as of the line that
// wrote them.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace numfuse {

class Buffer;

class PendingWork {
 public:
  virtual ~PendingWork() = default;
  // Produces the buffer's bytes. Must leave the buffer no longer pending (Buffer::clear_pending).
  // If it cannot (bad data, no memory), it throws, keeps the error and throws it again from every
  // later run(): a failed reader never blocks a write (prepare_write), and its error still
  // reaches whoever observes its result.
  virtual void run() = 0;
};

class Buffer {
 public:
  // A fresh block from the pool allocator; uninitialized.
  static std::shared_ptr<Buffer> allocate(size_t nbytes);
  // Memory owned by someone else (a NumPy array, a DLPack producer): `keepalive` is held for as
  // long as the buffer lives and released when it dies. The buffer is entered in the registry of
  // shared memory (see share()), and pending work of buffers already over those bytes runs now.
  static std::shared_ptr<Buffer> external(void* data, size_t nbytes, std::shared_ptr<void> keepalive);
  // Enters a buffer whose bytes are handed out (buffer protocol, __array_interface__, DLPack) in
  // the process-wide registry of shared memory, keyed by address range, so that a later wrap of
  // those bytes (NumPy's view of them wrapped back, a DLPack import) finds it: a write through
  // any Buffer over some bytes then runs the pending readers of every Buffer over overlapping
  // bytes. Call after the bytes exist; idempotent.
  static void share(const std::shared_ptr<Buffer>& buffer);
  // No memory yet: `work` allocates it (allocate_storage) and fills it on first access.
  static std::shared_ptr<Buffer> deferred(size_t nbytes, std::shared_ptr<PendingWork> work);

  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // The bytes, after any pending work has run.
  std::byte* data() const {
    if (pending_) [[unlikely]] run_pending();
    return data_;
  }
  size_t nbytes() const { return nbytes_; }
  bool pooled() const { return pooled_; }

  // --- for the lazy layer ---
  bool is_pending() const { return pending_ != nullptr; }
  const std::shared_ptr<PendingWork>& pending() const { return pending_; }
  // The bytes without running pending work (the pending work itself writes through this).
  std::byte* storage() const { return data_; }
  void allocate_storage();  // deferred buffers: get memory from the pool (no-op if present)
  void set_pending(std::shared_ptr<PendingWork> work) { pending_ = std::move(work); }
  void clear_pending() { pending_.reset(); }
  void add_reader(std::weak_ptr<PendingWork> reader);
  // A slot where the lazy layer caches its (immutable) description of this buffer as an input,
  // so a hot loop does not rebuild it for every op; opaque to the core.
  std::weak_ptr<void>& lazy_cache() { return lazy_cache_; }
  // Runs pending work on this buffer and every pending reader of it, and of every other Buffer
  // over overlapping bytes: call before writing. The buffer's own pending work failing throws; a
  // reader failing does not.
  void prepare_write();
  // True if another live Buffer covers some of these bytes: pending work writing into this buffer
  // would not be seen by reads through the other, so the lazy layer runs such work at once.
  bool has_aliases() const;

 private:
  Buffer(std::byte* data, size_t nbytes, bool pooled, std::shared_ptr<void> keepalive)
      : data_(data), nbytes_(nbytes), pooled_(pooled), keepalive_(std::move(keepalive)) {}
  void run_pending() const;
  void prepare_own_write();  // prepare_write for this buffer alone
  void enter_registry(const std::shared_ptr<Buffer>& self);

  std::byte* data_;
  size_t nbytes_;
  bool pooled_;
  std::shared_ptr<void> keepalive_;
  std::shared_ptr<PendingWork> pending_;
  std::mutex readers_mutex_;
  std::vector<std::weak_ptr<PendingWork>> readers_;
  std::weak_ptr<void> lazy_cache_;
  std::atomic<bool> registered_{false};  // in the registry of shared memory
};

}  // namespace numfuse
