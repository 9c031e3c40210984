// The matrix product loop for what BLAS does not cover: bool (or-of-ands), integers (wrapping
// like NumPy) and real matrices too small for a BLAS call to pay off. A header template so the
// batch loop around it is compiled per type (the dtype switch runs once per call, not per matrix).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "wrapping.hpp"

namespace numfuse::linalg {

// c (m x n, row-major, contiguous) = a (m x k) @ b (k x n); a and b strides in bytes.
template <class T>
inline T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
void matmul_loop(const std::byte* a, int64_t a_row, int64_t a_col, const std::byte* b,
                 int64_t b_row, int64_t b_col, T* c, int64_t m, int64_t n, int64_t k) {
  using Acc = Wrapping<T>;  // wraps like NumPy for integers
  if constexpr (std::is_same_v<Acc, T> && !std::is_same_v<T, bool>) {
    if (b_col == sizeof(T)) {
      // Rows of b contiguous: accumulate straight into c's row (vectorizes; tiny batched float
      // products spend their time here).
      for (int64_t i = 0; i < m; ++i) {
        T* crow = c + i * n;
        std::fill(crow, crow + n, T(0));
        for (int64_t p = 0; p < k; ++p) {
          const T aip = load<T>(a + i * a_row + p * a_col);
          const T* brow = reinterpret_cast<const T*>(b + p * b_row);
          for (int64_t j = 0; j < n; ++j) crow[j] += aip * brow[j];
        }
      }
      return;
    }
  }
  constexpr int64_t kMaxRow = 256;
  Acc acc[kMaxRow];
  for (int64_t i = 0; i < m; ++i) {
    // Rows are done in chunks of kMaxRow columns so the accumulators stay on the stack.
    for (int64_t j0 = 0; j0 < n; j0 += kMaxRow) {
      const int64_t nj = std::min(kMaxRow, n - j0);
      for (int64_t j = 0; j < nj; ++j) acc[j] = Acc{};
      for (int64_t p = 0; p < k; ++p) {
        const Acc aip = static_cast<Acc>(load<T>(a + i * a_row + p * a_col));
        const std::byte* brow = b + p * b_row + j0 * b_col;
        if constexpr (std::is_same_v<T, bool>) {
          if (!aip) continue;
          for (int64_t j = 0; j < nj; ++j) acc[j] = acc[j] || load<T>(brow + j * b_col);
        } else {
          for (int64_t j = 0; j < nj; ++j) {
            acc[j] = static_cast<Acc>(acc[j] + aip * static_cast<Acc>(load<T>(brow + j * b_col)));
          }
        }
      }
      for (int64_t j = 0; j < nj; ++j) c[i * n + j0 + j] = static_cast<T>(acc[j]);
    }
  }
}

}  // namespace numfuse::linalg
