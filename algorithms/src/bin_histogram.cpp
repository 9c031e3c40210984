// Histogram kernels: NumPy's equal-bin index formula with its edge corrections, and the
// search over arbitrary edges (histogram with array bins, histogramdd).
#include <algorithm>
#include <cstring>
#include <vector>

#include "bin_partials.hpp"
#include "numfuse/algorithms/binning.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

using detail::Strided1D;

// NumPy's block size in histogram: weighted sums are per block, then added block by block.
constexpr int64_t kNumpyBlock = 65536;

template <class Acc>
Array vector_array(const std::vector<Acc>& v) {
  Array out = Array::empty(Shape{static_cast<int64_t>(v.size())}, dtype_of<Acc>::value);
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size() * sizeof(Acc));
  return out;
}

// The bin of one value, or -1 when it is dropped. T: the data (and edges) dtype; Diff: the dtype
// NumPy subtracts `first` in; Div: the dtype it divides and scales in (all NumPy's promotions,
// resolved by the caller).
template <class T, class Diff, class Div>
struct UniformBinner {
  T first_cmp, last_cmp;  // the range as compared with the data
  Diff first;
  Div denom, bins_f;
  int64_t bins;
  const T* edges;

  int64_t operator()(T x) const {
    if (!(x >= first_cmp && x <= last_cmp)) return -1;  // NaN too
    const Div f = static_cast<Div>(static_cast<Diff>(static_cast<Diff>(x) - first)) / denom * bins_f;
    int64_t i = static_cast<int64_t>(f);
    i = std::clamp<int64_t>(i, 0, bins);
    if (i == bins) --i;
    if (x < edges[i]) --i;
    if (i < 0) return 0;
    if (x >= edges[i + 1] && i != bins - 1) ++i;
    return i;
  }
};

template <class Binner, class T>
Array count_bins(const Strided1D<T>& a, int64_t n, int64_t bins, const Binner& binner) {
  return vector_array(detail::merged_partials<int64_t>(n, bins, detail::fixed_chunks(n), [&](int64_t b, int64_t e, int64_t* t) {
    const Strided1D<T> xs = a;
    const Binner bin = binner;
    for (int64_t i = b; i < e; ++i) {
      const int64_t k = bin(xs[i]);
      if (k >= 0) ++t[k];
    }
  }));
}

// Weighted sums summed like NumPy: each block of 65536 values in order into its own table, the
// tables then added in block order. Blocks run in waves whose tables fit a fixed budget.
template <class Binner, class T>
Array sum_bins_by_block(const Strided1D<T>& a, const Strided1D<double>& w, int64_t n, int64_t bins,
                        const Binner& binner) {
  std::vector<double> total(static_cast<size_t>(bins), 0.0);
  const int64_t blocks = (n + kNumpyBlock - 1) / kNumpyBlock;
  const int64_t wave = std::clamp<int64_t>((int64_t{1} << 22) / std::max<int64_t>(bins, 1), 1, 256);
  std::vector<double> tables;
  for (int64_t first_block = 0; first_block < blocks; first_block += wave) {
    const int64_t count = std::min(wave, blocks - first_block);
    tables.assign(static_cast<size_t>(count * bins), 0.0);
    ufuncs::parallel_for(static_cast<int>(count), [&](int k) {
      double* t = tables.data() + bins * k;
      const Strided1D<T> xs = a;
      const Strided1D<double> ws = w;
      const Binner bin_of = binner;
      const int64_t b = (first_block + k) * kNumpyBlock, e = std::min(n, b + kNumpyBlock);
      for (int64_t i = b; i < e; ++i) {
        const int64_t bin = bin_of(xs[i]);
        if (bin >= 0) t[bin] += ws[i];
      }
    });
    for (int64_t k = 0; k < count; ++k) {
      const double* t = tables.data() + bins * k;
      for (int64_t b = 0; b < bins; ++b) total[b] += t[b];
    }
  }
  return vector_array(total);
}

template <class Binner, class T>
Array histogram_with(const Array& a, int64_t bins, const std::optional<Array>& weights, const Binner& binner) {
  const Strided1D<T> x(a);
  if (!weights) return count_bins(x, a.size(), bins, binner);
  return sum_bins_by_block(x, Strided1D<double>(*weights), a.size(), bins, binner);
}

template <class T, class Diff, class Div>
Array uniform_typed(const Array& a, double first, double last, double denom, int64_t bins, const Array& edges,
                    const std::optional<Array>& weights) {
  const UniformBinner<T, Diff, Div> binner{static_cast<T>(first), static_cast<T>(last), static_cast<Diff>(first),
                                           static_cast<Div>(denom), static_cast<Div>(bins), bins,
                                           edges.data_as<const T>()};
  return histogram_with<UniformBinner<T, Diff, Div>, T>(a, bins, weights, binner);
}

void check_1d(const Array& a, const std::optional<Array>& weights) {
  if (a.ndim() != 1) throw_value_error("histogram kernel: a must be 1-D");
  if (weights && (weights->dtype() != DType::Float64 || weights->ndim() != 1 || weights->size() != a.size())) {
    throw_value_error("weights should have the same shape as a.");
  }
}

// Bin of x among increasing edges: edges[i] <= x < edges[i + 1], the last bin closed.
struct EdgeBinner {
  const double* edges;
  int64_t bins;
  int64_t operator()(double x) const {
    if (x == edges[bins]) return bins - 1;
    const int64_t i = std::upper_bound(edges, edges + bins + 1, x) - edges - 1;
    return (i < 0 || i >= bins) ? -1 : i;
  }
};

template <class Fn>
decltype(auto) visit_real(DType dtype, Fn&& fn) {
  if (is_complex(dtype)) throw_type_error("histogram kernel: complex data");
  return visit_dtype(dtype, [&](auto v) -> decltype(auto) {
    using T = decltype(v);
    if constexpr (std::is_arithmetic_v<T>) return fn(T{});
    else return fn(double{});  // complex: refused above
  });
}

}  // namespace

Array histogram_uniform(const Array& a, double first, double last, double denom, int64_t bins, const Array& edges,
                        UniformPrecision precision, const std::optional<Array>& weights) {
  check_1d(a, weights);
  if (bins < 1 || edges.size() != bins + 1 || edges.dtype() != a.dtype() || !edges.is_c_contiguous()) {
    throw_value_error("histogram kernel: edges must be bins + 1 values of a's dtype");
  }
  if (a.dtype() == DType::Float64) return uniform_typed<double, double, double>(a, first, last, denom, bins, edges, weights);
  if (a.dtype() == DType::Float32) {
    if (precision.subtract_f32 && precision.divide_f32) return uniform_typed<float, float, float>(a, first, last, denom, bins, edges, weights);
    if (precision.subtract_f32) return uniform_typed<float, float, double>(a, first, last, denom, bins, edges, weights);
    return uniform_typed<float, double, double>(a, first, last, denom, bins, edges, weights);
  }
  throw_type_error("histogram kernel: a must be float32 or float64");
}

Array histogram_edges(const Array& a, const Array& edges, const std::optional<Array>& weights) {
  check_1d(a, weights);
  if (edges.dtype() != DType::Float64 || edges.ndim() != 1 || edges.size() < 2 || !edges.is_c_contiguous()) {
    throw_value_error("histogram kernel: edges must be at least two contiguous float64 values");
  }
  const EdgeBinner binner{edges.data_as<const double>(), edges.size() - 1};
  return visit_real(a.dtype(), [&](auto v) {
    using T = decltype(v);
    const Strided1D<T> x(a);
    auto bin = [&](T value) { return binner(static_cast<double>(value)); };
    if (!weights) return count_bins(x, a.size(), binner.bins, bin);
    return vector_array(detail::merged_partials<double>(a.size(), binner.bins, detail::fixed_chunks(a.size()),
                                                         [&](int64_t b, int64_t e, double* t) {
      const Strided1D<double> w(*weights);
      const Strided1D<T> xs = x;
      const EdgeBinner edge_bin = binner;
      for (int64_t i = b; i < e; ++i) {
        const int64_t k = edge_bin(static_cast<double>(xs[i]));
        if (k >= 0) t[k] += w[i];
      }
    }));
  });
}

Array bin_indices(const Array& a, const Array& edges) {
  if (a.ndim() != 1 || edges.dtype() != DType::Float64 || edges.ndim() != 1 || edges.size() < 1 ||
      !edges.is_c_contiguous()) {
    throw_value_error("bin_indices: a 1-D array and contiguous float64 edges");
  }
  const double* e = edges.data_as<const double>();
  const int64_t m = edges.size(), n = a.size();
  Array out = Array::empty(Shape{n}, DType::Int64);
  int64_t* o = out.data_as<int64_t>();
  visit_real(a.dtype(), [&](auto v) {
    using T = decltype(v);
    const Strided1D<T> x(a);
    const int chunks = detail::fixed_chunks(n);
    ufuncs::parallel_for(chunks, [&, x](int c) {
      const int64_t begin = detail::chunk_begin(n, chunks, c), end = detail::chunk_begin(n, chunks, c + 1);
      for (int64_t i = begin; i < end; ++i) {
        const double xi = static_cast<double>(x[i]);
        o[i] = (std::upper_bound(e, e + m, xi) - e) - (xi == e[m - 1] ? 1 : 0);
      }
    });
    return 0;
  });
  return out;
}

}  // namespace numfuse::algorithms
