// Vector norms along the last axis and the rank count over singular values.
#include <cmath>
#include <limits>

#include "lapack_table.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/linalg/reductions.hpp"

namespace numfuse::linalg {

namespace {

// Pairwise summation (NumPy's scheme: 8 accumulators on blocks of up to 128 terms), so long
// sums keep NumPy's accuracy and overflow behaviour in the same precision.
template <class R, class Term>
R pairwise_sum(int64_t lo, int64_t n, const Term& term) {
  if (n <= 128) {
    R acc[8] = {};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (int j = 0; j < 8; ++j) acc[j] += term(lo + i + j);
    }
    R total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; ++i) total += term(lo + i);
    return total;
  }
  const int64_t half = (n / 2) & ~int64_t{7};
  return pairwise_sum<R>(lo, half, term) + pairwise_sum<R>(lo + half, n - half, term);
}

template <class T>
Real<T> magnitude(T v) {
  return std::abs(v);
}

// max/min that propagate NaN like NumPy's maximum/minimum reductions.
template <class R>
R extreme(const R* v, int64_t n, bool largest) {
  R m = v[0];
  for (int64_t i = 1; i < n && !std::isnan(m); ++i) {
    if (std::isnan(v[i]) || (largest ? v[i] > m : v[i] < m)) m = v[i];
  }
  return m;
}

template <class T>
void norm_rows(const T* x, int64_t rows, int64_t len, double ord, Real<T>* out) {
  using R = Real<T>;
  std::vector<R> mags(static_cast<size_t>(len));
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = x + r * len;
    if (ord == 2) {
      out[r] = std::sqrt(pairwise_sum<R>(0, len, [&](int64_t i) { return std::norm(row[i]); }));
    } else if (ord == 1) {
      out[r] = pairwise_sum<R>(0, len, [&](int64_t i) { return magnitude(row[i]); });
    } else if (ord == 0) {
      out[r] = pairwise_sum<R>(0, len, [&](int64_t i) { return row[i] != T(0) ? R(1) : R(0); });
    } else if (std::isinf(ord)) {
      if (len == 0) {
        out[r] = R(0);
        continue;
      }
      for (int64_t i = 0; i < len; ++i) mags[i] = magnitude(row[i]);
      out[r] = extreme(mags.data(), len, ord > 0);
    } else {
      const R p = static_cast<R>(ord);
      const R sum = pairwise_sum<R>(0, len, [&](int64_t i) { return std::pow(magnitude(row[i]), p); });
      out[r] = std::pow(sum, R(1) / p);
    }
  }
}

}  // namespace

Array vector_norm_last_axis(const Array& x_in, double ord) {
  if (x_in.ndim() == 0) throw_value_error("vector_norm_last_axis needs at least one axis");
  Array x = ascontiguous(x_in);
  const int64_t len = x.shape().back();
  Shape out_shape(x.shape().begin(), x.shape().end() - 1);
  Array out = Array::empty(out_shape, real_dtype(x.dtype()));
  const int64_t rows = out.size();
  // NumPy takes the maximum with initial=0 (an empty max-norm is 0); the minimum has no identity.
  if (len == 0 && ord == -std::numeric_limits<double>::infinity() && rows > 0) {
    throw_value_error("zero-size array to reduction operation minimum which has no identity");
  }
  visit_lapack_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    norm_rows<T>(x.data_as<T>(), rows, len, ord, out.data_as<Real<T>>());
  });
  return out;
}

Array count_above(const Array& s_in, const Array& tol_in, bool relative) {
  Array s = ascontiguous(s_in);
  Array tol = ascontiguous(astype(tol_in, DType::Float64));
  const int64_t k = s.shape().back();
  Shape out_shape(s.shape().begin(), s.shape().end() - 1);
  Array out = Array::empty(out_shape, DType::Int64);
  if (tol.size() != out.size()) throw_value_error("count_above: tol must have one value per row");
  visit_lapack_dtype(s.dtype(), [&](auto tag) {
    using R = Real<decltype(tag)>;
    if constexpr (std::is_floating_point_v<decltype(tag)>) {
      const R* sv = s.data_as<R>();
      const double* t = tol.data_as<double>();
      int64_t* o = out.data_as<int64_t>();
      for (int64_t r = 0; r < out.size(); ++r) {
        const R* row = sv + r * k;
        double threshold = t[r];
        if (relative) threshold *= k > 0 ? static_cast<double>(extreme(row, k, true)) : 0.0;
        int64_t count = 0;
        for (int64_t i = 0; i < k; ++i) count += static_cast<double>(row[i]) > threshold;
        o[r] = count;
      }
    } else {
      throw_type_error("count_above expects real singular values");
    }
  });
  return out;
}

}  // namespace numfuse::linalg
