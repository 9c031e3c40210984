#include "matmul_loop.hpp"

#include <cstring>
#include <type_traits>

#include "wrapping.hpp"

namespace numfuse::linalg {

namespace {

template <class T>
T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
void loop(const std::byte* a, int64_t a_row, int64_t a_col, const std::byte* b, int64_t b_row,
          int64_t b_col, T* c, int64_t m, int64_t n, int64_t k) {
  using Acc = Wrapping<T>;  // wraps like NumPy for integers
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

}  // namespace

void matmul_loop(DType dtype, const std::byte* a, int64_t a_row, int64_t a_col, const std::byte* b,
                 int64_t b_row, int64_t b_col, std::byte* c, int64_t m, int64_t n, int64_t k) {
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    loop<T>(a, a_row, a_col, b, b_row, b_col, reinterpret_cast<T*>(c), m, n, k);
  });
}

}  // namespace numfuse::linalg
