// numfuse._core._packbits / _unpackbits: algorithms/bits.hpp. NumPy's argument rules (axis None,
// count, bitorder) live in numfuse/_bits.py.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/algorithms/bits.hpp"
#include "numfuse/jit/lazy.hpp"

namespace numfuse::bind {

void bind_bits(py::module_& m) {
  m.def("_packbits", [](py::handle a, int axis, bool little) {
    const Array in = array_from_py(a);
    jit::evaluate({in});  // pending values computed while the GIL is held
    py::gil_scoped_release nogil;
    return algorithms::packbits(in, axis, little);
  }, "packbits(a, axis, little): a's bool/integer elements along axis (normalized) as bits");
  m.def("_unpackbits", [](py::handle a, int axis, int64_t bits, bool little) {
    const Array in = array_from_py(a);
    jit::evaluate({in});
    py::gil_scoped_release nogil;
    return algorithms::unpackbits(in, axis, bits, little);
  }, "unpackbits(a, axis, bits, little): the first `bits` bits of each lane of uint8 a along axis");
}

}  // namespace numfuse::bind
