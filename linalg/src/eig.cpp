// Eigenproblems: eigh/eigvalsh through ?syevd/?heevd, eig/eigvals through ?geev.
#include <cmath>
#include <complex>

#include "lapack_table.hpp"
#include "matrix_stack.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"

namespace numfuse::linalg {

namespace {

template <class T>
EigResult eigh_stack(const Array& a, DType dtype, char uplo, bool vectors) {
  ColumnMajorStack f = column_major_copy(a, dtype);
  require_finite(f, uplo);
  const int64_t n = f.rows;
  EigResult r;
  r.values = batch_array(f.batch, {n}, real_dtype(dtype));
  for (int64_t i = 0; i < f.count && n > 0; ++i) {
    lapack_int info = Heevd<T>::call(LAPACK_COL_MAJOR, vectors ? 'V' : 'N', uplo, int(n),
                                     f.matrix<T>(i), f.ld(), r.values.data_as<Real<T>>() + i * n);
    if (info != 0) throw LinAlgError("Eigenvalues did not converge");
  }
  if (vectors) r.vectors = f.matrices();
  return r;
}

// Real input: geev returns eigenvalues as (wr, wi) and a complex-conjugate pair's vectors as two
// real columns (re, im). NumPy keeps real results when every eigenvalue of the stack is real.
template <class T>
EigResult eig_real(ColumnMajorStack& f, DType dtype, bool vectors) {
  const int64_t n = f.rows;
  Array wr = batch_array(f.batch, {n}, dtype), wi = batch_array(f.batch, {n}, dtype);
  ColumnMajorStack vr = column_major_empty(f.batch, n, vectors ? n : 0, dtype);
  for (int64_t i = 0; i < f.count && n > 0; ++i) {
    lapack_int info = Geev<T>::call(LAPACK_COL_MAJOR, 'N', vectors ? 'V' : 'N', int(n), f.matrix<T>(i),
                                    f.ld(), wr.data_as<T>() + i * n, wi.data_as<T>() + i * n, nullptr,
                                    1, vectors ? vr.matrix<T>(i) : nullptr, vectors ? vr.ld() : 1);
    if (info != 0) throw LinAlgError("Eigenvalues did not converge");
  }
  const T* im = wi.data_as<T>();
  bool all_real = true;
  for (int64_t j = 0; j < wi.size(); ++j) all_real = all_real && im[j] == T(0);
  EigResult r;
  if (all_real) {
    r.values = wr;
    if (vectors) r.vectors = vr.matrices();
    return r;
  }
  using C = std::complex<T>;
  const DType cdt = dtype == DType::Float32 ? DType::Complex64 : DType::Complex128;
  r.values = batch_array(f.batch, {n}, cdt);
  C* w = r.values.data_as<C>();
  for (int64_t j = 0; j < wr.size(); ++j) w[j] = C(wr.data_as<T>()[j], im[j]);
  if (!vectors) return r;
  ColumnMajorStack v = column_major_empty(f.batch, n, n, cdt);
  for (int64_t i = 0; i < f.count; ++i) {
    const T* src = vr.matrix<T>(i);
    const T* wim = im + i * n;
    C* dst = v.matrix<C>(i);
    for (int64_t col = 0; col < n; ++col) {
      if (wim[col] > 0 && col + 1 < n) {  // first of a conjugate pair: columns (re, im)
        for (int64_t row = 0; row < n; ++row) {
          const C z(src[col * n + row], src[(col + 1) * n + row]);
          dst[col * n + row] = z;
          dst[(col + 1) * n + row] = std::conj(z);
        }
        ++col;
      } else {
        for (int64_t row = 0; row < n; ++row) dst[col * n + row] = C(src[col * n + row], 0);
      }
    }
  }
  r.vectors = v.matrices();
  return r;
}

template <class T>
EigResult eig_complex(ColumnMajorStack& f, DType dtype, bool vectors) {
  const int64_t n = f.rows;
  EigResult r;
  r.values = batch_array(f.batch, {n}, dtype);
  ColumnMajorStack vr = column_major_empty(f.batch, n, vectors ? n : 0, dtype);
  for (int64_t i = 0; i < f.count && n > 0; ++i) {
    lapack_int info = Geev<T>::call(LAPACK_COL_MAJOR, 'N', vectors ? 'V' : 'N', int(n), f.matrix<T>(i),
                                    f.ld(), r.values.data_as<T>() + i * n, nullptr, 1,
                                    vectors ? vr.matrix<T>(i) : nullptr, vectors ? vr.ld() : 1);
    if (info != 0) throw LinAlgError("Eigenvalues did not converge");
  }
  if (vectors) r.vectors = vr.matrices();
  return r;
}

}  // namespace

EigResult eigh(const Array& a, DType dtype, char uplo, bool compute_vectors) {
  require_stacked_square(a);
  if (uplo != 'L' && uplo != 'U') throw_value_error("UPLO argument must be 'L' or 'U'");
  return visit_lapack_dtype(dtype, [&](auto tag) {
    return eigh_stack<decltype(tag)>(a, dtype, uplo, compute_vectors);
  });
}

EigResult eig(const Array& a, DType dtype, bool compute_vectors) {
  require_stacked_square(a);
  return visit_lapack_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    ColumnMajorStack f = column_major_copy(a, dtype);
    require_finite(f);
    if constexpr (kIsComplex<T>) return eig_complex<T>(f, dtype, compute_vectors);
    else return eig_real<T>(f, dtype, compute_vectors);
  });
}

}  // namespace numfuse::linalg
