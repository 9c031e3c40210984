// Layout analysis: can a strided 2-D view be handed to a row-major BLAS call as it is?
//
// A view reaches BLAS without a copy when one of its axes has unit stride and the other a
// positive stride at least as long as a row (a C-contiguous matrix, or the transpose of one,
// or a column/row slice of one). The answer is a transpose flag plus a leading dimension.
#pragma once

#include <cstdint>

namespace numfuse::linalg {

struct BlasOperand {
  bool usable = false;      // false: the view must be copied before BLAS sees it
  bool transposed = false;  // true: memory holds the matrix's transpose in row-major order
  int64_t ld = 0;           // leading dimension in elements (row stride of what memory holds)
};

// rows x cols view whose element (i, j) lies at i*row_stride + j*col_stride bytes.
BlasOperand analyze_blas_operand(int64_t rows, int64_t cols, int64_t row_stride,
                                 int64_t col_stride, int itemsize);

}  // namespace numfuse::linalg
