// numfuse's matmul and solve from C++ (no Python in the way) beside Eigen's own kernels.
// numfuse goes to OpenBLAS with its default thread count (one per core); Eigen is built without
// OpenMP here, so its GEMM runs on one thread: compare the *_Eigen rows with that in mind, or
// run with OPENBLAS_NUM_THREADS=1 for a one-core comparison. Times are wall-clock (UseRealTime):
// CPU time of the calling thread would hide OpenBLAS's worker threads. The target is compiled
// with -march=native so that Eigen uses the host's vector width as OpenBLAS does.
#include <benchmark/benchmark.h>

#include <Eigen/Dense>
#include <random>

#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/matmul.hpp"

namespace numfuse::linalg {
namespace {

Eigen::MatrixXd random_matrix(int64_t n, int64_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Eigen::MatrixXd m(n, cols);
  for (int64_t i = 0; i < m.size(); ++i) m.data()[i] = uniform(rng);
  return m;
}

// The same values in a C-contiguous numfuse array.
Array to_numfuse(const Eigen::MatrixXd& m) {
  Array a = Array::empty({m.rows(), m.cols()}, DType::Float64);
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      a.data_as<double>(), m.rows(), m.cols()) = m;
  return a;
}

void set_flops(benchmark::State& state, double flops_per_call) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops_per_call * static_cast<double>(state.iterations()) * 1e-9,
                                                 benchmark::Counter::kIsRate);
}

void BM_Matmul_numfuse(benchmark::State& state) {
  const int64_t n = state.range(0);
  Array a = to_numfuse(random_matrix(n, n, 1)), b = to_numfuse(random_matrix(n, n, 2));
  for (auto _ : state) {
    Array c = matmul(a, b, DType::Float64);
    benchmark::DoNotOptimize(c.data());
  }
  set_flops(state, 2.0 * n * n * n);
}

void BM_Matmul_Eigen(benchmark::State& state) {
  const int64_t n = state.range(0);
  Eigen::MatrixXd a = random_matrix(n, n, 1), b = random_matrix(n, n, 2);
  for (auto _ : state) {
    Eigen::MatrixXd c = a * b;  // a new result per call, as numfuse's
    benchmark::DoNotOptimize(c.data());
  }
  set_flops(state, 2.0 * n * n * n);
}

// A diagonally dominant system: LU with partial pivoting, one right-hand side.
void BM_Solve_numfuse(benchmark::State& state) {
  const int64_t n = state.range(0);
  Eigen::MatrixXd a = random_matrix(n, n, 3);
  a.diagonal().array() += static_cast<double>(n);
  Array fa = to_numfuse(a), fb = to_numfuse(random_matrix(n, 1, 4));
  for (auto _ : state) {
    Array x = solve(fa, fb, DType::Float64);
    benchmark::DoNotOptimize(x.data());
  }
}

void BM_Solve_Eigen(benchmark::State& state) {
  const int64_t n = state.range(0);
  Eigen::MatrixXd a = random_matrix(n, n, 3);
  a.diagonal().array() += static_cast<double>(n);
  Eigen::MatrixXd b = random_matrix(n, 1, 4);
  for (auto _ : state) {
    Eigen::MatrixXd x = a.partialPivLu().solve(b);
    benchmark::DoNotOptimize(x.data());
  }
}

BENCHMARK(BM_Matmul_numfuse)->Arg(64)->Arg(256)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Matmul_Eigen)->Arg(64)->Arg(256)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Solve_numfuse)->Arg(256)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Solve_Eigen)->Arg(256)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace numfuse::linalg
