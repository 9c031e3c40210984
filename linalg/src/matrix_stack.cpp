#include "matrix_stack.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#include "lapack_table.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

void configure_lapacke() {
  static const bool configured = [] {
    NUMFUSE_BLAS(LAPACKE_set_nancheck)(0);
    return true;
  }();
  (void)configured;
}

DType real_dtype(DType dtype) {
  if (dtype == DType::Complex64) return DType::Float32;
  if (dtype == DType::Complex128) return DType::Float64;
  return dtype;
}

void check_lapack_size(int64_t n) {
  if (n > INT_MAX) throw_value_error("matrix dimension too large for LAPACK (32-bit)");
}

namespace {

template <class T>
bool is_finite(T v) {
  if constexpr (kIsComplex<T>) return std::isfinite(v.real()) && std::isfinite(v.imag());
  else return std::isfinite(v);
}

}  // namespace

void require_finite(const ColumnMajorStack& s, char uplo) {
  visit_lapack_dtype(s.storage.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < s.count; ++i) {
      const T* m = s.matrix<T>(i);
      for (int64_t col = 0; col < s.cols; ++col) {
        // Column-major: rows [lo, hi) of this column are the ones LAPACK reads.
        const int64_t lo = uplo == 'L' ? col : 0;
        const int64_t hi = uplo == 'U' ? std::min(col + 1, s.rows) : s.rows;
        for (int64_t row = lo; row < hi; ++row) {
          if (!is_finite(m[col * s.rows + row])) throw LinAlgError("Array must not contain infs or NaNs");
        }
      }
    }
  });
}

Shape batch_shape(const Array& a) { return Shape(a.shape().begin(), a.shape().end() - 2); }

Array batch_array(const Shape& batch, const Shape& tail, DType dtype) {
  Shape s = batch;
  s.insert(s.end(), tail.begin(), tail.end());
  return Array::empty(s, dtype);
}

Array ColumnMajorStack::matrices() const {
  const int nd = storage.ndim();
  std::vector<int> axes(nd);
  for (int i = 0; i < nd; ++i) axes[i] = i;
  std::swap(axes[nd - 1], axes[nd - 2]);
  return transpose(storage, axes);
}

Array ColumnMajorStack::block(int64_t r, int64_t c) const {
  Array m = matrices();
  Shape shape = m.shape();
  shape[shape.size() - 2] = r;
  shape[shape.size() - 1] = c;
  return m.with_layout(m.offset(), shape, m.strides());
}

ColumnMajorStack column_major_empty(const Shape& batch, int64_t rows, int64_t cols, DType dtype) {
  check_lapack_size(rows);
  check_lapack_size(cols);
  ColumnMajorStack s;
  s.storage = batch_array(batch, {cols, rows}, dtype);
  s.batch = batch;
  s.count = shape_size(batch);
  s.rows = rows;
  s.cols = cols;
  return s;
}

ColumnMajorStack column_major_zeros(const Shape& batch, int64_t rows, int64_t cols, DType dtype) {
  ColumnMajorStack s = column_major_empty(batch, rows, cols, dtype);
  std::memset(s.storage.data(), 0, static_cast<size_t>(s.storage.nbytes()));
  return s;
}

ColumnMajorStack column_major_copy(const Array& a, DType dtype) {
  const int nd = a.ndim();
  ColumnMajorStack s = column_major_empty(batch_shape(a), a.shape()[nd - 2], a.shape()[nd - 1], dtype);
  copy_into(s.matrices(), a);
  return s;
}

void require_stacked_2d(const Array& a) {
  if (a.ndim() < 2) {
    throw LinAlgError(std::to_string(a.ndim()) +
                      "-dimensional array given. Array must be at least two-dimensional");
  }
}

void require_stacked_square(const Array& a) {
  require_stacked_2d(a);
  if (a.shape()[a.ndim() - 1] != a.shape()[a.ndim() - 2]) {
    throw LinAlgError("Last 2 dimensions of the array must be square");
  }
}

}  // namespace numfuse::linalg
