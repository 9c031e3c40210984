// Buffers over the same bytes (two wraps of one NumPy array, an export wrapped back, overlapping
// slices) find each other through the registry of shared memory: a write through one runs the
// pending readers of all.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "numfuse/core/buffer.hpp"

namespace numfuse {
namespace {

struct CountingReader : PendingWork {
  int runs = 0;
  void run() override { ++runs; }
};

// In-place work pending on a buffer: must clear itself, as the contract says.
struct PendingUpdate : PendingWork {
  Buffer* target = nullptr;
  int runs = 0;
  void run() override {
    ++runs;
    target->clear_pending();
  }
};

std::shared_ptr<Buffer> wrap(std::vector<double>& memory, size_t first, size_t count) {
  return Buffer::external(memory.data() + first, count * sizeof(double), nullptr);
}

TEST(BufferSharing, TwoWrapsOfTheSameBytesRunEachOthersReaders) {
  std::vector<double> memory(8);
  auto x = wrap(memory, 0, 8);
  auto y = wrap(memory, 0, 8);
  auto reader = std::make_shared<CountingReader>();
  x->add_reader(reader);
  y->prepare_write();
  EXPECT_EQ(reader->runs, 1);
  y->add_reader(reader);
  x->prepare_write();
  EXPECT_EQ(reader->runs, 2);
}

TEST(BufferSharing, OnlyOverlappingRangesInteract) {
  std::vector<double> memory(8);
  auto low = wrap(memory, 0, 5);   // elements 0..4
  auto high = wrap(memory, 3, 5);  // elements 3..7: overlaps low
  auto tail = wrap(memory, 5, 3);  // elements 5..7: overlaps high only
  auto low_reader = std::make_shared<CountingReader>();
  low->add_reader(low_reader);
  tail->prepare_write();
  EXPECT_EQ(low_reader->runs, 0);
  high->prepare_write();
  EXPECT_EQ(low_reader->runs, 1);
  EXPECT_TRUE(low->has_aliases());
  EXPECT_TRUE(tail->has_aliases());
  high.reset();
  EXPECT_FALSE(low->has_aliases());
  EXPECT_FALSE(tail->has_aliases());
}

TEST(BufferSharing, EntriesLeaveTheRegistryWithTheirBuffers) {
  std::vector<double> memory(4);
  auto x = wrap(memory, 0, 4);
  EXPECT_FALSE(x->has_aliases());
  for (int i = 0; i < 1000; ++i) {
    auto y = wrap(memory, 1, 2);
    EXPECT_TRUE(x->has_aliases());
  }
  EXPECT_FALSE(x->has_aliases());
}

TEST(BufferSharing, PooledMemoryJoinsWhenShared) {
  auto pooled = Buffer::allocate(64);
  auto reader = std::make_shared<CountingReader>();
  pooled->add_reader(reader);
  auto before = Buffer::external(pooled->storage(), 64, nullptr);  // not shared yet: invisible
  before->prepare_write();
  EXPECT_EQ(reader->runs, 0);
  Buffer::share(pooled);
  Buffer::share(pooled);  // idempotent
  auto wrapped = Buffer::external(pooled->storage() + 8, 16, nullptr);
  wrapped->prepare_write();
  EXPECT_EQ(reader->runs, 1);
  auto wrapped_reader = std::make_shared<CountingReader>();
  wrapped->add_reader(wrapped_reader);
  pooled->prepare_write();
  EXPECT_EQ(wrapped_reader->runs, 1);
}

TEST(BufferSharing, PendingWorkOnTheBytesRunsWhenANewHandleAppears) {
  auto pooled = Buffer::allocate(64);
  Buffer::share(pooled);
  auto update = std::make_shared<PendingUpdate>();
  update->target = pooled.get();
  pooled->set_pending(update);
  auto wrapped = Buffer::external(pooled->storage(), 64, nullptr);
  EXPECT_EQ(update->runs, 1);
  EXPECT_FALSE(pooled->is_pending());
}

TEST(BufferSharing, EmptyRangesAreNeverAliases) {
  std::vector<double> memory(4);
  auto x = wrap(memory, 0, 4);
  auto empty = wrap(memory, 2, 0);
  EXPECT_FALSE(x->has_aliases());
  EXPECT_FALSE(empty->has_aliases());
}

TEST(BufferSharing, ConcurrentWrapsWritesAndDeaths) {
  std::vector<double> memory(64);
  auto anchor = wrap(memory, 0, 64);
  std::atomic<int> reader_runs{0};
  struct AtomicReader : PendingWork {
    std::atomic<int>* runs;
    explicit AtomicReader(std::atomic<int>* r) : runs(r) {}
    void run() override { ++*runs; }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        auto mine = wrap(memory, static_cast<size_t>((t * 7 + i) % 48), 16);
        auto reader = std::make_shared<AtomicReader>(&reader_runs);
        mine->add_reader(reader);
        if (i % 3 == 0) mine->prepare_write();
        EXPECT_TRUE(mine->has_aliases());  // the anchor covers everything
      }
    });
  }
  for (auto& th : threads) th.join();
  anchor->prepare_write();
  EXPECT_GT(reader_runs.load(), 0);
  EXPECT_FALSE(anchor->has_aliases());
}

}  // namespace
}  // namespace numfuse
