#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numeric>
#include <vector>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/thread_pool.hpp"

namespace numfuse::jit {
namespace {

using ufuncs::OpId;
using ufuncs::Operand;

Array iota(int64_t n, double scale = 1.0) {
  Array a = Array::empty({n}, DType::Float64);
  for (int64_t i = 0; i < n; ++i) a.data_as<double>()[i] = static_cast<double>(i) * scale;
  return a;
}

Array op(OpId id, std::vector<Array> inputs) {
  std::vector<Operand> ops;
  for (auto& a : inputs) ops.push_back({a, ufuncs::Weak::None});
  return apply(id, ops, std::nullopt);
}

TEST(Lazy, OpsRecordAndFuseIntoOneGroup) {
  reset_stats();
  Array a = iota(5000), b = iota(5000, 0.5), c = iota(5000, 2.0);
  Array r = op(OpId::add, {op(OpId::multiply, {a, b}), c});
  EXPECT_TRUE(r.buffer()->is_pending());
  EXPECT_EQ(r.shape(), (Shape{5000}));
  EXPECT_EQ(stats().groups_run, 0u);
  const double* p = r.data_as<double>();  // reading forces the group
  EXPECT_EQ(stats().groups_run, 1u);
  for (int i = 0; i < 5000; i += 777) EXPECT_DOUBLE_EQ(p[i], i * (0.5 * i) + 2.0 * i);
}

TEST(Lazy, ShapeAndDtypeErrorsAtRecordTime) {
  Array a = iota(3), b = iota(4);
  EXPECT_THROW(op(OpId::add, {a, b}), Error);
  EXPECT_THROW(op(OpId::bitwise_and, {a, a}), Error);
}

TEST(Lazy, WriteIntoAnInputRunsPendingReadersFirst) {
  Array a = iota(8);
  Array r = op(OpId::multiply, {a, a});
  copy_into(a, scalar_array(100.0, DType::Float64));
  EXPECT_DOUBLE_EQ(r.data_as<double>()[3], 9.0);
}

TEST(Lazy, SameBodyHitsTheProgramCache) {
  Array a = iota(1000), b = iota(1000);
  op(OpId::subtract, {op(OpId::multiply, {a, b}), a}).data();
  reset_stats();
  for (int i = 0; i < 50; ++i) op(OpId::subtract, {op(OpId::multiply, {a, b}), a}).data();
  EXPECT_EQ(stats().cache_misses, 0u);
  EXPECT_EQ(stats().cache_hits, 50u);
}

TEST(Lazy, FusedSumMatchesEagerAndIsDeterministicAcrossThreadCounts) {
  const int64_t n = 300'000;
  Array a = iota(n, 1e-3);
  auto fused_sum = [&] {
    auto s = reduce_all(ReductionOp::sum, op(OpId::multiply, {a, a}));
    EXPECT_TRUE(s.has_value());
    return *s->data_as<double>();
  };
  set_num_threads(1);
  double one = fused_sum();
  set_num_threads(2);
  double two = fused_sum();
  double exact = 0;
  for (int64_t i = 0; i < n; ++i) exact += (i * 1e-3) * (i * 1e-3);
  EXPECT_NEAR(one, exact, std::abs(exact) * 1e-12);
  EXPECT_NEAR(two, exact, std::abs(exact) * 1e-12);
  EXPECT_EQ(fused_sum(), two) << "same thread count, same bits";
}

TEST(ThreadPool, RunsEveryTaskOnce) {
  ThreadPool pool;
  pool.resize(3);
  std::vector<std::atomic<int>> hits(100);
  for (int round = 0; round < 20; ++round) {
    pool.parallel_for(100, [&](int t) { hits[t]++; });
  }
  for (auto& h : hits) EXPECT_EQ(h.load(), 20);
}

}  // namespace
}  // namespace numfuse::jit
