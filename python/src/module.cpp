// numfuse._core: the compiled half of the numfuse package.
#include <pybind11/pybind11.h>

#include <new>

#include "bindings.hpp"
#include "numfuse/core/error.hpp"

namespace py = pybind11;

namespace numfuse::bind {

void bind_errors(py::module_& m) {
  static py::object axis_error = py::module_::import("numpy").attr("exceptions").attr("AxisError");
  m.attr("AxisError") = axis_error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      switch (e.kind()) {
        case ErrorKind::Value: PyErr_SetString(PyExc_ValueError, e.what()); return;
        case ErrorKind::Index: PyErr_SetString(PyExc_IndexError, e.what()); return;
        case ErrorKind::Type: PyErr_SetString(PyExc_TypeError, e.what()); return;
        case ErrorKind::Axis: PyErr_SetObject(axis_error.ptr(), py::str(e.what()).ptr()); return;
        case ErrorKind::Memory: PyErr_SetString(PyExc_MemoryError, e.what()); return;
        case ErrorKind::NotImplemented: PyErr_SetString(PyExc_NotImplementedError, e.what()); return;
        case ErrorKind::Runtime: PyErr_SetString(PyExc_RuntimeError, e.what()); return;
      }
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, "Unable to allocate memory for the array");
    } catch (const py::cast_error&) {
      // An object of the wrong class where the code expected another (arg_casters.hpp covers
      // numbers, strings and shapes); pybind11's own text names C++ types.
      PyErr_SetString(PyExc_TypeError, "argument of an unsupported type for this operation");
    }
  });
}

}  // namespace numfuse::bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "numfuse's compiled core: arrays, views, copies and the pooling allocator";
  numfuse::bind::bind_errors(m);
  numfuse::bind::bind_array(m);
  numfuse::bind::bind_creation(m);
  numfuse::bind::bind_memory(m);
  numfuse::bind::bind_jit(m);
  numfuse::bind::bind_ufuncs(m);
  numfuse::bind::bind_ufunc_object(m);
  numfuse::bind::bind_operators(m);  // after bind_array: its methods belong to ndarray
  numfuse::bind::bind_reductions(m);
  numfuse::bind::bind_indexing(m);
  numfuse::bind::bind_dlpack(m);  // after bind_array: adds methods to ndarray
  numfuse::bind::bind_random(m);
  numfuse::bind::bind_io(m);
  numfuse::bind::bind_linalg(m);  // after bind_errors: its LinAlgError translator goes first
  numfuse::bind::bind_sorting(m);
  numfuse::bind::bind_statistics(m);
  numfuse::bind::bind_textio(m);
  numfuse::bind::bind_interp(m);
  numfuse::bind::bind_bits(m);
  numfuse::bind::bind_trace(m);
  numfuse::bind::bind_capi(m);  // after bind_array: adds ndarray._layout
  numfuse::bind::guard_pybind11_messages(m);  // last: covers every function bound above
}
