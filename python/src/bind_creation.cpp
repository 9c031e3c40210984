// Array construction: empty/zeros/full, arange/linspace fills, conversion from Python objects.
#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>

#include "bindings.hpp"
#include "c_entry.hpp"
#include "convert.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::bind {

namespace {

// True for 'F', false for 'C'; NumPy's TypeError/ValueError for anything else (nf.empty takes
// no other order; None is not 'C' here).
bool fortran_order(PyObject* order) {
  if (!PyUnicode_Check(order)) {
    PyErr_Format(PyExc_TypeError, "order must be str, not %s", Py_TYPE(order)->tp_name);
    throw py::error_already_set();
  }
  if (PyUnicode_CompareWithASCIIString(order, "F") == 0) return true;
  if (PyUnicode_CompareWithASCIIString(order, "C") == 0) return false;
  PyErr_Format(PyExc_ValueError, "only 'C' or 'F' order is permitted, got %R", order);
  throw py::error_already_set();
}

// The (shape, dtype=None, order='C') arguments of nf.empty/nf.zeros from a vectorcall: what
// pybind11's dispatcher and a Python-level wrapper would do, at a fraction of their cost (they
// were most of nf.empty(10)). TypeError for arguments Python would refuse.
struct CreationArgs {
  PyObject* shape = nullptr;
  PyObject* dtype = Py_None;
  PyObject* order = nullptr;  // 'C' when absent
};

// The array API's device= keyword: the CPU ("cpu", as NumPy names it) is numfuse's only device.
void check_cpu_device(PyObject* device) {
  if (device == Py_None) return;
  if (PyUnicode_Check(device) && PyUnicode_CompareWithASCIIString(device, "cpu") == 0) return;
  PyErr_Format(PyExc_ValueError, "Device not understood. Only \"cpu\" is allowed, but received: %R", device);
  throw py::error_already_set();
}

CreationArgs creation_args(const char* fname, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  // device is keyword-only (the array API's signature): names[3] is reached by keyword alone.
  static const char* const names[] = {"shape", "dtype", "order", "device"};
  PyObject* slots[4] = {nullptr, nullptr, nullptr, nullptr};
  if (nargs > 3) {
    PyErr_Format(PyExc_TypeError, "%s() takes from 1 to 3 positional arguments but %zd were given", fname, nargs);
    throw py::error_already_set();
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) slots[i] = args[i];
  const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    int found = -1;
    for (int i = 0; i < 4 && found < 0; ++i) {
      if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0) found = i;
    }
    if (found < 0) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
      throw py::error_already_set();
    }
    if (slots[found]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname, names[found]);
      throw py::error_already_set();
    }
    slots[found] = args[nargs + k];
  }
  if (!slots[0]) {
    PyErr_Format(PyExc_TypeError, "%s() missing required argument 'shape' (pos 1)", fname);
    throw py::error_already_set();
  }
  if (slots[3]) check_cpu_device(slots[3]);
  return {slots[0], slots[1] ? slots[1] : Py_None, slots[2]};
}

Array empty_from_args(const char* fname, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  const CreationArgs a = creation_args(fname, args, nargs, kwnames);
  Shape shape = shape_from_py(a.shape);
  const DType dtype = dtype_from_py(a.dtype);
  return a.order && fortran_order(a.order) ? Array::empty_f(shape, dtype) : Array::empty(shape, dtype);
}

PyObject* empty_entry(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  return guarded([&] { return new_ndarray(empty_from_args("empty", args, nargs, kwnames)); }, nullptr);
}

PyObject* zeros_entry(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  return guarded([&] {
    Array a = empty_from_args("zeros", args, nargs, kwnames);
    std::memset(a.data(), 0, static_cast<size_t>(a.nbytes()));  // all-zero bits is 0 in every dtype
    return new_ndarray(std::move(a));
  }, nullptr);
}

// nf.asarray(x) with x alone: a numfuse array is returned as it is, a NumPy array wrapped (no
// Python frame: 1.04 -> ~0.4 us); any other call goes to the Python implementation. That one is
// kept here, not as the function's self: a C function without self pickles by name (Dask ships
// nf.asarray to its workers).
PyObject* general_asarray = nullptr;

PyObject* asarray_entry(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  if (nargs == 1 && !kwnames) {
    PyObject* x = args[0];
    if (exact_array(x)) return Py_NewRef(x);
    PyObject* made = guarded([&]() -> PyObject* {
      Array held;
      return exact_numpy_wrap(x, held) ? new_ndarray(std::move(held)) : nullptr;
    }, nullptr);
    if (made || PyErr_Occurred()) return made;
  }
  return PyObject_Vectorcall(general_asarray, args, static_cast<size_t>(nargs), kwnames);
}

PyMethodDef asarray_method = {
    "asarray", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&asarray_entry)),
    METH_FASTCALL | METH_KEYWORDS,
    "asarray(a, dtype=None, order=None, *, device=None, copy=None)\n--\n\n"
    "Converts to a numfuse array without copying when possible (NumPy arrays are wrapped)."};

PyMethodDef creation_methods[] = {
    {"empty", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&empty_entry)),
     METH_FASTCALL | METH_KEYWORDS,
     "empty(shape, dtype=None, order='C', *, device=None)\n--\n\nA new array of the given shape and dtype, uninitialized."},
    {"zeros", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&zeros_entry)),
     METH_FASTCALL | METH_KEYWORDS,
     "zeros(shape, dtype=None, order='C', *, device=None)\n--\n\nA new array of the given shape and dtype, filled with zeros."},
};

// NumPy's arange fill: the first two elements are given (start, and start + step added as
// Python objects), then element i is first + i * delta with delta = second - first, in the
// result type.
template <class T>
void arange_fill(T* out, int64_t n, T first, T second) {
  out[0] = first;
  if (n > 1) out[1] = second;
  const T delta = static_cast<T>(second - first);
  for (int64_t i = 2; i < n; ++i) out[i] = static_cast<T>(first + static_cast<T>(i) * delta);
}

}  // namespace

void bind_creation(py::module_& m) {
  // nf.empty and nf.zeros themselves (_creation.py), so plain C functions (see creation_args).
  py::object module_name = py::str("numfuse");
  for (PyMethodDef& def : creation_methods) {
    PyObject* f = PyCFunction_NewEx(&def, nullptr, module_name.ptr());
    if (!f) throw py::error_already_set();
    m.add_object(def.ml_name, py::reinterpret_steal<py::object>(f));
  }

  m.def("_fast_asarray", [module_name](py::object general) {
    Py_XDECREF(general_asarray);
    general_asarray = general.release().ptr();
    PyObject* f = PyCFunction_NewEx(&asarray_method, nullptr, module_name.ptr());
    if (!f) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(f);
  }, "nf.asarray: a C function taking the common calls itself and the rest to `general`");

  m.def("_wrap", [](py::handle obj, py::handle dtype) {
    return array_from_py(obj, dtype.is_none() ? std::nullopt : std::optional<DType>(dtype_from_py(dtype)));
  }, "Converts an array-like without copying where possible.");

  m.def("_shape_tuple", [](py::handle shape) { return shape_from_py(shape.ptr()); });

  // concatenate's common case in one call: arrays (numfuse or NumPy) of one dtype and rank >= 1
  // whose shapes agree off `axis` (an int in range). None for anything else: the Python
  // implementation then promotes, checks casting and raises NumPy's errors.
  m.def("_concatenate_same", [](py::handle items, py::handle axis_obj) -> py::object {
    if (!PyList_CheckExact(items.ptr()) && !PyTuple_CheckExact(items.ptr())) return py::none();
    if (!PyLong_CheckExact(axis_obj.ptr())) return py::none();
    py::sequence seq = py::reinterpret_borrow<py::sequence>(items);
    std::vector<Array> arrays;
    arrays.reserve(seq.size());
    for (py::handle item : seq) {
      Array held;
      const Array* a = exact_array(item.ptr());
      if (!a) a = exact_numpy_wrap(item.ptr(), held);
      if (!a) return py::none();
      arrays.push_back(*a);
    }
    if (arrays.empty() || arrays[0].ndim() == 0) return py::none();
    const Array& first = arrays[0];
    const int ndim = first.ndim();
    int64_t axis = axis_obj.cast<int64_t>();
    if (axis < -ndim || axis >= ndim) return py::none();
    if (axis < 0) axis += ndim;
    Shape shape = first.shape();
    shape[axis] = 0;
    for (const Array& a : arrays) {
      if (a.dtype() != first.dtype() || a.ndim() != ndim) return py::none();
      for (int d = 0; d < ndim; ++d) {
        if (d != axis && a.shape()[d] != first.shape()[d]) return py::none();
      }
      shape[axis] += a.shape()[axis];
    }
    Array out = Array::empty(shape, first.dtype());
    int64_t position = 0;
    for (const Array& a : arrays) {
      const int64_t n = a.shape()[axis];
      Shape piece_shape = out.shape();
      piece_shape[axis] = n;
      copy_into(out.with_layout(out.offset() + position * out.strides()[axis], piece_shape, out.strides()), a);
      position += n;
    }
    return py::cast(std::move(out));
  }, "concatenate of same-dtype arrays along an int axis, or None");

  m.def("_arange", [](py::object start, py::object step, int64_t n, py::handle dtype_obj) {
    DType dtype = dtype_from_py(dtype_obj);
    Array out = Array::empty({n}, dtype);
    if (n == 0) return out;
    visit_dtype(dtype, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, bool>) {
        // Only arange(0/1 elements) is valid for bool; NumPy raises for longer ranges.
        if (n > 2) throw_type_error("arange() is only supported for booleans when the result has at most length 2.");
        out.data_as<bool>()[0] = start.cast<bool>();
        if (n == 2) out.data_as<bool>()[1] = py::bool_(start.attr("__add__")(step)).cast<bool>();
      } else if constexpr (std::is_integral_v<T>) {
        // Wrap-around arithmetic in uint64 avoids signed-overflow UB; the cast narrows like C.
        int64_t s0 = start.cast<int64_t>(), st = step.cast<int64_t>();
        T* o = out.data_as<T>();
        for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(static_cast<uint64_t>(s0) + static_cast<uint64_t>(i) * static_cast<uint64_t>(st));
      } else {
        // As NumPy: start + step in Python's arithmetic (exact for ints past 2**53), then cast.
        auto second = py::reinterpret_steal<py::object>(PyNumber_Add(start.ptr(), step.ptr()));
        if (!second) throw py::error_already_set();
        arange_fill<T>(out.data_as<T>(), n, start.cast<T>(), second.cast<T>());
      }
    });
    return out;
  });

  // NumPy's linspace arithmetic in float64 or complex128; the caller casts to the final dtype.
  m.def("_linspace", [](std::complex<double> start, std::complex<double> stop, int64_t num,
                        bool endpoint, bool is_complex) {
    Array out = Array::empty({num}, is_complex ? DType::Complex128 : DType::Float64);
    int64_t div = endpoint ? num - 1 : num;
    auto fill = [&](auto* y, auto s0, auto s1) {
      using T = std::remove_pointer_t<decltype(y)>;
      T delta = s1 - s0;
      T step = div > 0 ? delta / static_cast<double>(div) : T(NAN);
      bool step_zero = div > 0 && step == T(0);
      for (int64_t i = 0; i < num; ++i) {
        T v = static_cast<double>(i);
        if (div > 0) v = step_zero ? (v / static_cast<double>(div)) * delta : v * step;
        else v = v * delta;
        y[i] = v + s0;
      }
      if (endpoint && num > 1) y[num - 1] = s1;
      return step;
    };
    py::object step;
    if (is_complex) step = py::cast(fill(out.data_as<std::complex<double>>(), start, stop));
    else step = py::cast(fill(out.data_as<double>(), start.real(), stop.real()));
    return py::make_tuple(out, step);
  });
}

}  // namespace numfuse::bind
