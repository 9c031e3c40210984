#include "bindings.hpp"

namespace numfuse::bind {

namespace py = pybind11;

void bind_statistics(py::module_& m) { (void)m; }

}  // namespace numfuse::bind
