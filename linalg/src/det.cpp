// det and slogdet from the LU factorization (?getrf): log|det| is the sum of log|u_ii| and the
// sign the product of the pivots' parities and u_ii/|u_ii|. det = sign * exp(logdet), as NumPy
// computes it, so overflow and underflow behave the same.
#include <cmath>
#include <vector>

#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/linalg/decompositions.hpp"

namespace numfuse::linalg {

namespace {

template <class T>
void slogdet_stack(ColumnMajorStack& lu, T* sign, Real<T>* logdet) {
  using R = Real<T>;
  const int n = static_cast<int>(lu.rows);
  std::vector<lapack_int> pivots(std::max(1, n));
  for (int64_t i = 0; i < lu.count; ++i) {
    T* m = lu.matrix<T>(i);
    lapack_int info = n == 0 ? 0 : Getrf<T>::call(LAPACK_COL_MAJOR, n, n, m, lu.ld(), pivots.data());
    if (info > 0) {  // an exactly zero pivot: singular
      sign[i] = T(0);
      logdet[i] = -std::numeric_limits<R>::infinity();
      continue;
    }
    T s(1);
    R acc(0);
    for (int j = 0; j < n; ++j) {
      if (pivots[j] != j + 1) s = -s;
      const T u = m[static_cast<int64_t>(j) * n + j];
      const R mag = std::abs(u);
      if constexpr (kIsComplex<T>) {
        s *= u / mag;
      } else if (u < 0) {  // real NaN pivots leave the sign alone, as in NumPy
        s = -s;
      }
      acc += std::log(mag);
    }
    sign[i] = s;
    logdet[i] = acc;
  }
}

}  // namespace

SignLogDet slogdet(const Array& a, DType dtype) {
  require_stacked_square(a);
  ColumnMajorStack lu = column_major_copy(a, dtype);
  SignLogDet r{batch_array(lu.batch, {}, dtype), batch_array(lu.batch, {}, real_dtype(dtype))};
  visit_lapack_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    slogdet_stack<T>(lu, r.sign.data_as<T>(), r.logabsdet.data_as<Real<T>>());
  });
  return r;
}

Array det(const Array& a, DType dtype) {
  SignLogDet sl = slogdet(a, dtype);
  visit_lapack_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* s = sl.sign.data_as<T>();
    const Real<T>* l = sl.logabsdet.data_as<Real<T>>();
    for (int64_t i = 0; i < sl.sign.size(); ++i) s[i] = s[i] * std::exp(l[i]);
  });
  return sl.sign;
}

}  // namespace numfuse::linalg
