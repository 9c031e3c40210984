// The lazy engine's error path: a task that throws on a pool thread reaches the caller (first
// error wins, the other tasks stop), a failed node keeps its error, frees what it allocated and
// never blocks a write into its inputs; floating-point flags reach the reporter from every thread.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <utility>
#include <string>
#include <vector>

#include "numfuse/core/allocator.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/eager_threads.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
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


// ---- floating-point flags (ufuncs/fp_status.hpp) ---------------------------------------------

// Records what the outermost evaluations report, for the duration of a test.
struct FpReports {
  static inline std::vector<ufuncs::fp::Status> seen;
  static bool record(const ufuncs::fp::Status& s, const char*) {
    seen.push_back(s);
    return true;
  }
  ufuncs::fp::Reporter old = std::exchange(ufuncs::fp::reporter(), &record);
  FpReports() { seen.clear(); }
  ~FpReports() { ufuncs::fp::reporter() = old; }
};

Array doubles(int64_t n, double value_at, int64_t at, double fill) {
  Array a = Array::empty({n}, DType::Float64);
  for (int64_t i = 0; i < n; ++i) a.data_as<double>()[i] = fill;
  a.data_as<double>()[at] = value_at;
  return a;
}

TEST(JitFpFlags, FusedGroupNamesEachOpOnEveryThreadCount) {
  for (int threads : {1, 2, 3}) {
    ThreadsGuard guard(threads);
    FpReports reports;
    const int64_t n = int64_t{1} << 18;
    Array x = doubles(n, 0.0, n - 3, 2.0);  // log(0): divide; sqrt(-2): invalid everywhere
    Array neg = apply(OpId::negative, {{x, ufuncs::Weak::None}}, std::nullopt);
    Array r = apply(OpId::add, {{apply(OpId::log, {{x, ufuncs::Weak::None}}, std::nullopt), ufuncs::Weak::None},
                                {apply(OpId::sqrt, {{neg, ufuncs::Weak::None}}, std::nullopt), ufuncs::Weak::None}},
                    std::nullopt);
    r.data();
    ASSERT_EQ(reports.seen.size(), 1u) << threads;
    const auto& s = reports.seen.front();
    EXPECT_EQ(s.flags, ufuncs::fp::kDivide | ufuncs::fp::kInvalid);
    ASSERT_EQ(s.count, 2);
    const auto& first = s.entries[0].source == static_cast<int16_t>(OpId::log) ? s.entries[0] : s.entries[1];
    const auto& second = &first == &s.entries[0] ? s.entries[1] : s.entries[0];
    EXPECT_EQ(first.source, static_cast<int16_t>(OpId::log));
    EXPECT_EQ(first.flags, ufuncs::fp::kDivide);
    EXPECT_EQ(second.source, static_cast<int16_t>(OpId::sqrt));
    EXPECT_EQ(second.flags, ufuncs::fp::kInvalid);
  }
}

TEST(JitFpFlags, CleanInputsAndNaNsReportNothing) {
  FpReports reports;
  Array x = doubles(1000, std::numeric_limits<double>::quiet_NaN(), 7, 0.5);
  for (OpId op : {OpId::exp, OpId::log, OpId::sin, OpId::tanh, OpId::sign, OpId::cbrt}) {
    apply(op, {{x, ufuncs::Weak::None}}, std::nullopt).data();
  }
  for (OpId op : {OpId::less, OpId::maximum, OpId::floor_divide, OpId::arctan2, OpId::hypot}) {
    apply(op, {{x, ufuncs::Weak::None}, {x, ufuncs::Weak::None}}, std::nullopt).data();
  }
  EXPECT_TRUE(reports.seen.empty());
}

TEST(JitFpFlags, IntegerDivisionByZeroIsARule) {
  FpReports reports;
  Array r = apply(OpId::remainder, {{counting(100), ufuncs::Weak::None}, {ints(100, 0, 3), ufuncs::Weak::None}},
                  std::nullopt);
  r.data();
  ASSERT_EQ(reports.seen.size(), 1u);
  EXPECT_EQ(reports.seen[0].flags, ufuncs::fp::kDivide);
  EXPECT_EQ(reports.seen[0].entries[0].source, static_cast<int16_t>(OpId::remainder));
}

}  // namespace
}  // namespace numfuse::jit
