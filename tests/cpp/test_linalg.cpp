// linalg's C++ layer: the BLAS layout analysis (which views reach BLAS without a copy, with
// which transpose flag and leading dimension) and the kernels on small known problems.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numeric>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/linalg/blas_layout.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"
#include "numfuse/linalg/matmul.hpp"

namespace numfuse::linalg {
namespace {

constexpr int kD = 8;  // sizeof(double)

TEST(BlasLayout, CContiguousIsNoTransWithRowLength) {
  BlasOperand op = analyze_blas_operand(4, 6, 6 * kD, kD, kD);
  EXPECT_TRUE(op.usable);
  EXPECT_FALSE(op.transposed);
  EXPECT_EQ(op.ld, 6);
}

TEST(BlasLayout, FContiguousAndTransposedViewsAreTransWithColumnLength) {
  BlasOperand op = analyze_blas_operand(4, 6, kD, 4 * kD, kD);
  EXPECT_TRUE(op.usable);
  EXPECT_TRUE(op.transposed);
  EXPECT_EQ(op.ld, 4);
}

TEST(BlasLayout, ColumnSliceKeepsTheParentRowStrideAsLeadingDimension) {
  // a[:, 2:5] of a 4 x 10 C array.
  BlasOperand op = analyze_blas_operand(4, 3, 10 * kD, kD, kD);
  EXPECT_TRUE(op.usable);
  EXPECT_FALSE(op.transposed);
  EXPECT_EQ(op.ld, 10);
}

TEST(BlasLayout, StridedNegativeBroadcastAndPartialElementViewsNeedACopy) {
  EXPECT_FALSE(analyze_blas_operand(4, 6, 12 * kD, 2 * kD, kD).usable);   // every other column
  EXPECT_FALSE(analyze_blas_operand(4, 6, -6 * kD, kD, kD).usable);      // rows reversed
  EXPECT_FALSE(analyze_blas_operand(4, 6, 0, kD, kD).usable);            // broadcast rows
  EXPECT_FALSE(analyze_blas_operand(4, 6, 6 * kD + 4, kD, kD).usable);   // not whole elements
  EXPECT_FALSE(analyze_blas_operand(4, 6, 3 * kD, kD, kD).usable);       // overlapping rows
}

TEST(BlasLayout, LengthOneAxesAcceptAnyStride) {
  // A row vector with a zero or huge row stride, a column vector with any column stride.
  BlasOperand row = analyze_blas_operand(1, 5, 0, kD, kD);
  EXPECT_TRUE(row.usable);
  EXPECT_EQ(row.ld, 5);
  BlasOperand col = analyze_blas_operand(5, 1, 3 * kD, 0, kD);
  EXPECT_TRUE(col.usable);
  EXPECT_EQ(col.ld, 3);
  BlasOperand strided_row = analyze_blas_operand(1, 5, 0, 2 * kD, kD);  // x[::2] as a row
  EXPECT_TRUE(strided_row.usable);
  EXPECT_TRUE(strided_row.transposed);
  EXPECT_EQ(strided_row.ld, 2);
}

template <class T>
Array iota(const Shape& shape, T start = T(1)) {
  Array a = Array::empty(shape, dtype_of<T>::value);
  std::iota(a.data_as<T>(), a.data_as<T>() + a.size(), start);
  return a;
}

template <class T>
T at(const Array& a, int64_t i, int64_t j) {
  return *reinterpret_cast<const T*>(a.data() + i * a.strides()[0] + j * a.strides()[1]);
}

template <class T>
void expect_matches_naive_product(const Array& a, const Array& b, DType dtype) {
  Array c = matmul(a, b, dtype);
  for (int64_t i = 0; i < c.shape()[0]; ++i) {
    for (int64_t j = 0; j < c.shape()[1]; ++j) {
      T expected{};
      for (int64_t p = 0; p < a.shape()[1]; ++p) expected += at<T>(a, i, p) * at<T>(b, p, j);
      EXPECT_NEAR(static_cast<double>(at<T>(c, i, j)), static_cast<double>(expected), 1e-9);
    }
  }
}

TEST(Matmul, BlasAndLoopPathsAgreeWithTheDefinitionForEveryLayout) {
  for (int64_t n : {3, 20}) {  // the small-matrix loop and BLAS
    Array a = iota<double>({n, n + 1}), b = iota<double>({n + 1, n}, 2.0);
    expect_matches_naive_product<double>(a, b, DType::Float64);
    expect_matches_naive_product<double>(transpose(b), transpose(a), DType::Float64);
    expect_matches_naive_product<double>(copy(a, MemoryOrder::F), b, DType::Float64);
  }
}

TEST(Matmul, IntegersWrapLikeFixedWidthArithmetic) {
  Array a = Array::empty({1, 2}, DType::Int8), b = Array::empty({2, 1}, DType::Int8);
  a.data_as<int8_t>()[0] = 100;
  a.data_as<int8_t>()[1] = 100;
  b.data_as<int8_t>()[0] = 2;
  b.data_as<int8_t>()[1] = 1;
  Array c = matmul(a, b, DType::Int8);
  EXPECT_EQ(c.data_as<int8_t>()[0], static_cast<int8_t>(300 % 256));
}

TEST(Matmul, MismatchedCoreDimensionsNameBothShapes) {
  try {
    matmul(iota<double>({2, 3}), iota<double>({4, 2}), DType::Float64);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Value);
    EXPECT_NE(std::string(e.what()).find("(2, 3) and (4, 2)"), std::string::npos);
  }
}

TEST(Lapack, SolveInvDetOnAKnownSystem) {
  // [[2, 1], [1, 3]] x = [3, 5] has x = [4/5, 7/5]; det = 5.
  Array a = Array::empty({2, 2}, DType::Float64);
  double* p = a.data_as<double>();
  p[0] = 2; p[1] = 1; p[2] = 1; p[3] = 3;
  Array b = Array::empty({2, 1}, DType::Float64);
  b.data_as<double>()[0] = 3;
  b.data_as<double>()[1] = 5;
  Array x = solve(a, b, DType::Float64);
  EXPECT_NEAR(at<double>(x, 0, 0), 0.8, 1e-14);
  EXPECT_NEAR(at<double>(x, 1, 0), 1.4, 1e-14);
  EXPECT_NEAR(det(a, DType::Float64).data_as<double>()[0], 5.0, 1e-13);
  Array inverse = inv(a, DType::Float32);
  EXPECT_EQ(inverse.dtype(), DType::Float32);
  EXPECT_NEAR(at<float>(inverse, 0, 0), 0.6f, 1e-6);
}

TEST(Lapack, SingularAndIndefiniteMatricesThrowLinAlgError) {
  Array ones = Array::empty({2, 2}, DType::Float64);
  std::fill(ones.data_as<double>(), ones.data_as<double>() + 4, 1.0);
  EXPECT_THROW(inv(ones, DType::Float64), LinAlgError);
  EXPECT_THROW(cholesky(ones, DType::Float64, false), LinAlgError);
  EXPECT_EQ(det(ones, DType::Float64).data_as<double>()[0], 0.0);
  EXPECT_THROW(inv(iota<double>({2, 3}), DType::Float64), LinAlgError);  // not square
}

TEST(Lapack, SymmetricEigenvaluesOfAKnownMatrix) {
  Array a = Array::empty({2, 2}, DType::Complex128);
  auto* p = a.data_as<std::complex<double>>();
  p[0] = 2; p[1] = 1; p[2] = 1; p[3] = 2;  // eigenvalues 1 and 3
  EigResult r = eigh(a, DType::Complex128, 'L', false);
  EXPECT_EQ(r.values.dtype(), DType::Float64);
  EXPECT_NEAR(r.values.data_as<double>()[0], 1.0, 1e-14);
  EXPECT_NEAR(r.values.data_as<double>()[1], 3.0, 1e-14);
}

}  // namespace
}  // namespace numfuse::linalg
