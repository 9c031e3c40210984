#include "arg_casters.hpp"

#include <string>

#include "numfuse/core/error.hpp"

namespace numfuse::bind {

namespace py = pybind11;

namespace {

// operator.index(obj) as a Python int (new reference); TypeError with Python's own message.
py::object index_of(PyObject* obj) {
  PyObject* index = PyNumber_Index(obj);
  if (!index) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(index);
}

[[noreturn]] void overflow(const char* ctype) {
  PyErr_Format(PyExc_OverflowError, "Python int too large to convert to C %s", ctype);
  throw py::error_already_set();
}

}  // namespace

int64_t int_from_py(PyObject* obj, int64_t lo, int64_t hi, const char* ctype) {
  py::object index = index_of(obj);
  int overflowed = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflowed);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflowed || v < lo || v > hi) overflow(ctype);
  return v;
}

uint64_t uint_from_py(PyObject* obj, uint64_t hi, const char* ctype) {
  py::object index = index_of(obj);
  if (_PyLong_Sign(index.ptr()) < 0) {
    PyErr_Format(PyExc_OverflowError, "can't convert negative int to C %s", ctype);
    throw py::error_already_set();
  }
  const unsigned long long v = PyLong_AsUnsignedLongLong(index.ptr());
  if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
    PyErr_Clear();
    overflow(ctype);
  }
  if (v > hi) overflow(ctype);
  return v;
}

double float_from_py(PyObject* obj) {
  const double v = PyFloat_AsDouble(obj);
  if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  return v;
}

int64_t dimension_from_py(PyObject* obj) {
  py::object index = index_of(obj);
  int overflowed = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflowed);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflowed) throw py::value_error("Maximum allowed dimension exceeded");
  return v;
}

Shape shape_from_py(PyObject* obj) {
  if (obj == Py_None) throw py::type_error("Use () not None as shape arguments");
  if (PyLong_Check(obj) || PyIndex_Check(obj)) return Shape{dimension_from_py(obj)};
  if (!PySequence_Check(obj)) {
    throw py::type_error("expected a sequence of integers or a single integer, got '" +
                         std::string(py::repr(obj)) + "'");
  }
  py::object seq = py::reinterpret_steal<py::object>(PySequence_Fast(obj, "expected a sequence"));
  if (!seq) throw py::error_already_set();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
  check_ndim(static_cast<size_t>(n));
  Shape s(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) s[i] = dimension_from_py(PySequence_Fast_GET_ITEM(seq.ptr(), i));
  return s;
}

}  // namespace numfuse::bind
