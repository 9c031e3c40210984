#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "numfuse/core/allocator.hpp"

namespace numfuse {
namespace {

TEST(PoolAllocator, BlocksAre64ByteAligned) {
  PoolAllocator pool;
  for (size_t n : {size_t{0}, size_t{1}, size_t{63}, size_t{100}, size_t{4097}, size_t{1} << 20}) {
    void* p = pool.allocate(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kBufferAlignment, 0u) << n;
    pool.deallocate(p, n);
  }
}

TEST(PoolAllocator, FreedBlockIsReusedForSameSizeClass) {
  PoolAllocator pool;
  void* a = pool.allocate(1000);
  pool.deallocate(a, 1000);
  void* b = pool.allocate(990);  // same size class as 1000
  EXPECT_EQ(a, b);
  EXPECT_EQ(pool.stats().pool_hits, 1u);
  pool.deallocate(b, 990);
}

TEST(PoolAllocator, LargeBlocksAreHugePageAlignedAndReused) {
  PoolAllocator pool;
  size_t n = 80u << 20;  // 80 MiB, as in the first-touch measurement
  void* a = pool.allocate(n);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % kHugePageSize, 0u);
  std::memset(a, 1, n);  // the block is really usable
  pool.deallocate(a, n);
  EXPECT_EQ(pool.stats().bytes_pooled, PoolAllocator::size_class(n));
  void* b = pool.allocate(n);
  EXPECT_EQ(a, b);
  pool.deallocate(b, n);
}

TEST(PoolAllocator, SizeClassesBoundSlack) {
  for (size_t n = 65; n < (size_t{4} << 20); n = n * 3 / 2 + 7) {
    size_t cls = PoolAllocator::size_class(n);
    EXPECT_GE(cls, n);
    // Small blocks: four classes per power of two; huge blocks: whole 2 MiB pages.
    size_t slack = PoolAllocator::is_huge(cls) ? kHugePageSize : n / 4 + kBufferAlignment;
    EXPECT_LE(cls - n, slack) << n;
    EXPECT_EQ(PoolAllocator::size_class(cls), cls) << "size classes are fixed points";
  }
}

TEST(PoolAllocator, CapReturnsMemoryToTheOs) {
  PoolAllocator pool;
  pool.set_pool_limit(4096);
  void* a = pool.allocate(1 << 20);
  pool.deallocate(a, 1 << 20);
  MemoryStats s = pool.stats();
  EXPECT_EQ(s.bytes_pooled, 0u);
  EXPECT_EQ(s.os_frees, 1u);
  EXPECT_EQ(s.bytes_in_use, 0u);
}

TEST(PoolAllocator, LoweringTheLimitTrimsThePool) {
  PoolAllocator pool;
  void* a = pool.allocate(1 << 16);
  void* b = pool.allocate(1 << 18);
  pool.deallocate(a, 1 << 16);
  pool.deallocate(b, 1 << 18);
  EXPECT_EQ(pool.stats().bytes_pooled, size_t{(1 << 16) + (1 << 18)});
  pool.set_pool_limit(1 << 17);
  EXPECT_LE(pool.stats().bytes_pooled, size_t{1} << 17);
  pool.release_pooled();
  EXPECT_EQ(pool.stats().bytes_pooled, 0u);
}

TEST(PoolAllocator, ImpossibleRequestThrowsBadAlloc) {
  PoolAllocator pool;
  EXPECT_THROW(pool.allocate(size_t{1} << 62), std::bad_alloc);
}

}  // namespace
}  // namespace numfuse
