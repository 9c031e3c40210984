// The reduction block kernels obey their contract: folding a run in one accumulate() call, or in
// pieces accumulated into separate states and combined in order, or element by element through
// accumulate_rows(), gives the same result (exactly for integers, min/max, arg*, any/all and
// scans; within rounding for float sums and variances). Plus the eager engine on small arrays.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/parallel.hpp"
#include "numfuse/ufuncs/reduce.hpp"
#include "numfuse/ufuncs/reduce_extrema.hpp"
#include "numfuse/ufuncs/reduce_kernels.hpp"
#include "numfuse/ufuncs/reduce_moments.hpp"

namespace nr = numfuse::reduction;

namespace {

template <class T>
const std::byte* bytes(const std::vector<T>& v) {
  return reinterpret_cast<const std::byte*>(v.data());
}

template <class K>
typename K::result_type finalize(const typename K::State& s, nr::FinalizeContext* ctx = nullptr) {
  nr::FinalizeContext local;
  typename K::result_type r;
  K::finalize(s, reinterpret_cast<std::byte*>(&r), ctx ? *ctx : local);
  return r;
}

// One accumulate() over all of `data`.
template <class K, class T>
typename K::State one_pass(const std::vector<T>& data) {
  typename K::State s;
  K::init(s);
  K::accumulate(s, bytes(data), sizeof(T), static_cast<int64_t>(data.size()));
  return s;
}

// The same data cut at `cuts`, each piece in its own state, combined left to right.
template <class K, class T>
typename K::State split_pass(const std::vector<T>& data, std::vector<int64_t> cuts) {
  const int64_t size = static_cast<int64_t>(data.size());
  std::erase_if(cuts, [size](int64_t c) { return c >= size; });
  cuts.insert(cuts.begin(), 0);
  cuts.push_back(size);
  typename K::State total;
  K::init(total);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    typename K::State piece;
    K::init(piece);
    K::accumulate(piece, bytes(data) + cuts[i] * sizeof(T), sizeof(T), cuts[i + 1] - cuts[i]);
    K::combine(total, piece);
  }
  return total;
}

// Element by element through accumulate_rows() with a single-state "row".
template <class K, class T>
typename K::State row_pass(const std::vector<T>& data) {
  typename K::State s;
  K::init(s);
  for (const T& v : data) {
    K::accumulate_rows(reinterpret_cast<std::byte*>(&s), sizeof(s),
                       reinterpret_cast<const std::byte*>(&v), sizeof(T), 1);
  }
  return s;
}

const std::vector<std::vector<int64_t>> kSplits = {{1}, {7, 8}, {100, 101, 1000}, {4095}, {3, 2000, 2001}};

std::vector<double> random_doubles(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(3.0, 10.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

TEST(ReduceKernels, IntegerSumIsExactInEverySplit) {
  std::vector<int32_t> data(5000);
  std::mt19937 rng(1);
  for (auto& x : data) x = static_cast<int32_t>(rng());
  using K = nr::FoldKernel<int32_t, int64_t, nr::AddFold>;
  int64_t expected = 0;
  for (int32_t x : data) expected += x;
  EXPECT_EQ(finalize<K>(one_pass<K>(data)), expected);
  EXPECT_EQ(finalize<K>(row_pass<K>(data)), expected);
  for (const auto& cuts : kSplits) EXPECT_EQ(finalize<K>(split_pass<K>(data, cuts)), expected);
}

TEST(ReduceKernels, IntegerSumWrapsAround) {
  std::vector<int64_t> data = {std::numeric_limits<int64_t>::max(), 1};
  using K = nr::FoldKernel<int64_t, int64_t, nr::AddFold>;
  EXPECT_EQ(finalize<K>(one_pass<K>(data)), std::numeric_limits<int64_t>::min());
}

TEST(ReduceKernels, FloatSumSplitsAgreeAndBeatSequentialError) {
  const auto data = random_doubles(100000, 2);
  using K = nr::FoldKernel<double, double, nr::AddFold>;
  long double exact = 0;
  for (double x : data) exact += x;
  const double one = finalize<K>(one_pass<K>(data));
  EXPECT_NEAR(one, static_cast<double>(exact), std::abs(static_cast<double>(exact)) * 1e-14);
  for (const auto& cuts : kSplits) {
    EXPECT_NEAR(finalize<K>(split_pass<K>(data, cuts)), one, std::abs(one) * 1e-14);
  }
}

TEST(ReduceKernels, PairwiseMatchesTheBlockStructure) {
  // 8 accumulators: for n = 16 the sum is ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), r_j = x_j + x_j+8.
  std::vector<float> data(16);
  for (int i = 0; i < 16; ++i) data[i] = (i % 2 ? 1e8f : 1.0f) * (i < 8 ? 1.0f : -1.0f);
  using K = nr::FoldKernel<float, float, nr::AddFold>;
  EXPECT_EQ(finalize<K>(one_pass<K>(data)), 0.0f);  // sequential float32 order would lose the 1s
}

TEST(ReduceKernels, ComplexSumSplitsAgree) {
  const auto re = random_doubles(3001, 3), im = random_doubles(3001, 4);
  std::vector<std::complex<double>> data(re.size());
  for (size_t i = 0; i < re.size(); ++i) data[i] = {re[i], im[i]};
  using K = nr::FoldKernel<std::complex<double>, std::complex<double>, nr::AddFold>;
  std::complex<double> expected = 0;
  for (auto v : data) expected += v;
  const auto one = finalize<K>(one_pass<K>(data));
  EXPECT_NEAR(one.real(), expected.real(), 1e-9);
  EXPECT_NEAR(one.imag(), expected.imag(), 1e-9);
  for (const auto& cuts : kSplits) {
    const auto split = finalize<K>(split_pass<K>(data, cuts));
    EXPECT_NEAR(split.real(), one.real(), 1e-9);
    EXPECT_NEAR(split.imag(), one.imag(), 1e-9);
  }
}

template <class K, class T>
void expect_same_everywhere(const std::vector<T>& data) {
  const auto one = finalize<K>(one_pass<K>(data));
  auto same = [](auto a, auto b) {
    if constexpr (std::is_floating_point_v<decltype(a)>) {
      return (std::isnan(a) && std::isnan(b)) || a == b;
    } else {
      return a == b;
    }
  };
  EXPECT_TRUE(same(finalize<K>(row_pass<K>(data)), one));
  for (const auto& cuts : kSplits) EXPECT_TRUE(same(finalize<K>(split_pass<K>(data, cuts)), one));
}

TEST(ReduceKernels, MinMaxAndArgAgreeInEverySplit) {
  auto data = random_doubles(4200, 5);
  data[3333] = 1e6;   // the max, late
  data[17] = -1e6;    // the min, early
  data[3000] = 1e6;   // a tie before it: argmax must pick 3000
  using Max = nr::ExtremumKernel<double, true, false>;
  using ArgMax = nr::ArgExtremumKernel<double, true>;
  using ArgMin = nr::ArgExtremumKernel<double, false>;
  EXPECT_EQ(finalize<Max>(one_pass<Max>(data)), 1e6);
  EXPECT_EQ(finalize<ArgMax>(one_pass<ArgMax>(data)), 3000);
  EXPECT_EQ(finalize<ArgMin>(one_pass<ArgMin>(data)), 17);
  expect_same_everywhere<Max>(data);
  expect_same_everywhere<ArgMax>(data);
  expect_same_everywhere<ArgMin>(data);
}

TEST(ReduceKernels, NaNPropagatesInMinMaxAndIsSkippedByNanVariants) {
  auto data = random_doubles(3000, 6);
  data[2500] = std::nan("");
  data[2600] = std::nan("");
  using Max = nr::ExtremumKernel<double, true, false>;
  using NanMax = nr::ExtremumKernel<double, true, true>;
  using ArgMin = nr::ArgExtremumKernel<double, false>;
  EXPECT_TRUE(std::isnan(finalize<Max>(one_pass<Max>(data))));
  EXPECT_EQ(finalize<ArgMin>(one_pass<ArgMin>(data)), 2500);  // the first NaN
  double expected = -INFINITY;
  for (double x : data) if (!std::isnan(x)) expected = std::max(expected, x);
  EXPECT_EQ(finalize<NanMax>(one_pass<NanMax>(data)), expected);
  expect_same_everywhere<Max>(data);
  expect_same_everywhere<NanMax>(data);
  expect_same_everywhere<ArgMin>(data);

  std::vector<double> all_nan(50, std::nan(""));
  nr::FinalizeContext ctx;
  EXPECT_TRUE(std::isnan(finalize<NanMax>(one_pass<NanMax>(all_nan), &ctx)));
  EXPECT_TRUE(ctx.flags.all_nan_slice);
}

TEST(ReduceKernels, ComplexMaxIsLexicographic) {
  std::vector<std::complex<float>> data = {{1, 5}, {2, -1}, {2, 3}, {0, 9}};
  using Max = nr::ExtremumKernel<std::complex<float>, true, false>;
  using ArgMax = nr::ArgExtremumKernel<std::complex<float>, true>;
  EXPECT_EQ(finalize<Max>(one_pass<Max>(data)), std::complex<float>(2, 3));
  EXPECT_EQ(finalize<ArgMax>(one_pass<ArgMax>(data)), 2);
}

TEST(ReduceKernels, AnyAllAgreeInEverySplit) {
  std::vector<int16_t> data(3000, 0);
  using Any = nr::LogicalKernel<int16_t, false>;
  using All = nr::LogicalKernel<int16_t, true>;
  EXPECT_FALSE(finalize<Any>(one_pass<Any>(data)));
  EXPECT_FALSE(finalize<All>(one_pass<All>(data)));
  data[2999] = 4;
  EXPECT_TRUE(finalize<Any>(one_pass<Any>(data)));
  expect_same_everywhere<Any>(data);
  expect_same_everywhere<All>(data);
}

TEST(ReduceKernels, VarianceSplitsAndRowsMatchTwoPass) {
  auto data = random_doubles(10000, 7);
  for (double& x : data) x += 1e6;  // a large mean: one-pass sum-of-squares formulas fail here
  long double mean = 0;
  for (double x : data) mean += x;
  mean /= data.size();
  long double m2 = 0;
  for (double x : data) m2 += (x - mean) * (x - mean);
  const double expected = static_cast<double>(m2 / data.size());
  using Var = nr::VarianceKernel<double, double, false>;
  EXPECT_NEAR(finalize<Var>(one_pass<Var>(data)), expected, expected * 1e-10);
  EXPECT_NEAR(finalize<Var>(row_pass<Var>(data)), expected, expected * 1e-9);
  for (const auto& cuts : kSplits) {
    EXPECT_NEAR(finalize<Var>(split_pass<Var>(data, cuts)), expected, expected * 1e-10);
  }
  nr::FinalizeContext ddof_ctx;
  ddof_ctx.ddof = 1;
  EXPECT_NEAR(finalize<Var>(one_pass<Var>(data), &ddof_ctx),
              static_cast<double>(m2 / (data.size() - 1)), expected * 1e-10);
}

TEST(ReduceKernels, ScanContinuesAcrossPieces) {
  std::vector<int8_t> data(300);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<int8_t>(i * 7);
  using Scan = nr::ScanKernel<int8_t, int64_t, nr::AddFold>;
  std::vector<int64_t> whole(data.size()), pieces(data.size());
  Scan::State s;
  Scan::init(s);
  Scan::scan(s, bytes(data), 1, reinterpret_cast<std::byte*>(whole.data()), 8, 300);
  Scan::init(s);
  const int64_t cuts[] = {0, 1, 77, 200, 300};
  for (int i = 0; i < 4; ++i) {
    Scan::scan(s, bytes(data) + cuts[i], 1, reinterpret_cast<std::byte*>(pieces.data() + cuts[i]),
               8, cuts[i + 1] - cuts[i]);
  }
  EXPECT_EQ(whole, pieces);
  int64_t running = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    running += data[i];
    EXPECT_EQ(whole[i], running);
  }
}

TEST(ReduceEngine, OuterAndInnerAxisAgree) {
  // A (37, 53) float64 array: axis 0 uses rows of states, axis 1 one run per output.
  numfuse::Array a = numfuse::Array::empty({37, 53}, numfuse::DType::Float64);
  for (int64_t i = 0; i < a.size(); ++i) a.data_as<double>()[i] = static_cast<double>((i * 31) % 97);
  numfuse::ReduceOptions rows, cols;
  rows.axes = std::vector<int64_t>{0};
  cols.axes = std::vector<int64_t>{1};
  auto by_rows = numfuse::reduce(numfuse::ReductionOp::sum, a, rows).value;
  auto by_cols = numfuse::reduce(numfuse::ReductionOp::sum, a, cols).value;
  ASSERT_EQ(by_rows.shape(), (numfuse::Shape{53}));
  ASSERT_EQ(by_cols.shape(), (numfuse::Shape{37}));
  double total_rows = 0, total_cols = 0;
  for (int j = 0; j < 53; ++j) total_rows += by_rows.data_as<double>()[j];
  for (int i = 0; i < 37; ++i) total_cols += by_cols.data_as<double>()[i];
  EXPECT_EQ(total_rows, total_cols);  // small integers: exact
  for (int j = 0; j < 53; ++j) {
    double col = 0;
    for (int i = 0; i < 37; ++i) col += a.data_as<double>()[i * 53 + j];
    EXPECT_EQ(by_rows.data_as<double>()[j], col);
  }
}

TEST(ReduceEngine, ErrorsAreNumPys) {
  numfuse::Array a = numfuse::Array::empty({0, 3}, numfuse::DType::Float64);
  numfuse::ReduceOptions axis0;
  axis0.axes = std::vector<int64_t>{0};
  EXPECT_THROW(numfuse::reduce(numfuse::ReductionOp::max, a, axis0), numfuse::Error);
  numfuse::ReduceOptions bad;
  bad.axes = std::vector<int64_t>{2};
  try {
    numfuse::reduce(numfuse::ReductionOp::sum, a, bad);
    FAIL() << "no AxisError";
  } catch (const numfuse::Error& e) {
    EXPECT_EQ(e.kind(), numfuse::ErrorKind::Axis);
  }
  numfuse::ReduceOptions repeated;
  repeated.axes = std::vector<int64_t>{1, -1};
  try {
    numfuse::reduce(numfuse::ReductionOp::sum, a, repeated);
    FAIL() << "no ValueError";
  } catch (const numfuse::Error& e) {
    EXPECT_EQ(e.kind(), numfuse::ErrorKind::Value);
  }
}

}  // namespace

// ufuncs' own view of threads (parallel.hpp), without jit: a runner that gives every task its own
// std::thread must give the bits of the calling thread alone, for each kind of cut the engine
// makes (pairwise pieces, exact pieces, column ranges, outer-axis ranges).
namespace threaded {

int g_threads = 1;

void run_on_threads(int tasks, numfuse::ufuncs::TaskFn task, void* context) {
  std::vector<std::thread> threads;
  for (int t = 0; t < tasks; ++t) threads.emplace_back(task, context, t);
  for (auto& th : threads) th.join();
}

std::vector<std::byte> bytes_of(const numfuse::Array& a) {
  const auto* p = a.data();
  return std::vector<std::byte>(p, p + a.size() * a.itemsize());
}

std::vector<std::byte> reduce_bits(numfuse::ReductionOp op, const numfuse::Array& a,
                                   std::optional<int64_t> axis) {
  numfuse::ReduceOptions options;
  if (axis) options.axes = std::vector<int64_t>{*axis};
  return bytes_of(numfuse::reduce(op, a, options).value);
}

}  // namespace threaded

TEST(ReduceEngine, ThreadedRunnerGivesTheCallingThreadsBits) {
  using numfuse::ReductionOp;
  numfuse::Array a = numfuse::Array::empty({389, 1031}, numfuse::DType::Float64);  // 401059 elements
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  for (int64_t i = 0; i < a.size(); ++i) a.data_as<double>()[i] = normal(rng) * 1e3;
  numfuse::Array ints = numfuse::astype(a, numfuse::DType::Int64);

  struct Case {
    ReductionOp op;
    const numfuse::Array* input;
    std::optional<int64_t> axis;
  };
  const std::vector<Case> cases = {
      {ReductionOp::sum, &a, std::nullopt},  {ReductionOp::mean, &a, std::nullopt},
      {ReductionOp::max, &a, std::nullopt},  {ReductionOp::argmin, &a, std::nullopt},
      {ReductionOp::sum, &ints, std::nullopt}, {ReductionOp::sum, &a, 0},
      {ReductionOp::mean, &a, 0},            {ReductionOp::var, &a, 0},
      {ReductionOp::sum, &a, 1},             {ReductionOp::argmax, &a, 1},
  };
  std::vector<std::vector<std::byte>> alone;
  for (const Case& c : cases) alone.push_back(threaded::reduce_bits(c.op, *c.input, c.axis));

  for (int threads : {2, 3, 4}) {
    threaded::g_threads = threads;
    numfuse::ufuncs::set_parallel_runner({[] { return threaded::g_threads; }, &threaded::run_on_threads});
    EXPECT_EQ(numfuse::ufuncs::parallel_threads(), threads);
    for (size_t k = 0; k < cases.size(); ++k) {
      EXPECT_EQ(threaded::reduce_bits(cases[k].op, *cases[k].input, cases[k].axis), alone[k])
          << "case " << k << ", " << threads << " threads";
    }
  }
  numfuse::ufuncs::set_parallel_runner({});
  EXPECT_EQ(numfuse::ufuncs::parallel_threads(), 1);
}
