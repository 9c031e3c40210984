// Matrix products with NumPy's matmul rules: 1-D operands are promoted to a row (left) or a
// column (right) and the added axis removed from the result; leading axes are batch axes that
// broadcast. float32/64 and complex64/128 go to BLAS; other dtypes (bool, integers) and tiny
// real matrices run a loop of our own with NumPy's wrap-around integer arithmetic.
#pragma once

#include "numfuse/core/array.hpp"

namespace numfuse::linalg {

// `result` is the promoted dtype (NumPy's result_type of the operands); operands of another
// dtype are converted once. Throws ValueError for 0-d operands and mismatched core dimensions.
Array matmul(const Array& a, const Array& b, DType result);

}  // namespace numfuse::linalg
