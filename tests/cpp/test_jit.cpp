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

// A Produced node whose rows are value(i, j) = i * 1000 + j, counting the rows it is asked for.
struct RowCounter {
  std::vector<std::pair<int64_t, int64_t>> calls;
};

Array produced_grid(int64_t rows, int64_t cols, int64_t min_panel_rows, RowCounter& counter) {
  return produced({rows, cols}, DType::Float64,
                  [cols, &counter](int64_t first, int64_t end, Array& out) {
                    counter.calls.emplace_back(first, end);
                    for (int64_t i = first; i < end; ++i) {
                      for (int64_t j = 0; j < cols; ++j) {
                        out.data_as<double>()[(i - first) * cols + j] = static_cast<double>(i * 1000 + j);
                      }
                    }
                  },
                  min_panel_rows, {});
}

TEST(Produced, EpilogueRunsPanelByPanelOverATemporary) {
  const int64_t old = set_product_panel_bytes(10 * 8 * 64);  // 10 rows of 64 float64
  RowCounter counter;
  Array bias = iota(64);
  // (grid + bias) * 2: the grid is nobody's but the expression's, so it is made in panels.
  Array r = op(OpId::multiply, {op(OpId::add, {produced_grid(95, 64, 4, counter), bias}),
                                scalar_array(2.0, DType::Float64)});
  const double* p = r.data_as<double>();
  set_product_panel_bytes(old);
  ASSERT_EQ(counter.calls.size(), 10u);  // 9 panels of 10 rows and one of 5
  EXPECT_EQ(counter.calls.back(), (std::pair<int64_t, int64_t>{90, 95}));
  for (int64_t i = 0; i < 95; ++i) {
    for (int64_t j = 0; j < 64; j += 9) EXPECT_EQ(p[i * 64 + j], 2.0 * (i * 1000 + j + j));
  }
}

TEST(Produced, ShortPanelsAndHeldResultsAreMadeWhole) {
  const int64_t old = set_product_panel_bytes(10 * 8 * 64);
  RowCounter short_panels, held;
  Array bias = iota(64);
  // Panels of 10 rows are shorter than the producer's minimum (20): one call for all rows.
  Array r = op(OpId::add, {produced_grid(95, 64, 20, short_panels), bias});
  EXPECT_EQ(r.data_as<double>()[94 * 64 + 3], 94003.0 + 3.0);
  EXPECT_EQ(short_panels.calls.size(), 1u);
  // A product someone holds is computed whole into its own memory, then read.
  Array grid = produced_grid(95, 64, 1, held);
  Array s = op(OpId::add, {grid, bias});
  EXPECT_EQ(s.data_as<double>()[50 * 64 + 7], 50007.0 + 7.0);
  EXPECT_EQ(grid.data_as<double>()[50 * 64 + 7], 50007.0);
  EXPECT_EQ(held.calls.size(), 1u);
  set_product_panel_bytes(old);
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
