// The ndarray class: attributes, basic indexing, views, copies and the NumPy export protocols.
// Advanced indexing and most of the NumPy-style API live in the Python package; this file keeps
// the per-call hot paths (attribute access, slicing) in C++.
#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <complex>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "bindings.hpp"
#include "c_entry.hpp"
#include "convert.hpp"
#include "ndarray_object.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/jit/lazy.hpp"

namespace numfuse::bind {

namespace {

py::tuple to_tuple(const std::vector<int64_t>& v) {
  py::tuple t(v.size());
  for (size_t i = 0; i < v.size(); ++i) t[i] = py::int_(v[i]);
  return t;
}

// An index component that basic indexing cannot express (arrays, lists, booleans). As in NumPy,
// an array is always an advanced index, even a 0-d integer one (the result is a copy); integer
// scalars (Python or NumPy) are basic.
bool is_advanced(py::handle item) {
  if (PyBool_Check(item.ptr())) return true;
  if (PyLong_Check(item.ptr()) || PySlice_Check(item.ptr()) || item.is_none() ||
      item.ptr() == Py_Ellipsis) {
    return false;
  }
  if (py::isinstance<Array>(item)) return true;
  static const auto* numpy_ndarray = new py::object(numpy().attr("ndarray"));  // never destroyed
  if (py::isinstance(item, *numpy_ndarray)) return true;
  if (py::hasattr(item, "ndim") && py::hasattr(item, "dtype")) {  // NumPy scalars
    std::string kind = py::str(item.attr("dtype").attr("kind"));
    return kind != "i" && kind != "u";
  }
  return !py::hasattr(item, "__index__");
}

// Parses a key into basic index items; returns false if any component is advanced.
bool parse_basic_index(py::handle key, std::vector<IndexItem>& out) {
  auto parse_one = [&](py::handle item) {
    if (is_advanced(item)) return false;
    if (item.is_none()) {
      out.push_back(IndexItem::new_axis());
    } else if (item.ptr() == Py_Ellipsis) {
      out.push_back(IndexItem::ellipsis());
    } else if (PySlice_Check(item.ptr())) {
      Py_ssize_t start, stop, step;
      if (PySlice_Unpack(item.ptr(), &start, &stop, &step) < 0) throw py::error_already_set();
      // PySlice_Unpack marks open ends with PY_SSIZE_T_MIN/MAX, which equal INT64's here.
      out.push_back(IndexItem::slice(start, stop, step));
    } else {
      Py_ssize_t i = PyNumber_AsSsize_t(item.ptr(), PyExc_IndexError);
      if (i == -1 && PyErr_Occurred()) throw py::error_already_set();
      out.push_back(IndexItem::integer(i));
    }
    return true;
  };
  if (PyTuple_Check(key.ptr())) {
    for (auto item : key) {
      if (!parse_one(item)) return false;
    }
    return true;
  }
  return parse_one(key);
}

bool all_integers(const std::vector<IndexItem>& items, int ndim) {
  if (static_cast<int>(items.size()) != ndim) return false;
  for (const auto& it : items) {
    if (it.kind != IndexItem::Kind::Integer) return false;
  }
  return true;
}

py::object package_hook(const char* name) {
  return py::module_::import("numfuse._indexing").attr(name);
}

// Values written by setitem: arrays keep their dtype (cast on copy like NumPy's unsafe
// setitem cast); Python scalars and sequences go through NumPy's conversion to the target dtype,
// which raises NumPy's errors (OverflowError for 300 into int8, ValueError for NaN into int).
Array value_for(py::handle value, DType target) {
  Array scalar = Array::empty(Shape{}, target);
  if (python_scalar_bytes(value.ptr(), target, scalar.data())) return scalar;
  if (py::isinstance<Array>(value) || py::hasattr(value, "__array_interface__")) {
    return array_from_py(value);
  }
  return array_from_py(numpy().attr("asarray")(value, dtype_to_py(target)));
}

// NumPy's copy orders; 'A' means F for an F-contiguous (and not C-contiguous) source, C otherwise.
MemoryOrder parse_order(const std::string& order, const Array& src) {
  if (order == "C") return MemoryOrder::C;
  if (order == "F") return MemoryOrder::F;
  if (order == "K") return MemoryOrder::Keep;
  if (order == "A") return src.is_f_contiguous() && !src.is_c_contiguous() ? MemoryOrder::F : MemoryOrder::C;
  throw_value_error("order must be one of 'C', 'F', 'A', or 'K' (got '" + order + "')");
}

Shape shape_from_args(py::args args) {
  py::handle items = args;
  if (args.size() == 1 && !PyLong_Check(args[0].ptr()) && !py::hasattr(args[0], "__index__") &&
      py::isinstance<py::iterable>(args[0])) {
    items = args[0];
  }
  return shape_from_py(items.ptr());
}

Array reshape(const Array& a, Shape shape, std::string order) {
  if (order == "K") throw_value_error("order 'K' is not permitted for reshaping");
  if (order == "A") order = a.is_f_contiguous() && !a.is_c_contiguous() ? "F" : "C";
  if (order != "C" && order != "F") {
    throw_value_error("order must be one of 'C', 'F', 'A', or 'K' (got '" + order + "')");
  }
  if (order == "F") {
    // Fortran-order reshape is the C-order reshape of the reversed axes.
    std::reverse(shape.begin(), shape.end());
    Array t = transpose(a);
    auto v = reshape_view(t, shape);
    return transpose(v ? *v : reshape_view(copy(t), shape).value());
  }
  if (auto v = reshape_view(a, shape)) return *v;
  return reshape_view(copy(a), shape).value();
}

py::dict array_interface(const Array& a) {
  prepare_export(a);  // as for the buffer protocol
  py::dict d;
  d["shape"] = to_tuple(a.shape());
  d["typestr"] = std::string(info(a.dtype()).typestr);
  d["data"] = py::make_tuple(reinterpret_cast<uintptr_t>(a.data()), !a.writeable());
  d["strides"] = a.is_c_contiguous() ? py::object(py::none()) : py::object(to_tuple(a.strides()));
  d["version"] = 3;
  return d;
}

// ndarray(...) / ndarray.__new__: pybind11 would make an instance with no Array inside (the class
// has no __init__ to fill it) whose methods then read unconstructed memory. Arrays come from
// nf.array, nf.empty, ...; pybind11 itself creates instances without calling tp_new.
PyObject* refuse_bare_new(PyTypeObject*, PyObject*, PyObject*) {
  PyErr_SetString(PyExc_TypeError,
                  "cannot create 'numfuse.ndarray' instances directly: use nf.array, nf.asarray, "
                  "nf.empty, nf.zeros, ...");
  return nullptr;
}

// a.reshape(...) with ints only (a tuple or separate args, no keywords): parsed here, without
// pybind11's dispatch (0.6 -> ~0.25 us); any other call goes to the bound method, `general`.
PyObject* general_reshape = nullptr;

PyObject* reshape_entry(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  const Array* a = exact_array(self);
  PyObject* const* dims = args;
  Py_ssize_t ndims = nargs;
  if (nargs == 1 && PyTuple_CheckExact(args[0])) {
    dims = &PyTuple_GET_ITEM(args[0], 0);
    ndims = PyTuple_GET_SIZE(args[0]);
  }
  bool simple = a && !kwnames && nargs > 0 && ndims <= kMaxDims;
  Shape shape;
  for (Py_ssize_t i = 0; simple && i < ndims; ++i) {
    simple = PyLong_CheckExact(dims[i]);
    const int64_t n = simple ? PyLong_AsLongLong(dims[i]) : 0;
    if (n == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      simple = false;
    }
    shape.push_back(n);
  }
  if (simple) return guarded([&] { return new_ndarray(reshape(*a, std::move(shape), "C")); }, nullptr);
  // The bound method, called with self first (a plain function of pybind11's).
  PyObject* stack[kMaxDims + 2];
  if (nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0) >= kMaxDims + 1) {
    PyErr_SetString(PyExc_TypeError, "reshape() takes too many arguments");
    return nullptr;
  }
  stack[0] = self;
  const Py_ssize_t total = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
  std::copy(args, args + total, stack + 1);
  return PyObject_Vectorcall(general_reshape, stack, static_cast<size_t>(nargs + 1), kwnames);
}

PyMethodDef reshape_method = {
    "reshape", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&reshape_entry)),
    METH_FASTCALL | METH_KEYWORDS,
    "reshape(*shape, order='C')\n--\n\nReturns an array containing the same data with a new shape."};

// Puts reshape_entry in front of the reshape pybind11 bound.
void install_fast_reshape(py::handle type) {
  auto* t = reinterpret_cast<PyTypeObject*>(type.ptr());
  general_reshape = PyDict_GetItemString(t->tp_dict, "reshape");
  if (!general_reshape) throw py::error_already_set();
  Py_INCREF(general_reshape);  // kept for the life of the process
  // Kept in the class too, where guard_pybind11_messages (message_guard.cpp) finds it.
  if (PyDict_SetItemString(t->tp_dict, "_reshape_general", general_reshape) < 0) throw py::error_already_set();
  py::object descriptor = py::reinterpret_steal<py::object>(PyDescr_NewMethod(t, &reshape_method));
  if (!descriptor || PyDict_SetItemString(t->tp_dict, "reshape", descriptor.ptr()) < 0) throw py::error_already_set();
  PyType_Modified(t);
}

}  // namespace

void bind_array(py::module_& m) {
  auto ndarray = py::class_<Array>(m, "ndarray", py::buffer_protocol());
  // Also makes pybind11_object.__new__(ndarray) "not safe" for Python, so no path is left.
  reinterpret_cast<PyTypeObject*>(ndarray.ptr())->tp_new = &refuse_bare_new;
  init_ndarray_objects(ndarray);
  ndarray
      .def_buffer([](const Array& a) {
        // NumPy may write through the export, or it may come back wrapped: see prepare_export.
        prepare_export(a);
        return py::buffer_info(a.data(), a.itemsize(), buffer_format(a.dtype()), a.ndim(),
                               a.shape(), a.strides(), !a.writeable());
      })
      .def_property_readonly("shape", [](const Array& a) { return to_tuple(a.shape()); })
      .def_property_readonly("strides", [](const Array& a) { return to_tuple(a.strides()); })
      .def_property_readonly("dtype", [](const Array& a) { return dtype_to_py(a.dtype()); })
      .def_property_readonly("ndim", &Array::ndim)
      .def_property_readonly("size", &Array::size)
      .def_property_readonly("itemsize", &Array::itemsize)
      .def_property_readonly("nbytes", &Array::nbytes)
      .def_property_readonly("T", [](const Array& a) { return transpose(a); })
      .def_property_readonly("_writeable", &Array::writeable)
      .def("_set_writeable", [](Array& a, bool writeable) {
        // Whether NumPy would allow `True` here is decided by the caller (_ndarray._Flags).
        a = writeable ? Array(a.buffer(), a.offset(), a.shape(), a.strides(), a.dtype(), true)
                      : a.as_readonly();
      })
      .def_property_readonly("_c_contiguous", &Array::is_c_contiguous)
      .def_property_readonly("_f_contiguous", &Array::is_f_contiguous)
      .def_property_readonly("_data_address", [](const Array& a) { return reinterpret_cast<uintptr_t>(a.data()); })
      .def_property_readonly("_buffer_pooled", [](const Array& a) { return a.buffer()->pooled(); })
      .def_property_readonly("__array_interface__", &array_interface)
      .def("_may_share_memory", [](const Array& a, const Array& b) { return a.may_share_memory(b); })
      .def("_same_buffer", [](const Array& a, const Array& b) { return a.buffer() == b.buffer(); })
      .def("__len__", [](const Array& a) {
        if (a.ndim() == 0) throw py::type_error("len() of unsized object");
        return a.shape()[0];
      })
      .def("__getitem__", [](const Array& a, py::handle key) -> py::object {
        std::vector<IndexItem> items;
        if (!parse_basic_index(key, items)) return package_hook("advanced_getitem")(a, key);
        Array v = basic_index(a, items);
        if (all_integers(items, a.ndim())) return scalar_to_py(v);
        return py::cast(std::move(v));
      })
      .def("__setitem__", [](Array& a, py::handle key, py::handle value) {
        std::vector<IndexItem> items;
        if (!parse_basic_index(key, items)) {
          package_hook("advanced_setitem")(a, key, value);
          return;
        }
        if (!a.writeable()) throw_value_error("assignment destination is read-only");
        Array target = basic_index(a, items);
        copy_into(target, value_for(value, a.dtype()));
      })
      .def("reshape", [](const Array& a, py::args args, const std::string& order, py::handle copy) {
        if (args.size() == 0) throw py::type_error("reshape() takes exactly 1 argument (0 given)");
        Array out = reshape(a, shape_from_args(args), order);
        const bool view = out.buffer() == a.buffer();
        const std::optional<bool> wanted = copy_keyword(copy);
        if (wanted == false && !view) throw_value_error("Unable to avoid creating a copy while reshaping.");
        if (wanted == true && view) out = numfuse::copy(out);
        return out;
      }, py::kw_only(), py::arg("order") = "C", py::arg("copy") = py::none())
      .def("transpose", [](const Array& a, py::args args) {
        if (args.size() == 0 || (args.size() == 1 && args[0].is_none())) return transpose(a);
        Shape axes = shape_from_args(args);
        return transpose(a, std::vector<int>(axes.begin(), axes.end()));
      })
      .def("copy", [](const Array& a, const std::string& order) { return copy(a, parse_order(order, a)); },
           py::arg("order") = "C")
      .def("_astype", [](const Array& a, py::handle dtype, const std::string& order) {
        const DType to = dtype_from_py(dtype);
        const MemoryOrder mo = parse_order(order, a);
        // C-ordered results are lazy Cast nodes that fuse with the expression around them; other
        // layouts (order='F', or 'K' of a non-C array) are copied now.
        if (mo == MemoryOrder::C || (mo == MemoryOrder::Keep && a.is_c_contiguous())) return jit::cast(a, to);
        return astype(a, to, mo);
      })
      .def("_fill_from", [](Array& a, py::handle value) { copy_into(a, value_for(value, a.dtype())); })
      .def("_broadcast_to", [](const Array& a, const Shape& shape) { return broadcast_to(a, shape); })
      .def("_squeeze", [](const Array& a, py::object axis) {
        if (axis.is_none()) return squeeze(a, {}, true);
        if (PyLong_Check(axis.ptr())) return squeeze(a, {axis.cast<int64_t>()}, false);
        return squeeze(a, axis.cast<std::vector<int64_t>>(), false);
      })
      .def("_expand_dims", [](const Array& a, const std::vector<int64_t>& axes) { return expand_dims(a, axes); })
      .def("_with_layout", [](const Array& a, int64_t offset, const Shape& shape, const Strides& strides) {
        // Used by as_strided-like helpers; the caller guarantees the bounds.
        return a.with_layout(offset, shape, strides);
      })
      .def("_reinterpret", [](const Array& a, int64_t offset, const Shape& shape, const Strides& strides,
                              py::handle dtype) {
        // ndarray.view(dtype): the same buffer read as another dtype (the caller checks the
        // layout, as for _with_layout); sharing the Buffer keeps lazy readers and writers ordered.
        return Array(a.buffer(), offset, shape, strides, dtype_from_py(dtype), a.writeable());
      })
      .def_property_readonly("_offset", &Array::offset)
      .def("__index__", [](const Array& a) -> py::object {
        if (a.ndim() != 0 || !is_integer(a.dtype())) {
          throw py::type_error("only integer scalar arrays can be converted to a scalar index");
        }
        return scalar_to_py(a).attr("__index__")();
      })
      .def("_item", [](const Array& a) {
        if (a.size() != 1) throw_value_error("can only convert an array of size 1 to a Python scalar");
        Array flat = reshape(a, Shape{}, "C");
        return scalar_to_py(flat);
      });
  init_ndarray_subscript();  // after __getitem__/__setitem__: the fast paths in front of them
  init_ndarray_getters();
  install_fast_reshape(ndarray);
}

}  // namespace numfuse::bind
