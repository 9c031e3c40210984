// svd (?gesdd) and pinv built on it.
#include <algorithm>
#include <cmath>

#include "blas_table.hpp"
#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

namespace {

// Non-finite input is refused before gesdd (an infinity can make it loop forever); any other
// nonzero info is "did not converge", as in NumPy.
template <class T>
SVDResult svd_stack(const Array& a, DType dtype, bool full_matrices, bool compute_uv) {
  ColumnMajorStack f = column_major_copy(a, dtype);
  require_finite(f);
  const int64_t m = f.rows, n = f.cols, k = std::min(m, n);
  SVDResult r;
  r.s = batch_array(f.batch, {k}, real_dtype(dtype));
  const int64_t u_cols = full_matrices ? m : k, vt_rows = full_matrices ? n : k;
  ColumnMajorStack u, vt;
  if (compute_uv) {
    u = column_major_empty(f.batch, m, u_cols, dtype);
    vt = column_major_empty(f.batch, vt_rows, n, dtype);
    if (k == 0) {  // an empty matrix: LAPACK does nothing, NumPy gives identity factors
      for (ColumnMajorStack* s : {&u, &vt}) {
        T* p = s->storage.template data_as<T>();
        std::fill(p, p + s->storage.size(), T(0));
        for (int64_t i = 0; i < s->count; ++i) {
          for (int64_t j = 0; j < std::min(s->rows, s->cols); ++j) s->matrix<T>(i)[j * s->rows + j] = T(1);
        }
      }
    }
  }
  const char job = !compute_uv ? 'N' : (full_matrices ? 'A' : 'S');
  for (int64_t i = 0; i < f.count && k > 0; ++i) {
    lapack_int info = Gesdd<T>::call(
        LAPACK_COL_MAJOR, job, int(m), int(n), f.matrix<T>(i), f.ld(),
        r.s.template data_as<Real<T>>() + i * k, compute_uv ? u.matrix<T>(i) : nullptr,
        compute_uv ? u.ld() : 1, compute_uv ? vt.matrix<T>(i) : nullptr, compute_uv ? vt.ld() : 1);
    if (info != 0) throw LinAlgError("SVD did not converge");
  }
  if (compute_uv) {
    r.u = u.matrices();
    r.vh = vt.matrices();
  }
  return r;
}

// pinv = V diag(1/s) U^H with singular values at or below rcond * max(s) dropped.
template <class T>
Array pinv_stack(const Array& a, DType dtype, const Array& rcond) {
  ColumnMajorStack f = column_major_copy(a, dtype);
  require_finite(f);
  const int64_t m = f.rows, n = f.cols, k = std::min(m, n);
  ColumnMajorStack out = column_major_zeros(f.batch, n, m, dtype);
  if (k == 0) return out.matrices();
  ColumnMajorStack u = column_major_empty({}, m, k, dtype), vt = column_major_empty({}, k, n, dtype);
  std::vector<Real<T>> s(k);
  const double* cut = rcond.data_as<double>();
  for (int64_t i = 0; i < f.count; ++i) {
    lapack_int info = Gesdd<T>::call(LAPACK_COL_MAJOR, 'S', int(m), int(n), f.matrix<T>(i), f.ld(),
                                     s.data(), u.matrix<T>(0), u.ld(), vt.matrix<T>(0), vt.ld());
    if (info != 0) throw LinAlgError("SVD did not converge");
    const Real<T> cutoff = static_cast<Real<T>>(cut[i]) * *std::max_element(s.begin(), s.end());
    // Row-major BLAS over column-major storage sees transposes: after scaling U's columns by
    // 1/s (0 past the cutoff) and conjugating, pu holds P = (U S+)^H (k x m, ld m) and pv holds
    // V (n x k, ld k). The result X = V S+ U^H (n x m) is stored column-major, i.e. as the
    // row-major m x n matrix X^T = P^T V^T.
    T* pu = u.matrix<T>(0);
    for (int64_t j = 0; j < k; ++j) {
      const Real<T> inv = s[j] > cutoff ? Real<T>(1) / s[j] : Real<T>(0);
      for (int64_t r = 0; r < m; ++r) {
        T v = pu[j * m + r] * inv;
        if constexpr (kIsComplex<T>) v = std::conj(v);
        pu[j * m + r] = v;
      }
    }
    T* pv = vt.matrix<T>(0);
    if constexpr (kIsComplex<T>) {
      for (int64_t j = 0; j < k * n; ++j) pv[j] = std::conj(pv[j]);
    }
    Gemm<T>::call(CblasTrans, CblasTrans, int(m), int(n), int(k), pu, int(m), pv, int(k),
                  out.matrix<T>(i), int(n));
  }
  return out.matrices();
}

}  // namespace

SVDResult svd(const Array& a, DType dtype, bool full_matrices, bool compute_uv) {
  require_stacked_2d(a);
  return visit_lapack_dtype(dtype, [&](auto tag) {
    return svd_stack<decltype(tag)>(a, dtype, full_matrices, compute_uv);
  });
}

Array pinv(const Array& a, DType dtype, const Array& rcond) {
  require_stacked_2d(a);
  return visit_lapack_dtype(dtype, [&](auto tag) { return pinv_stack<decltype(tag)>(a, dtype, rcond); });
}

}  // namespace numfuse::linalg
