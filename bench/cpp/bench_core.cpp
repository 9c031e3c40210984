// Allocation + fill of large arrays and view creation, the costs the pooling allocator and the
// Array handle are meant to keep low. Compare with bench/python/run.py's NumPy rows.
#include <benchmark/benchmark.h>

#include <cstring>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

void BM_EmptyAndFill(benchmark::State& state) {
  const int64_t n = state.range(0);
  Array one = scalar_array(1.0, DType::Float64);
  for (auto _ : state) {
    Array a = Array::empty({n}, DType::Float64);
    fill(a, one);
    benchmark::DoNotOptimize(a.data());
  }
  state.SetBytesProcessed(state.iterations() * n * 8);
}
BENCHMARK(BM_EmptyAndFill)->Arg(1000)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

void BM_FreshMallocAndFill(benchmark::State& state) {
  // What the pool avoids: first-touch page faults of a new buffer every time.
  const size_t n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    auto* p = static_cast<double*>(std::malloc(n * 8));
    for (size_t i = 0; i < n; ++i) p[i] = 1.0;
    benchmark::DoNotOptimize(p);
    std::free(p);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(n) * 8);
}
BENCHMARK(BM_FreshMallocAndFill)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

void BM_SliceView(benchmark::State& state) {
  Array a = Array::empty({1000, 1000}, DType::Float64);
  std::vector<IndexItem> index = {IndexItem::slice(10, 900, 2), IndexItem::integer(5)};
  for (auto _ : state) {
    Array v = basic_index(a, index);
    benchmark::DoNotOptimize(v.data());
  }
}
BENCHMARK(BM_SliceView);

}  // namespace
}  // namespace numfuse
