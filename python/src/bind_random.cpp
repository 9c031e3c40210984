// numfuse._core._BitGenerator: the C++ generator and its samplers. Argument checking (bounds,
// shapes, NumPy's error types) is done by numfuse.random, which owns the user-facing Generator.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/random.hpp"

namespace numfuse::bind {

void bind_random(py::module_& m) {
  // The GIL stays held while sampling: it is what serializes use of one generator from several
  // Python threads (NumPy's Generator takes a lock for the same reason).
  py::class_<BitGenerator>(m, "_BitGenerator")
      .def(py::init<const std::vector<uint64_t>&>(), py::arg("seed_words"))
      .def("state", &BitGenerator::state)
      .def("next_uint64", &BitGenerator::next)
      .def("fill_random", &fill_random)
      .def("fill_uniform", &fill_uniform)
      .def("fill_normal", &fill_normal)
      .def("fill_integers", &fill_integers);
}

}  // namespace numfuse::bind
