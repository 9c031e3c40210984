#include "numfuse/linalg/blas_layout.hpp"

#include <algorithm>
#include <climits>

namespace numfuse::linalg {

namespace {

// Row-major storage with unit stride along `inner` (extent `inner_len`) and stride `outer_stride`
// between the `outer_len` lines. Axes of length 1 have no meaningful stride: any value works.
bool row_major_fits(int64_t outer_len, int64_t inner_len, int64_t outer_stride,
                    int64_t inner_stride, int64_t& ld) {
  if (inner_len > 1 && inner_stride != 1) return false;
  const int64_t min_ld = std::max<int64_t>(1, inner_len);
  if (outer_len <= 1) {
    ld = min_ld;
    return true;
  }
  if (outer_stride < min_ld || outer_stride > INT_MAX) return false;
  ld = outer_stride;
  return true;
}

}  // namespace

BlasOperand analyze_blas_operand(int64_t rows, int64_t cols, int64_t row_stride,
                                 int64_t col_stride, int itemsize) {
  BlasOperand out;
  // Strides that are not whole elements (possible with as_strided views) never reach BLAS.
  if (row_stride % itemsize != 0 || col_stride % itemsize != 0) return out;
  const int64_t rs = row_stride / itemsize, cs = col_stride / itemsize;
  if (row_major_fits(rows, cols, rs, cs, out.ld)) {
    out.usable = true;
    return out;
  }
  if (row_major_fits(cols, rows, cs, rs, out.ld)) {
    out.usable = true;
    out.transposed = true;
  }
  return out;
}

}  // namespace numfuse::linalg
