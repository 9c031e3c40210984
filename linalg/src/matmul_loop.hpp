// The matrix product loop for what BLAS does not cover: bool (or-of-ands), integers (wrapping
// like NumPy) and real matrices too small for a BLAS call to pay off.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numfuse/core/dtype.hpp"

namespace numfuse::linalg {

// c (m x n, row-major, contiguous) = a (m x k) @ b (k x n); strides in bytes.
void matmul_loop(DType dtype, const std::byte* a, int64_t a_row, int64_t a_col, const std::byte* b,
                 int64_t b_row, int64_t b_col, std::byte* c, int64_t m, int64_t n, int64_t k);

}  // namespace numfuse::linalg
