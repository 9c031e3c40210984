// Pooling allocator for array buffers.
//
// First-touch page faults dominate the cost of writing a fresh large buffer on these machines
// (~20x a reused one), so freed blocks are kept by size class and handed out again. Blocks of
// 2 MiB or more come from mmap, 2 MiB-aligned and advised MADV_HUGEPAGE; smaller blocks are
// 64-byte aligned. Pooled bytes are capped: a block freed past the cap goes back to the OS.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace numfuse {

inline constexpr size_t kBufferAlignment = 64;
// Buffers of at most this many bytes hold them inline (Buffer::allocate), outside the pool.
inline constexpr size_t kSmallBufferBytes = 128;
inline constexpr size_t kHugePageSize = size_t{2} << 20;

struct MemoryStats {
  size_t bytes_in_use = 0;   // handed out and not yet freed (rounded to size class)
  size_t bytes_pooled = 0;   // freed, kept for reuse
  size_t pool_limit = 0;     // cap on bytes_pooled
  uint64_t allocations = 0;  // calls to allocate(), and small buffers made outside the pool
  uint64_t pool_hits = 0;    // allocations served from the pool
  uint64_t os_allocations = 0;
  uint64_t os_frees = 0;
};

class PoolAllocator {
 public:
  // The process-wide pool used for every array buffer.
  static PoolAllocator& instance();

  // Returns a block of at least `nbytes` (never null; 0 bytes gives a valid unique block).
  // Throws std::bad_alloc when the OS refuses.
  void* allocate(size_t nbytes);
  // `nbytes` must be the size passed to allocate().
  void deallocate(void* ptr, size_t nbytes);
  // A buffer of at most kSmallBufferBytes was made with its bytes inline: counted in
  // stats().allocations (one per array made, as before), never in the pool's byte counts.
  void count_small_allocation() { small_allocations_.fetch_add(1, std::memory_order_relaxed); }

  MemoryStats stats() const;
  void set_pool_limit(size_t bytes);  // trims the pool if it now exceeds the limit
  void release_pooled();              // returns every pooled block to the OS

  // The size class an allocation of `nbytes` is rounded up to (exposed for tests).
  static size_t size_class(size_t nbytes);
  static bool is_huge(size_t class_bytes) { return class_bytes >= kHugePageSize; }

  PoolAllocator();
  ~PoolAllocator();
  PoolAllocator(const PoolAllocator&) = delete;
  PoolAllocator& operator=(const PoolAllocator&) = delete;

 private:
  struct State;
  State* state_;
  std::atomic<uint64_t> small_allocations_{0};
};

}  // namespace numfuse
