// Shared by the binning kernels: strided 1-D reads and per-chunk partial tables merged in order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms::detail {

// Element i of a 1-D array of T, any stride.
template <class T>
struct Strided1D {
  const std::byte* base;
  int64_t stride;
  explicit Strided1D(const Array& a) : base(a.data()), stride(a.ndim() ? a.strides()[0] : 0) {}
  T operator[](int64_t i) const { return *reinterpret_cast<const T*>(base + i * stride); }
};

// Chunks a pass over n elements is cut into: a function of n only (never of the thread count),
// so sums merged chunk by chunk come out the same however many threads run the chunks.
inline int fixed_chunks(int64_t n, int64_t grain = int64_t{1} << 17, int max_chunks = 16) {
  return static_cast<int>(std::clamp<int64_t>(n / grain, 1, max_chunks));
}

inline int64_t chunk_begin(int64_t n, int chunks, int c) { return n * c / chunks; }

// Runs fill(chunk, begin, end, table) for each chunk on its own zeroed table of `bins` Acc, then
// returns the tables added bin by bin in chunk order (first chunk first).
template <class Acc, class Fill>
std::vector<Acc> merged_partials(int64_t n, int64_t bins, int chunks, Fill&& fill) {
  std::vector<Acc> tables(static_cast<size_t>(bins) * chunks, Acc{});
  ufuncs::parallel_for(chunks, [&](int c) {
    // (b, e) as values: loops over them keep their bounds in registers.
    fill(chunk_begin(n, chunks, c), chunk_begin(n, chunks, c + 1), tables.data() + bins * c);
  });
  if (chunks > 1) {
    const int pieces = static_cast<int>(std::clamp<int64_t>(bins / 4096, 1, 16));
    ufuncs::parallel_for(pieces, [&](int p) {
      for (int64_t b = chunk_begin(bins, pieces, p); b < chunk_begin(bins, pieces, p + 1); ++b) {
        Acc sum = tables[b];
        for (int c = 1; c < chunks; ++c) sum += tables[bins * c + b];
        tables[b] = sum;
      }
    });
  }
  tables.resize(static_cast<size_t>(bins));
  return tables;
}

}  // namespace numfuse::algorithms::detail
