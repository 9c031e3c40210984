#include "numfuse/core/allocator.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace numfuse {

namespace {

void* os_allocate(size_t class_bytes) {
  if (!PoolAllocator::is_huge(class_bytes)) {
    void* p = std::aligned_alloc(kBufferAlignment, class_bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  // Over-map by one huge page, then trim both ends so the block starts on a 2 MiB boundary.
  size_t span = class_bytes + kHugePageSize;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePageSize - 1) & ~(kHugePageSize - 1);
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t tail = aligned + class_bytes;
  uintptr_t end = start + span;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
  void* block = reinterpret_cast<void*>(aligned);
  madvise(block, class_bytes, MADV_HUGEPAGE);
  return block;
}

void os_free(void* ptr, size_t class_bytes) {
  if (PoolAllocator::is_huge(class_bytes)) {
    munmap(ptr, class_bytes);
  } else {
    std::free(ptr);
  }
}

// Classes below a huge page have a fixed bin each, found by arithmetic: most arrays are small and
// a hash lookup per allocation and per free cost more than the rest of the pool's work. Classes
// of 64..512 bytes are the multiples of 64 (bins 0..7), then four per power of two up to 2 MiB.
constexpr int kSmallBins = 8 + 4 * 12;

int small_bin(size_t cls) {
  if (cls <= 512) return static_cast<int>(cls / kBufferAlignment) - 1;
  const int log2_half = 63 - __builtin_clzll(cls - 1);  // cls in (2^log2_half, 2^(log2_half+1)]
  const size_t eighth = (size_t{1} << (log2_half + 1)) / 8;
  return 8 + (log2_half - 9) * 4 + static_cast<int>((cls - (size_t{1} << log2_half)) / eighth) - 1;
}

size_t small_bin_class(int bin) {  // the inverse of small_bin
  if (bin < 8) return static_cast<size_t>(bin + 1) * kBufferAlignment;
  const int log2_half = 9 + (bin - 8) / 4;
  return (size_t{1} << log2_half) + static_cast<size_t>((bin - 8) % 4 + 1) * ((size_t{1} << (log2_half + 1)) / 8);
}

}  // namespace

struct PoolAllocator::State {
  mutable std::mutex mutex;
  std::array<std::vector<void*>, kSmallBins> small_blocks;     // bin of a class below 2 MiB -> blocks
  std::unordered_map<size_t, std::vector<void*>> huge_blocks;  // size class -> blocks
  MemoryStats stats;

  std::vector<void*>& blocks(size_t cls) {
    return is_huge(cls) ? huge_blocks[cls] : small_blocks[static_cast<size_t>(small_bin(cls))];
  }
};

PoolAllocator::PoolAllocator() : state_(new State) {
  state_->stats.pool_limit = size_t{2} << 30;  // 2 GiB: a few large temporaries of a hot loop
}

PoolAllocator::~PoolAllocator() {
  release_pooled();
  delete state_;
}

PoolAllocator& PoolAllocator::instance() {
  // Leaked on purpose: buffers may be freed by Python during interpreter shutdown, after static
  // destructors would have run.
  static PoolAllocator* pool = new PoolAllocator;
  return *pool;
}

size_t PoolAllocator::size_class(size_t nbytes) {
  if (nbytes <= kBufferAlignment) return kBufferAlignment;
  if (nbytes >= kHugePageSize) {
    return (nbytes + kHugePageSize - 1) & ~(kHugePageSize - 1);
  }
  // Four classes per power of two: at most 25% of a block is slack.
  size_t top = size_t{1} << (63 - __builtin_clzll(nbytes - 1) + 1);  // next power of two >= nbytes
  size_t quarter = std::max(top / 8, kBufferAlignment);
  return (nbytes + quarter - 1) / quarter * quarter;
}

void* PoolAllocator::allocate(size_t nbytes) {
  size_t cls = size_class(nbytes);
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto& s = state_->stats;
    ++s.allocations;
    auto& blocks = state_->blocks(cls);
    if (!blocks.empty()) {
      void* p = blocks.back();
      blocks.pop_back();
      ++s.pool_hits;
      s.bytes_pooled -= cls;
      s.bytes_in_use += cls;
      return p;
    }
  }
  void* p = os_allocate(cls);  // outside the lock: mmap may take a while
  std::lock_guard<std::mutex> lock(state_->mutex);
  ++state_->stats.os_allocations;
  state_->stats.bytes_in_use += cls;
  return p;
}

void PoolAllocator::deallocate(void* ptr, size_t nbytes) {
  if (!ptr) return;
  size_t cls = size_class(nbytes);
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto& s = state_->stats;
    s.bytes_in_use -= cls;
    if (s.bytes_pooled + cls <= s.pool_limit) {
      state_->blocks(cls).push_back(ptr);
      s.bytes_pooled += cls;
      return;
    }
    ++s.os_frees;
  }
  os_free(ptr, cls);
}

MemoryStats PoolAllocator::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  MemoryStats s = state_->stats;
  s.allocations += small_allocations_.load(std::memory_order_relaxed);
  return s;
}

void PoolAllocator::set_pool_limit(size_t bytes) {
  std::vector<std::pair<void*, size_t>> to_free;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto& s = state_->stats;
    s.pool_limit = bytes;
    // Drop the largest classes first: they hold the most memory per block.
    std::vector<size_t> classes;
    for (auto& [cls, blocks] : state_->huge_blocks) classes.push_back(cls);
    for (int bin = 0; bin < kSmallBins; ++bin) {
      if (!state_->small_blocks[static_cast<size_t>(bin)].empty()) classes.push_back(small_bin_class(bin));
    }
    std::sort(classes.rbegin(), classes.rend());
    for (size_t cls : classes) {
      auto& blocks = state_->blocks(cls);
      while (s.bytes_pooled > s.pool_limit && !blocks.empty()) {
        to_free.emplace_back(blocks.back(), cls);
        blocks.pop_back();
        s.bytes_pooled -= cls;
        ++s.os_frees;
      }
    }
  }
  for (auto [p, cls] : to_free) os_free(p, cls);
}

void PoolAllocator::release_pooled() {
  size_t limit = stats().pool_limit;
  set_pool_limit(0);
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->stats.pool_limit = limit;
}

}  // namespace numfuse
