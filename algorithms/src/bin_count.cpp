// bincount: one pass for the largest value (and the negative check), one for the counts.
#include <cstring>

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

}  // namespace

Array bincount(const Array& x_array, const std::optional<Array>& weights, int64_t minlength) {
  if (x_array.dtype() != DType::Int64 || x_array.ndim() != 1) throw_type_error("bincount: x must be 1-D int64");
  if (minlength < 0) throw_value_error("'minlength' must not be negative");
  const int64_t n = x_array.size();
  const Strided1D<int64_t> x(x_array);
  const int64_t bins = std::max(checked_max(x, n) + 1, minlength);
  // Per-chunk tables only pay off while they are small next to the data.
  const int chunks = bins * 4 > n ? 1 : detail::fixed_chunks(n);
  if (!weights) {
    return table_array(detail::merged_partials<int64_t>(n, bins, chunks, [&](int64_t b, int64_t e, int64_t* t) {
      const Strided1D<int64_t> xs = x;
      for (int64_t i = b; i < e; ++i) ++t[xs[i]];
    }));
  }
  if (weights->dtype() != DType::Float64 || weights->size() != n) {
    throw_value_error("The weights and list don't have the same length.");
  }
  const Strided1D<double> w(*weights);
  return table_array(detail::merged_partials<double>(n, bins, chunks, [&](int64_t b, int64_t e, double* t) {
    const Strided1D<int64_t> xs = x;
    const Strided1D<double> ws = w;
    for (int64_t i = b; i < e; ++i) t[xs[i]] += ws[i];
  }));
}

}  // namespace numfuse::algorithms
