#include "matrix_stack.hpp"

#include <climits>
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
