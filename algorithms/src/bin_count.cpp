// bincount: one pass whose per-chunk tables grow to the largest value seen (the negative check on
// the way); data too sparse for that (a few huge values) takes two passes: the maximum, then the
// counts.
#include <algorithm>
#include <cstring>
#include <optional>

#include "bin_partials.hpp"
#include "numfuse/algorithms/binning.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

using detail::Strided1D;

int64_t checked_max(const Strided1D<int64_t>& x, int64_t n) {
  const int chunks = detail::fixed_chunks(n, int64_t{1} << 18);
  std::vector<int64_t> lo(chunks, 0), hi(chunks, -1);
  ufuncs::parallel_for(chunks, [&](int c) {
    int64_t mn = 0, mx = -1;
    const Strided1D<int64_t> xs = x;
    const int64_t begin = detail::chunk_begin(n, chunks, c), end = detail::chunk_begin(n, chunks, c + 1);
    for (int64_t i = begin; i < end; ++i) {
      const int64_t v = xs[i];
      mn = v < mn ? v : mn;
      mx = v > mx ? v : mx;
    }
    lo[c] = mn;
    hi[c] = mx;
  });
  int64_t mn = 0, mx = -1;
  for (int c = 0; c < chunks; ++c) {
    mn = std::min(mn, lo[c]);
    mx = std::max(mx, hi[c]);
  }
  if (mn < 0) throw_value_error("'list' argument must have no negative elements");
  return mx;
}

template <class Acc>
Array table_array(const std::vector<Acc>& table) {
  Array out = Array::empty(Shape{static_cast<int64_t>(table.size())}, dtype_of<Acc>::value);
  if (!table.empty()) std::memcpy(out.data(), table.data(), table.size() * sizeof(Acc));
  return out;
}

// Per chunk, a table grown to the chunk's largest value. Returns nullopt when a value lies past
// `limit` (the caller then sizes one table from the maximum instead).
template <class Acc, class Add>
std::optional<std::vector<std::vector<Acc>>> grown_tables(const Strided1D<int64_t>& x, int64_t n, int chunks,
                                                          int64_t limit, Add add) {
  std::vector<std::vector<Acc>> tables(chunks);
  std::vector<char> negative(chunks, 0), too_wide(chunks, 0);
  ufuncs::parallel_for(chunks, [&, x](int c) {
    std::vector<Acc>& t = tables[c];
    const int64_t begin = detail::chunk_begin(n, chunks, c), end = detail::chunk_begin(n, chunks, c + 1);
    for (int64_t i = begin; i < end; ++i) {
      const int64_t v = x[i];
      if (static_cast<uint64_t>(v) >= t.size()) {
        if (v < 0 || v >= limit) {
          (v < 0 ? negative : too_wide)[c] = 1;
          return;
        }
        t.resize(static_cast<size_t>(v) + 1);  // amortized: the capacity grows geometrically
      }
      add(t.data(), v, i);
    }
  });
  for (int c = 0; c < chunks; ++c) {
    if (negative[c]) throw_value_error("'list' argument must have no negative elements");
  }
  for (int c = 0; c < chunks; ++c) {
    if (too_wide[c]) return std::nullopt;
  }
  return tables;
}

// The tables added bin by bin in chunk order, padded to `minlength`.
template <class Acc>
Array merged_tables(const std::vector<std::vector<Acc>>& tables, int64_t minlength) {
  int64_t bins = minlength;
  for (const auto& t : tables) bins = std::max(bins, static_cast<int64_t>(t.size()));
  Array out = Array::empty(Shape{bins}, dtype_of<Acc>::value);
  Acc* o = out.data_as<Acc>();
  const int pieces = static_cast<int>(std::clamp<int64_t>(bins / 4096, 1, 16));
  ufuncs::parallel_for(pieces, [&](int p) {
    const int64_t begin = detail::chunk_begin(bins, pieces, p), end = detail::chunk_begin(bins, pieces, p + 1);
    for (int64_t b = begin; b < end; ++b) {
      Acc sum{};
      for (const auto& t : tables) sum += b < static_cast<int64_t>(t.size()) ? t[b] : Acc{};
      o[b] = sum;
    }
  });
  return out;
}

}  // namespace

Array bincount(const Array& x_array, const std::optional<Array>& weights, int64_t minlength) {
  if (x_array.dtype() != DType::Int64 || x_array.ndim() != 1) throw_type_error("bincount: x must be 1-D int64");
  if (minlength < 0) throw_value_error("'minlength' must not be negative");
  const int64_t n = x_array.size();
  const Strided1D<int64_t> x(x_array);
  if (weights && (weights->dtype() != DType::Float64 || weights->size() != n)) {
    throw_value_error("The weights and list don't have the same length.");
  }
  const int single_pass_chunks = detail::fixed_chunks(n);
  const int64_t limit = 4 * (n / single_pass_chunks) + 65536;  // tables stay small next to the data
  if (!weights) {
    auto tables = grown_tables<int64_t>(x, n, single_pass_chunks, limit, [](int64_t* t, int64_t v, int64_t) { ++t[v]; });
    if (tables) return merged_tables(*tables, minlength);
  } else {
    const Strided1D<double> w(*weights);
    auto tables = grown_tables<double>(x, n, single_pass_chunks, limit, [w](double* t, int64_t v, int64_t i) { t[v] += w[i]; });
    if (tables) return merged_tables(*tables, minlength);
  }
  const int64_t bins = std::max(checked_max(x, n) + 1, minlength);
  // Per-chunk tables only pay off while they are small next to the data.
  const int chunks = bins * 4 > n ? 1 : detail::fixed_chunks(n);
  if (!weights) {
    return table_array(detail::merged_partials<int64_t>(n, bins, chunks, [&](int64_t b, int64_t e, int64_t* t) {
      const Strided1D<int64_t> xs = x;
      for (int64_t i = b; i < e; ++i) ++t[xs[i]];
    }));
  }
  const Strided1D<double> w(*weights);
  return table_array(detail::merged_partials<double>(n, bins, chunks, [&](int64_t b, int64_t e, double* t) {
    const Strided1D<int64_t> xs = x;
    const Strided1D<double> ws = w;
    for (int64_t i = b; i < e; ++i) t[xs[i]] += ws[i];
  }));
}

}  // namespace numfuse::algorithms
