// lstsq: minimum-norm least squares through the SVD (?gelsd), as NumPy does.
#include <algorithm>
#include <cstring>

#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

LstsqResult lstsq(const Array& a, const Array& b, DType dtype, double rcond) {
  if (a.ndim() != 2 || b.ndim() != 2) throw_value_error("lstsq: a and b must be 2-D here");
  const int64_t m = a.shape()[0], n = a.shape()[1], k = b.shape()[1];
  if (b.shape()[0] != m) {
    throw LinAlgError("Incompatible dimensions: a has shape " + shape_repr(a.shape()) +
                      ", b has shape " + shape_repr(b.shape()));
  }
  ColumnMajorStack fa = column_major_copy(a, dtype);
  require_finite(fa);  // gelsd loops forever on an infinity in a; b's values only reach x
  // gelsd writes the n-row solution into b's storage, which must hold max(m, n) rows.
  const int64_t rows = std::max(m, n);
  ColumnMajorStack fb = column_major_zeros({}, rows, k, dtype);
  copy_into(fb.block(m, k), b);
  LstsqResult r;
  const int64_t mn = std::min(m, n);
  r.s = Array::empty({mn}, real_dtype(dtype));
  visit_lapack_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    using R = Real<T>;
    lapack_int rank = 0;
    if (mn > 0) {
      lapack_int info = Gelsd<T>::call(LAPACK_COL_MAJOR, int(m), int(n), int(k), fa.matrix<T>(0), fa.ld(),
                                       fb.matrix<T>(0), fb.ld(), r.s.data_as<R>(), static_cast<R>(rcond), &rank);
      if (info != 0) throw LinAlgError("SVD did not converge in Linear Least Squares");
    }
    r.rank = rank;
    // Residual sums of squares exist only for a full-rank, overdetermined system.
    if (rank == n && m > n) {
      r.residuals = Array::empty({k}, real_dtype(dtype));
      R* res = r.residuals.data_as<R>();
      const T* x = fb.matrix<T>(0);
      for (int64_t j = 0; j < k; ++j) {
        R acc(0);
        for (int64_t row = n; row < m; ++row) acc += std::norm(x[j * rows + row]);
        res[j] = acc;
      }
    } else {
      r.residuals = Array::empty({0}, real_dtype(dtype));
    }
  });
  r.x = fb.block(n, k);
  return r;
}

}  // namespace numfuse::linalg
