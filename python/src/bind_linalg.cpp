// numfuse._core._linalg: the compiled linear algebra. Argument parsing, dtype promotion and
// NumPy's calling conventions live in numfuse/linalg.py and numfuse/_linalg_ops.py; these
// functions take arrays that are already promoted and shaped.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/linalg/decompositions.hpp"
#include "numfuse/linalg/error.hpp"
#include "numfuse/linalg/matmul.hpp"
#include "numfuse/linalg/reductions.hpp"
#include "numfuse/linalg/threads.hpp"
#include "numfuse/ufuncs/promotion.hpp"

namespace numfuse::bind {

namespace {

namespace la = numfuse::linalg;

Array arg(py::handle h) { return array_from_py(h); }

// Two 64x64 operands: about 13 us of arithmetic, the largest product run without releasing the GIL.
constexpr int64_t kSmallOperandElements = 2 * 64 * 64;

// NumPy's built-in dtype objects are singletons: identity against the cached ones skips the
// general (string-parsing) conversion on the per-call path of `@`.
DType dtype_arg(py::handle h) {
  for (int i = 0; i < kNumDTypes; ++i) {
    if (h.ptr() == dtype_to_py(static_cast<DType>(i)).ptr()) return static_cast<DType>(i);
  }
  return dtype_from_py(h);
}

la::QRMode qr_mode(const std::string& mode) {
  if (mode == "reduced") return la::QRMode::Reduced;
  if (mode == "complete") return la::QRMode::Complete;
  if (mode == "r") return la::QRMode::R;
  if (mode == "raw") return la::QRMode::Raw;
  throw_value_error("Unrecognized mode '" + mode + "'");
}

}  // namespace

void bind_linalg(py::module_& m) {
  py::module_ l = m.def_submodule("_linalg", "BLAS/LAPACK kernels behind numfuse.linalg");
  // LinAlgError is numpy.linalg.LinAlgError itself, so `except np.linalg.LinAlgError` catches
  // ours. Registered after the module's general translator, this one is tried first.
  static py::object linalg_error = numpy().attr("linalg").attr("LinAlgError");
  l.attr("LinAlgError") = linalg_error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const la::LinAlgError& e) {
      PyErr_SetString(linalg_error.ptr(), e.what());
    }
  });

  l.def("matmul", [](py::handle a, py::handle b, py::handle dtype) {
    Array x = arg(a), y = arg(b);
    DType d = dtype_arg(dtype);
    py::gil_scoped_release nogil;
    return la::matmul(x, y, d);
  });
  // `a @ b` for two numfuse arrays in one call (the `@` operator's fast path): the result dtype
  // is NumPy's promote_types of the operands', a 0-d result (vector @ vector) is a NumPy scalar.
  // Products of small operands keep the GIL: handing it over costs more than they take.
  l.def("matmul_arrays", [](py::handle a, py::handle b) -> py::object {
    Array x = arg(a), y = arg(b);
    const DType d = ufuncs::promote_types(x.dtype(), y.dtype());
    Array r;
    if (x.size() + y.size() <= kSmallOperandElements) {
      r = la::matmul(x, y, d);
    } else {
      py::gil_scoped_release nogil;
      r = la::matmul(x, y, d);
    }
    if (r.ndim() == 0) return scalar_to_py(r);
    return py::cast(std::move(r));
  });
  l.def("solve", [](const Array& a, const Array& b, py::handle dt) {
    DType d = dtype_arg(dt);
    py::gil_scoped_release nogil;
    return la::solve(a, b, d);
  });
  l.def("inv", [](const Array& a, py::handle dt, bool nan_on_singular) {
    DType d = dtype_arg(dt);
    py::gil_scoped_release nogil;
    return la::inv(a, d, nan_on_singular);
  });
  l.def("slogdet", [](const Array& a, py::handle dt) {
    auto r = la::slogdet(a, dtype_arg(dt));
    return py::make_tuple(r.sign, r.logabsdet);
  });
  l.def("det", [](const Array& a, py::handle dt) { return la::det(a, dtype_arg(dt)); });
  l.def("cholesky", [](const Array& a, py::handle dt, bool upper) {
    return la::cholesky(a, dtype_arg(dt), upper);
  });
  l.def("qr", [](const Array& a, py::handle dt, const std::string& mode) {
    DType d = dtype_arg(dt);
    la::QRMode qm = qr_mode(mode);
    py::gil_scoped_release nogil;
    return la::qr(a, d, qm);
  });
  l.def("svd", [](const Array& a, py::handle dt, bool full_matrices, bool compute_uv) {
    DType d = dtype_arg(dt);
    la::SVDResult r;
    {
      py::gil_scoped_release nogil;
      r = la::svd(a, d, full_matrices, compute_uv);
    }
    if (!compute_uv) return py::tuple(py::make_tuple(r.s));
    return py::tuple(py::make_tuple(r.u, r.s, r.vh));
  });
  l.def("eig", [](const Array& a, py::handle dt, bool vectors) {
    DType d = dtype_arg(dt);
    la::EigResult r;
    {
      py::gil_scoped_release nogil;
      r = la::eig(a, d, vectors);
    }
    return vectors ? py::tuple(py::make_tuple(r.values, r.vectors)) : py::tuple(py::make_tuple(r.values));
  });
  l.def("eigh", [](const Array& a, py::handle dt, const std::string& uplo, bool vectors) {
    DType d = dtype_arg(dt);
    if (uplo.size() != 1) throw_value_error("UPLO argument must be 'L' or 'U'");
    la::EigResult r;
    {
      py::gil_scoped_release nogil;
      r = la::eigh(a, d, uplo[0], vectors);
    }
    return vectors ? py::tuple(py::make_tuple(r.values, r.vectors)) : py::tuple(py::make_tuple(r.values));
  });
  l.def("lstsq", [](const Array& a, const Array& b, py::handle dt, double rcond) {
    la::LstsqResult r = la::lstsq(a, b, dtype_arg(dt), rcond);
    return py::make_tuple(r.x, r.residuals, r.rank, r.s);
  });
  l.def("pinv", [](const Array& a, py::handle dt, const Array& rcond) {
    return la::pinv(a, dtype_arg(dt), rcond);
  });
  l.def("vector_norm_last_axis", &la::vector_norm_last_axis);
  l.def("count_above", &la::count_above);
  l.def("singular_value_ratio", &la::singular_value_ratio);
  l.def("multiply_real", &la::multiply_real);
  l.def("nan_to_inf_unless_input_nan", [](Array r, const Array& x) {
    la::nan_to_inf_unless_input_nan(r, x);
    return r;
  });
  l.def("conjugate", &la::conjugate);
  l.def("cross_rows", &la::cross_rows);
  l.def("set_blas_threads", &la::set_blas_threads);
  l.def("blas_threads", &la::blas_threads);
}

}  // namespace numfuse::bind
