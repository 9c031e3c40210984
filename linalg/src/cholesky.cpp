// cholesky: ?potrf on one triangle; the other triangle of the result is zeroed (NumPy).
#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

Array cholesky(const Array& a, DType dtype, bool upper) {
  require_stacked_square(a);
  ColumnMajorStack f = column_major_copy(a, dtype);
  const int64_t n = f.rows;
  visit_lapack_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < f.count; ++i) {
      T* m = f.matrix<T>(i);
      if (n > 0) {
        lapack_int info = Potrf<T>::call(LAPACK_COL_MAJOR, upper ? 'U' : 'L', static_cast<int>(n), m, f.ld());
        if (info != 0) throw LinAlgError("Matrix is not positive definite");
      }
      for (int64_t col = 0; col < n; ++col) {
        for (int64_t row = 0; row < n; ++row) {
          if (upper ? row > col : row < col) m[col * n + row] = T(0);
        }
      }
    }
  });
  return f.matrices();
}

}  // namespace numfuse::linalg
