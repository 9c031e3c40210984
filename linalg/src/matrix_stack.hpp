// Stacks of matrices in LAPACK's layout: one fresh C-contiguous buffer of shape
// (batch..., cols, rows), so each matrix is column-major with leading dimension `rows`, and the
// logical (batch..., rows, cols) array is a transposed view of it (no copy back).
#pragma once

#include <algorithm>
#include <cstdint>

#include "numfuse/core/array.hpp"

namespace numfuse::linalg {

struct ColumnMajorStack {
  Array storage;
  Shape batch;
  int64_t count = 0;  // number of matrices
  int64_t rows = 0, cols = 0;

  int ld() const { return static_cast<int>(std::max<int64_t>(1, rows)); }
  template <class T> T* matrix(int64_t i) const {
    return storage.data_as<T>() + i * rows * cols;
  }
  // The logical (batch..., rows, cols) view.
  Array matrices() const;
  // The logical view restricted to the leading r x c block of every matrix.
  Array block(int64_t r, int64_t c) const;
};

// Copies a (..., rows, cols), converting to `dtype` (the one copy LAPACK needs anyway).
ColumnMajorStack column_major_copy(const Array& a, DType dtype);
ColumnMajorStack column_major_empty(const Shape& batch, int64_t rows, int64_t cols, DType dtype);
ColumnMajorStack column_major_zeros(const Shape& batch, int64_t rows, int64_t cols, DType dtype);

// A C-contiguous (batch..., tail...) array.
Array batch_array(const Shape& batch, const Shape& tail, DType dtype);
Shape batch_shape(const Array& a);  // all but the last two axes

// LAPACK takes 32-bit sizes.
void check_lapack_size(int64_t n);

// The SVD drivers (gesdd, gelsd) can loop forever on an infinity and answer NaN, "did not
// converge" or a hang depending on where a NaN or infinity sits; syevd/heevd and geev likewise.
// Their callers refuse non-finite matrices up front with LinAlgError (NumPy's eig message): a
// scan of the copy LAPACK gets anyway, far cheaper than the factorization. `uplo` 'L'/'U' scans
// only that triangle (the one eigh reads); 0 scans everything.
void require_finite(const ColumnMajorStack& s, char uplo = 0);

}  // namespace numfuse::linalg
