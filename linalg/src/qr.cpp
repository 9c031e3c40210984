// qr: Householder QR (?geqrf), then Q from the reflectors (?orgqr / ?ungqr). R is the upper
// triangle of geqrf's output; 'raw' returns that output transposed, with tau, like NumPy.
#include <algorithm>
#include <cstring>

#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/linalg/decompositions.hpp"

namespace numfuse::linalg {

namespace {

template <class T>
std::vector<Array> qr_stack(const Array& a, DType dtype, QRMode mode) {
  ColumnMajorStack f = column_major_copy(a, dtype);
  const int64_t m = f.rows, n = f.cols, k = std::min(m, n);
  Array tau = batch_array(f.batch, {k}, dtype);
  for (int64_t i = 0; i < f.count && k > 0; ++i) {
    Geqrf<T>::call(LAPACK_COL_MAJOR, int(m), int(n), f.matrix<T>(i), f.ld(), tau.data_as<T>() + i * k);
  }
  if (mode == QRMode::Raw) {
    // NumPy returns h as the transposed (Fortran) array: exactly our storage.
    return {f.storage, tau};
  }
  // R: the first r_rows rows of the factored matrix, zero below the diagonal.
  const int64_t r_rows = mode == QRMode::Complete ? m : k;
  ColumnMajorStack r = column_major_zeros(f.batch, r_rows, n, dtype);
  for (int64_t i = 0; i < f.count; ++i) {
    const T* src = f.matrix<T>(i);
    T* dst = r.matrix<T>(i);
    for (int64_t col = 0; col < n; ++col) {
      for (int64_t row = 0; row <= std::min(col, r_rows - 1); ++row) dst[col * r_rows + row] = src[col * m + row];
    }
  }
  if (mode == QRMode::R) return {r.matrices()};
  // Q: m x q_cols from the k reflectors.
  const int64_t q_cols = mode == QRMode::Complete ? m : k;
  ColumnMajorStack q = column_major_zeros(f.batch, m, q_cols, dtype);
  for (int64_t i = 0; i < f.count; ++i) {
    const int64_t copy_cols = std::min(n, q_cols);
    std::memcpy(q.matrix<T>(i), f.matrix<T>(i), static_cast<size_t>(m * copy_cols) * sizeof(T));
    if (m > 0 && q_cols > 0) {
      Orgqr<T>::call(LAPACK_COL_MAJOR, int(m), int(q_cols), int(k), q.matrix<T>(i), q.ld(),
                     tau.data_as<T>() + i * k);
    }
  }
  return {q.matrices(), r.matrices()};
}

}  // namespace

std::vector<Array> qr(const Array& a, DType dtype, QRMode mode) {
  require_stacked_2d(a);
  return visit_lapack_dtype(dtype, [&](auto tag) { return qr_stack<decltype(tag)>(a, dtype, mode); });
}

}  // namespace numfuse::linalg
