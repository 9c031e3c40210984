// The lazy engine's error path: a task that throws on a pool thread reaches the caller (first
// error wins, the other tasks stop), a failed node keeps its error, frees what it allocated and
// never blocks a write into its inputs.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "numfuse/core/allocator.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/eager_threads.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::jit {
namespace {

using ufuncs::OpId;

// Restores the global pool's thread count when a test ends.
struct ThreadsGuard {
  int old = num_threads();
  explicit ThreadsGuard(int n) { set_num_threads(n); }
  ~ThreadsGuard() { set_num_threads(old); }
};

Array ints(int64_t n, int64_t value_at_end, int64_t fill) {
  Array a = Array::empty({n}, DType::Int64);
  for (int64_t i = 0; i < n; ++i) a.data_as<int64_t>()[i] = fill;
  a.data_as<int64_t>()[n - 1] = value_at_end;
  return a;
}

Array counting(int64_t n) {
  Array a = Array::empty({n}, DType::Int64);
  for (int64_t i = 0; i < n; ++i) a.data_as<int64_t>()[i] = i + 1;
  return a;
}

Array power(const Array& a, const Array& e) {
  return apply(OpId::power, {{a, ufuncs::Weak::None}, {e, ufuncs::Weak::None}}, std::nullopt);
}

// The kind and message of the Error `f` throws (an empty message if it throws nothing).
template <class F>
std::pair<ErrorKind, std::string> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  return {ErrorKind::Runtime, ""};
}

const std::string kNegativePower = "Integers to negative integer powers are not allowed.";

TEST(PoolErrors, FirstErrorReachesTheCallerAndThePoolStaysUsable) {
  ThreadPool pool;
  pool.resize(3);
  std::atomic<int> ran{0};
  auto failing = [&](int t) {
    ++ran;
    if (t % 10 == 7) throw_index_error("task " + std::to_string(t));
  };
  for (int round = 0; round < 20; ++round) {
    auto [kind, message] = error_of([&] { pool.parallel_for(100, failing); });
    EXPECT_EQ(kind, ErrorKind::Index);
    EXPECT_EQ(message.rfind("task ", 0), 0u) << message;
  }
  EXPECT_LT(ran.load(), 20 * 100);  // failed jobs hand out no more tasks
  std::vector<std::atomic<int>> hits(100);
  pool.parallel_for(100, [&](int t) { hits[t]++; });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(PoolErrors, RunningTasksSeeStopRequested) {
  ThreadPool pool;
  pool.resize(4);
  std::atomic<int> exhausted{0};
  // Task 0 fails; the others spin until told to stop (bounded, so a broken flag fails, not hangs).
  EXPECT_THROW(pool.parallel_for(4, [&](int t) {
    if (t == 0) throw_value_error("bad");
    for (long i = 0; i < 4000000000L; ++i) {
      if (ThreadPool::stop_requested()) return;
    }
    ++exhausted;
  }), Error);
  EXPECT_EQ(exhausted.load(), 0);
  EXPECT_FALSE(ThreadPool::stop_requested());  // outside any task
}

TEST(PoolErrors, NestedCallsRunInlineAndPropagate) {
  ThreadPool pool;
  pool.resize(2);
  std::atomic<int> inner{0};
  pool.parallel_for(2, [&](int) { pool.parallel_for(3, [&](int) { ++inner; }); });
  EXPECT_EQ(inner.load(), 6);
  EXPECT_THROW(pool.parallel_for(2, [&](int t) {
    pool.parallel_for(3, [&](int u) { if (t == 1 && u == 2) throw_type_error("inner"); });
  }), Error);
}

TEST(PoolErrors, EagerRunnerRethrowsOnTheCallingThread) {
  ThreadsGuard threads(3);
  lend_thread_pool_to_eager_kernels();
  std::atomic<int> ran{0};
  auto [kind, message] = error_of([&] {
    ufuncs::parallel_for(64, [&](int t) {
      ++ran;
      if (t == 5) throw_value_error("eager task");
    });
  });
  ufuncs::set_parallel_runner({});
  EXPECT_EQ(kind, ErrorKind::Value);
  EXPECT_EQ(message, "eager task");
}

TEST(NodeErrors, ThreadedKernelErrorIsAValueErrorEveryTime) {
  ThreadsGuard threads(2);
  const int64_t n = 1 << 18;  // large enough to run on every thread
  Array a = counting(n);
  Array r = power(a, ints(n, -1, 2));
  for (int i = 0; i < 3; ++i) {
    auto [kind, message] = error_of([&] { r.data(); });
    EXPECT_EQ(kind, ErrorKind::Value);
    EXPECT_EQ(message, kNegativePower);
  }
  // The engine goes on: the same expression on good data.
  Array ok = power(a, ints(n, 3, 2));
  EXPECT_EQ(ok.data_as<int64_t>()[n - 1], n * n * n);
  EXPECT_EQ(ok.data_as<int64_t>()[10], 11 * 11);
}

TEST(NodeErrors, FusedReductionFails) {
  ThreadsGuard threads(2);
  const int64_t n = 1 << 18;
  std::optional<Array> s = reduce_all(ReductionOp::sum, power(counting(n), ints(n, -1, 1)));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(error_of([&] { s->data(); }).second, kNegativePower);
  EXPECT_EQ(error_of([&] { s->data(); }).second, kNegativePower);
}

TEST(NodeErrors, FailuresFreeWhatTheyAllocated) {
  ThreadsGuard threads(2);
  for (int64_t n : {int64_t{100}, int64_t{1} << 17}) {
    Array a = counting(n), e = ints(n, -1, 1);
    // Warms up the program cache, thread-local block buffers and the pool's size classes.
    EXPECT_THROW(power(a, e).data(), Error);
  }
  const int64_t n = 1 << 17;
  Array a = counting(n), e = ints(n, -1, 1);
  const size_t before = PoolAllocator::instance().stats().bytes_in_use;
  for (int i = 0; i < 50; ++i) {
    EXPECT_THROW(power(a, e).data(), Error);
  }
  EXPECT_EQ(PoolAllocator::instance().stats().bytes_in_use, before);
}

TEST(NodeErrors, WriteIntoTheInputOfAFailedReaderGoesThrough) {
  Array a = counting(3);
  Array e = Array::empty({3}, DType::Int64);
  const int64_t exps[] = {1, -1, 2};
  for (int i = 0; i < 3; ++i) e.data_as<int64_t>()[i] = exps[i];
  Array doubled = apply(OpId::add, {{a, ufuncs::Weak::None}, {a, ufuncs::Weak::None}}, std::nullopt);
  Array b = power(a, e);
  copy_into(a, scalar_array(5.0, DType::Float64));  // runs both readers: b fails, doubled does not
  EXPECT_EQ(a.data_as<int64_t>()[0], 5);
  EXPECT_EQ(doubled.data_as<int64_t>()[2], 6);  // the values before the write
  EXPECT_EQ(error_of([&] { b.data(); }).second, kNegativePower);
  EXPECT_EQ(error_of([&] { b.data(); }).second, kNegativePower);
  // Using the failed result in a new expression raises its error too.
  EXPECT_EQ(error_of([&] { power(b, e); }).second, kNegativePower);
}

}  // namespace
}  // namespace numfuse::jit
