// solve and inv: LU factorization and solve (?gesv) per matrix.
#include <vector>

#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

namespace {

// Solves every a_i x_i = b_i in place in `rhs`; returns false for a singular a_i (its x_i is
// then filled with NaN when `nan_on_singular`, else LinAlgError is thrown).
template <class T>
void gesv_stack(ColumnMajorStack& lu, ColumnMajorStack& rhs, bool nan_on_singular) {
  const int n = static_cast<int>(lu.rows), nrhs = static_cast<int>(rhs.cols);
  std::vector<lapack_int> pivots(std::max(1, n));
  for (int64_t i = 0; i < lu.count; ++i) {
    lapack_int info = Gesv<T>::call(LAPACK_COL_MAJOR, n, nrhs, lu.matrix<T>(i), lu.ld(),
                                    pivots.data(), rhs.matrix<T>(i), rhs.ld());
    if (info == 0) continue;
    if (!nan_on_singular) throw LinAlgError("Singular matrix");
    T* x = rhs.matrix<T>(i);
    for (int64_t j = 0; j < rhs.rows * rhs.cols; ++j) x[j] = T(std::numeric_limits<Real<T>>::quiet_NaN());
  }
}

}  // namespace

Array solve(const Array& a, const Array& b, DType dtype) {
  require_stacked_square(a);
  require_stacked_2d(b);
  const int64_t n = a.shape()[a.ndim() - 1];
  if (b.shape()[b.ndim() - 2] != n) {
    throw_value_error("solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                      "signature (m,m),(m,n)->(m,n) (size " + std::to_string(b.shape()[b.ndim() - 2]) +
                      " is different from " + std::to_string(n) + "); operand shapes " +
                      shape_repr(a.shape()) + " and " + shape_repr(b.shape()));
  }
  if (batch_shape(a) != batch_shape(b)) throw_value_error("solve: batch shapes must be broadcast first");
  ColumnMajorStack lu = column_major_copy(a, dtype);
  ColumnMajorStack x = column_major_copy(b, dtype);
  if (x.storage.size() > 0) {
    visit_lapack_dtype(dtype, [&](auto tag) { gesv_stack<decltype(tag)>(lu, x, false); });
  }
  return x.matrices();
}

Array inv(const Array& a, DType dtype, bool nan_on_singular) {
  require_stacked_square(a);
  const int64_t n = a.shape()[a.ndim() - 1];
  ColumnMajorStack lu = column_major_copy(a, dtype);
  ColumnMajorStack x = column_major_zeros(lu.batch, n, n, dtype);
  if (x.storage.size() > 0) {
    visit_lapack_dtype(dtype, [&](auto tag) {
      using T = decltype(tag);
      for (int64_t i = 0; i < x.count; ++i) {
        T* m = x.matrix<T>(i);
        for (int64_t j = 0; j < n; ++j) m[j * n + j] = T(1);
      }
      gesv_stack<T>(lu, x, nan_on_singular);
    });
  }
  return x.matrices();
}

}  // namespace numfuse::linalg
