// linalg's core routines against Eigen, an implementation that shares no code with OpenBLAS or
// LAPACK: matmul, solve, inv, det, cholesky, qr, svd, eigh, eig and lstsq on random
// well-conditioned matrices, float32 and float64, sizes from 1x1 to tall and wide.
// Where a result is not unique (signs of QR/SVD factors, eigenvectors) the test compares what is:
// |R|, singular values, eigenvalues, reconstructions and orthonormality.
//
// This is the only translation unit that includes Eigen (it costs 10-16 s to compile).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <complex>
#include <random>
#include <vector>

#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/matmul.hpp"

namespace numfuse::linalg {
namespace {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// Reads a 2-D (or, as a column, 1-D) numfuse array of any strides into an Eigen matrix.
template <class T>
Mat<T> to_eigen(const Array& a) {
  EXPECT_EQ(a.dtype(), dtype_of<T>::value);
  const int64_t rows = a.ndim() >= 1 ? a.shape()[0] : 1;
  const int64_t cols = a.ndim() == 2 ? a.shape()[1] : 1;
  const int64_t row_stride = a.ndim() >= 1 ? a.strides()[0] : 0;
  const int64_t col_stride = a.ndim() == 2 ? a.strides()[1] : 0;
  Mat<T> m(rows, cols);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      m(i, j) = *reinterpret_cast<const T*>(a.data() + i * row_stride + j * col_stride);
    }
  }
  return m;
}

template <class T>
Array to_numfuse(const Mat<T>& m) {
  Array a = Array::empty({m.rows(), m.cols()}, dtype_of<T>::value);
  for (int64_t i = 0; i < m.rows(); ++i) {
    for (int64_t j = 0; j < m.cols(); ++j) a.data_as<T>()[i * m.cols() + j] = m(i, j);
  }
  return a;
}

template <class T>
Mat<T> random_matrix(int64_t rows, int64_t cols, std::mt19937& rng) {
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Mat<T> m(rows, cols);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) m(i, j) = static_cast<T>(uniform(rng));
  }
  return m;
}

// Diagonally dominant: condition number stays small at every size.
template <class T>
Mat<T> well_conditioned_square(int64_t n, std::mt19937& rng) {
  Mat<T> m = random_matrix<T>(n, n, rng);
  m.diagonal().array() += static_cast<T>(n);
  return m;
}

template <class T>
Mat<T> symmetric_positive_definite(int64_t n, std::mt19937& rng) {
  Mat<T> m = random_matrix<T>(n, n, rng);
  Mat<T> spd = m * m.transpose();
  spd.diagonal().array() += static_cast<T>(n);
  return spd;
}

// Relative tolerance per dtype: a few hundred ulps scaled by the problem size.
template <class T>
double tolerance(int64_t n) {
  return static_cast<double>(std::numeric_limits<T>::epsilon()) * 50.0 * static_cast<double>(n + 1);
}

template <class T>
void expect_close(const Mat<T>& actual, const Mat<T>& expected, double rel_tol, const char* what) {
  ASSERT_EQ(actual.rows(), expected.rows()) << what;
  ASSERT_EQ(actual.cols(), expected.cols()) << what;
  const double scale = std::max(1.0, static_cast<double>(expected.cwiseAbs().maxCoeff()));
  const double error = actual.size() == 0 ? 0.0 : static_cast<double>((actual - expected).cwiseAbs().maxCoeff());
  EXPECT_LE(error, rel_tol * scale) << what << ": max |difference| " << error << " at scale " << scale;
}

template <class T>
void expect_orthonormal_columns(const Mat<T>& q, double rel_tol, const char* what) {
  expect_close<T>(q.transpose() * q, Mat<T>::Identity(q.cols(), q.cols()), rel_tol, what);
}

struct Dims {
  int64_t rows, cols;
};
// Square, 1x1, tall and wide shapes, small enough to run in milliseconds.
const std::vector<Dims> kShapes = {{1, 1}, {2, 2}, {7, 7}, {40, 40}, {9, 4}, {4, 9}, {60, 25}, {25, 60}};
const std::vector<int64_t> kSquareSizes = {1, 2, 7, 40, 97};

template <class T>
class EigenOracle : public ::testing::Test {
 protected:
  std::mt19937 rng{20261127};
  static constexpr DType kDType = dtype_of<T>::value;
};
using RealTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(EigenOracle, RealTypes);

TYPED_TEST(EigenOracle, MatmulMatchesEigenProductForEveryShapeAndTransposedOperands) {
  using T = TypeParam;
  for (Dims d : kShapes) {
    const int64_t inner = d.cols + 3;
    Mat<T> a = random_matrix<T>(d.rows, inner, this->rng);
    Mat<T> b = random_matrix<T>(inner, d.cols, this->rng);
    Mat<T> expected = a * b;
    expect_close<T>(to_eigen<T>(matmul(to_numfuse<T>(a), to_numfuse<T>(b), this->kDType)), expected,
                    tolerance<T>(inner), "a @ b");
    // (b^T a^T)^T through numfuse's transpose views exercises BLAS's transpose flags.
    Array at = to_numfuse<T>(Mat<T>(a.transpose())), bt = to_numfuse<T>(Mat<T>(b.transpose()));
    Array at_view = at.with_layout(at.offset(), {at.shape()[1], at.shape()[0]}, {at.strides()[1], at.strides()[0]});
    Array bt_view = bt.with_layout(bt.offset(), {bt.shape()[1], bt.shape()[0]}, {bt.strides()[1], bt.strides()[0]});
    expect_close<T>(to_eigen<T>(matmul(at_view, bt_view, this->kDType)), expected, tolerance<T>(inner),
                    "transposed views");
  }
}

TYPED_TEST(EigenOracle, SolveAndInvMatchEigenLU) {
  using T = TypeParam;
  for (int64_t n : kSquareSizes) {
    for (int64_t k : {1, 3}) {
      Mat<T> a = well_conditioned_square<T>(n, this->rng);
      Mat<T> b = random_matrix<T>(n, k, this->rng);
      Mat<T> x = to_eigen<T>(solve(to_numfuse<T>(a), to_numfuse<T>(b), this->kDType));
      expect_close<T>(x, a.partialPivLu().solve(b), tolerance<T>(n), "solve");
      expect_close<T>(a * x, b, tolerance<T>(n), "solve residual");
    }
    Mat<T> a = well_conditioned_square<T>(n, this->rng);
    expect_close<T>(to_eigen<T>(inv(to_numfuse<T>(a), this->kDType)), a.inverse(), tolerance<T>(n), "inv");
  }
}

TYPED_TEST(EigenOracle, SolveOverAStackMatchesEachMatrix) {
  using T = TypeParam;
  const int64_t batch = 3, n = 6;
  Array a = Array::empty({batch, n, n}, this->kDType), b = Array::empty({batch, n, 2}, this->kDType);
  std::vector<Mat<T>> as, bs;
  for (int64_t s = 0; s < batch; ++s) {
    as.push_back(well_conditioned_square<T>(n, this->rng));
    bs.push_back(random_matrix<T>(n, 2, this->rng));
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < n; ++j) a.data_as<T>()[(s * n + i) * n + j] = as[s](i, j);
      for (int64_t j = 0; j < 2; ++j) b.data_as<T>()[(s * n + i) * 2 + j] = bs[s](i, j);
    }
  }
  Array x = solve(a, b, this->kDType);
  ASSERT_EQ(x.shape(), (Shape{batch, n, 2}));
  for (int64_t s = 0; s < batch; ++s) {
    Array slice = x.with_layout(x.offset() + s * x.strides()[0], {n, 2}, {x.strides()[1], x.strides()[2]});
    expect_close<T>(to_eigen<T>(slice), as[s].partialPivLu().solve(bs[s]), tolerance<T>(n), "stacked solve");
  }
}

TYPED_TEST(EigenOracle, DetMatchesEigenDeterminant) {
  using T = TypeParam;
  for (int64_t n : {1, 2, 5, 12}) {
    // Entries of order 1 keep det within range at these sizes; no diagonal shift, so the sign varies.
    Mat<T> a = random_matrix<T>(n, n, this->rng);
    const double expected = static_cast<double>(a.template cast<double>().determinant());
    const double actual = static_cast<double>(det(to_numfuse<T>(a), this->kDType).template data_as<T>()[0]);
    EXPECT_NEAR(actual, expected, tolerance<T>(n) * 1e2 * std::max(1.0, std::abs(expected))) << "n=" << n;
  }
}

TYPED_TEST(EigenOracle, CholeskyFactorsAreEigensBothTriangles) {
  using T = TypeParam;
  for (int64_t n : kSquareSizes) {
    Mat<T> a = symmetric_positive_definite<T>(n, this->rng);
    Mat<T> lower = a.llt().matrixL();  // unique for a positive definite matrix
    expect_close<T>(to_eigen<T>(cholesky(to_numfuse<T>(a), this->kDType, false)), lower, tolerance<T>(n), "L");
    expect_close<T>(to_eigen<T>(cholesky(to_numfuse<T>(a), this->kDType, true)), Mat<T>(lower.transpose()),
                    tolerance<T>(n), "U");
  }
}

TYPED_TEST(EigenOracle, QrReconstructsAndItsRMatchesEigensUpToRowSigns) {
  using T = TypeParam;
  for (Dims d : kShapes) {
    Mat<T> a = random_matrix<T>(d.rows, d.cols, this->rng);
    const int64_t k = std::min(d.rows, d.cols);
    std::vector<Array> qr_parts = qr(to_numfuse<T>(a), this->kDType, QRMode::Reduced);
    Mat<T> q = to_eigen<T>(qr_parts[0]), r = to_eigen<T>(qr_parts[1]);
    ASSERT_EQ(q.rows(), d.rows);
    ASSERT_EQ(q.cols(), k);
    ASSERT_EQ(r.rows(), k);
    ASSERT_EQ(r.cols(), d.cols);
    const double tol = tolerance<T>(std::max(d.rows, d.cols));
    expect_close<T>(q * r, a, tol, "q @ r");
    expect_orthonormal_columns<T>(q, tol, "q^T q");
    EXPECT_TRUE(r.isUpperTriangular()) << d.rows << "x" << d.cols;
    // A full-rank QR is unique up to the sign of each row of R.
    Mat<T> eigen_r = a.householderQr().matrixQR().topRows(k).template triangularView<Eigen::Upper>();
    expect_close<T>(r.cwiseAbs(), eigen_r.cwiseAbs(), tol, "|R|");

    std::vector<Array> complete = qr(to_numfuse<T>(a), this->kDType, QRMode::Complete);
    Mat<T> full_q = to_eigen<T>(complete[0]);
    ASSERT_EQ(full_q.cols(), d.rows);
    expect_orthonormal_columns<T>(full_q, tol, "complete q");
    expect_close<T>(full_q * to_eigen<T>(complete[1]), a, tol, "complete q @ r");
  }
}

TYPED_TEST(EigenOracle, SvdSingularValuesMatchEigenAndFactorsReconstruct) {
  using T = TypeParam;
  for (Dims d : kShapes) {
    Mat<T> a = random_matrix<T>(d.rows, d.cols, this->rng);
    const double tol = tolerance<T>(std::max(d.rows, d.cols));
    Vec<T> expected_s = a.bdcSvd().singularValues();  // descending, as LAPACK's
    for (bool full : {false, true}) {
      SVDResult r = svd(to_numfuse<T>(a), this->kDType, full, true);
      Mat<T> u = to_eigen<T>(r.u), s = to_eigen<T>(r.s), vh = to_eigen<T>(r.vh);
      expect_close<T>(s, Mat<T>(expected_s), tol, "singular values");
      const int64_t k = s.rows();
      expect_orthonormal_columns<T>(u, tol, "u");
      expect_orthonormal_columns<T>(Mat<T>(vh.transpose()), tol, "vh");
      ASSERT_EQ(u.cols(), full ? d.rows : k);
      ASSERT_EQ(vh.rows(), full ? d.cols : k);
      expect_close<T>(u.leftCols(k) * s.col(0).asDiagonal() * vh.topRows(k), a, tol, "u s vh");
    }
    SVDResult values_only = svd(to_numfuse<T>(a), this->kDType, false, false);
    expect_close<T>(to_eigen<T>(values_only.s), Mat<T>(expected_s), tol, "svdvals");
  }
}

TYPED_TEST(EigenOracle, EighEigenvaluesMatchEigenAndReadOnlyTheNamedTriangle) {
  using T = TypeParam;
  for (int64_t n : kSquareSizes) {
    Mat<T> a = random_matrix<T>(n, n, this->rng);
    Mat<T> symmetric = (a + a.transpose()) / T(2);
    Eigen::SelfAdjointEigenSolver<Mat<T>> oracle(symmetric);
    const double tol = tolerance<T>(n);
    for (char uplo : {'L', 'U'}) {
      // The triangle LAPACK is told not to read holds garbage: results must not change.
      Mat<T> poisoned = symmetric;
      if (uplo == 'L') poisoned.template triangularView<Eigen::StrictlyUpper>().setConstant(T(1e3));
      if (uplo == 'U') poisoned.template triangularView<Eigen::StrictlyLower>().setConstant(T(1e3));
      EigResult r = eigh(to_numfuse<T>(poisoned), this->kDType, uplo, true);
      Mat<T> w = to_eigen<T>(r.values), v = to_eigen<T>(r.vectors);
      expect_close<T>(w, Mat<T>(oracle.eigenvalues()), tol, "eigenvalues (ascending)");
      expect_orthonormal_columns<T>(v, tol, "eigenvectors");
      expect_close<T>(symmetric * v, v * w.col(0).asDiagonal(), tol, "A v = v w");
    }
  }
}

TYPED_TEST(EigenOracle, EigEigenvaluesMatchEigenAsAMultiset) {
  using T = TypeParam;
  using C = std::complex<T>;
  for (int64_t n : {1, 2, 6, 30}) {
    Mat<T> a = random_matrix<T>(n, n, this->rng);
    Eigen::EigenSolver<Mat<T>> oracle(a);
    std::vector<C> expected(oracle.eigenvalues().data(), oracle.eigenvalues().data() + n);
    EigResult r = eig(to_numfuse<T>(a), this->kDType, true);
    // Real results when every eigenvalue is real (NumPy's rule); read both kinds as complex.
    Mat<C> w, v;
    if (r.values.dtype() == this->kDType) {
      w = to_eigen<T>(r.values).template cast<C>();
      v = to_eigen<T>(r.vectors).template cast<C>();
    } else {
      w = to_eigen<C>(r.values);
      v = to_eigen<C>(r.vectors);
    }
    const double tol = tolerance<T>(n) * 10;  // nonsymmetric eigenvalues are less well conditioned
    const double scale = std::max(1.0, static_cast<double>(a.cwiseAbs().maxCoeff()) * n);
    for (int64_t i = 0; i < n; ++i) {
      // Each eigenvalue matches a distinct one of Eigen's (nearest, then removed).
      auto nearest = std::min_element(expected.begin(), expected.end(), [&](C x, C y) {
        return std::abs(x - w(i, 0)) < std::abs(y - w(i, 0));
      });
      ASSERT_NE(nearest, expected.end());
      EXPECT_LE(std::abs(*nearest - w(i, 0)), tol * scale) << "n=" << n << " eigenvalue " << i;
      expected.erase(nearest);
    }
    Mat<C> residual = a.template cast<C>() * v - v * w.col(0).asDiagonal();
    EXPECT_LE(static_cast<double>(residual.cwiseAbs().maxCoeff()), tol * scale) << "A v = v w, n=" << n;
  }
}

TYPED_TEST(EigenOracle, LstsqMatchesEigensLeastSquaresAndMinimumNormSolutions) {
  using T = TypeParam;
  for (Dims d : kShapes) {
    Mat<T> a = random_matrix<T>(d.rows, d.cols, this->rng);
    Mat<T> b = random_matrix<T>(d.rows, 2, this->rng);
    LstsqResult r = lstsq(to_numfuse<T>(a), to_numfuse<T>(b), this->kDType, -1.0);
    // The complete orthogonal decomposition gives the minimum-norm solution for wide systems too.
    Mat<T> expected = a.completeOrthogonalDecomposition().solve(b);
    const double tol = tolerance<T>(std::max(d.rows, d.cols)) * 10;
    Mat<T> x = to_eigen<T>(r.x);
    expect_close<T>(x, expected, tol, "x");
    EXPECT_EQ(r.rank, std::min(d.rows, d.cols));
    expect_close<T>(to_eigen<T>(r.s), Mat<T>(a.bdcSvd().singularValues()), tol, "singular values");
    if (d.rows > d.cols) {
      Mat<T> sum_of_squares = (a * expected - b).colwise().squaredNorm().transpose();
      expect_close<T>(to_eigen<T>(r.residuals), sum_of_squares, tol, "residuals");
    } else {
      EXPECT_EQ(r.residuals.size(), 0);
    }
  }
}

}  // namespace
}  // namespace numfuse::linalg
