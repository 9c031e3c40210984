// numfuse._core._interp: np.interp's kernel (algorithms/interp.hpp). NumPy's argument rules
// (period, dtypes, shapes) live in numfuse/_interp.py; this takes arrays already converted.
#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/algorithms/interp.hpp"
#include "numfuse/jit/lazy.hpp"

namespace numfuse::bind {

void bind_interp(py::module_& m) {
  m.def("_interp", [](py::handle x, py::handle xp, py::handle fp, std::optional<std::complex<double>> left,
                      std::optional<std::complex<double>> right) {
    const Array xs = array_from_py(x), points = array_from_py(xp), values = array_from_py(fp);
    jit::evaluate({xs, points, values});  // pending values computed while the GIL is held
    py::gil_scoped_release nogil;
    return algorithms::interp(xs, points, values, left, right);
  }, "interp(x, xp, fp, left, right): NumPy's interp on C-contiguous float64 x and xp, 1-D "
     "float64 or complex128 fp; left/right None for fp's end values.");
}

}  // namespace numfuse::bind
