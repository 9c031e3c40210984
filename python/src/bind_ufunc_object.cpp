// The compiled half of numfuse.ufunc (python/numfuse/_ufunc_object.py): a base type whose call
// slot applies the op straight away when it gets only its inputs, or its inputs and `out`
// (nf.add(a, b) costs what a + b costs); any other keyword (where=, dtype=, ...) goes to the
// Python `_call`. And the native ufunc methods (fold for reduce/accumulate/reduceat, unbuffered at).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <structmember.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "c_entry.hpp"
#include "convert.hpp"
#include "numfuse/core/buffer.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "numfuse/ufuncs/ufunc_methods.hpp"
#include "ufunc_call.hpp"

namespace numfuse::bind {

namespace {

using ufuncs::OpId;

struct UfuncObject {
  PyObject_HEAD
  int op;     // OpId of the table entry
  int nin;    // its arity
};

PyObject* g_call_name = nullptr;  // interned "_call"

PyObject* g_out_name = nullptr;   // interned "out"
PyObject* g_defer_name = nullptr;  // interned "_defer"
PyObject* g_array_ufunc_name = nullptr;  // interned "__array_ufunc__"

// True when `x`'s type overrides ufuncs (NEP 13): an __array_ufunc__ that is neither numfuse's
// nor NumPy's ndarray's, e.g. a Dask array or xarray object, which then gets the call (as
// np.sin(dask_array) does). Plain arrays and Python numbers answer without a lookup.
bool overrides_ufuncs(PyObject* x) {
  if (exact_array(x) != nullptr || PyFloat_CheckExact(x) || PyLong_CheckExact(x) || PyBool_Check(x) ||
      PyComplex_CheckExact(x)) {
    return false;
  }
  static PyObject* const numpy_own = [] {
    py::object ndarray = py::module_::import("numpy").attr("ndarray");
    return py::getattr(ndarray, "__array_ufunc__").release().ptr();
  }();
  PyObject* attr = PyObject_GetAttr(reinterpret_cast<PyObject*>(Py_TYPE(x)), g_array_ufunc_name);
  if (attr == nullptr) {
    PyErr_Clear();
    return false;
  }
  // Subclasses of numfuse's ndarray, and NumPy's arrays (and subclasses keeping NumPy's
  // __array_ufunc__), are plain operands.
  static PyTypeObject* const ndarray_type = reinterpret_cast<PyTypeObject*>(py::type::of<Array>().ptr());
  const bool own = attr == numpy_own || PyObject_TypeCheck(x, ndarray_type);
  Py_DECREF(attr);
  return !own;
}

// The `out` of a call that passes nothing else: positional (one past the inputs) or the only
// keyword; a 1-tuple is unpacked. nullptr when the call has anything more, for `_call`.
PyObject* plain_out(PyObject* args, PyObject* kwargs, int nin) {
  const Py_ssize_t n = PyTuple_GET_SIZE(args);
  const Py_ssize_t nkw = kwargs == nullptr ? 0 : PyDict_GET_SIZE(kwargs);
  PyObject* out = nullptr;
  if (n == nin + 1 && nkw == 0) out = PyTuple_GET_ITEM(args, nin);
  if (n == nin && nkw == 1) out = PyDict_GetItemWithError(kwargs, g_out_name);
  if (out != nullptr && PyTuple_Check(out)) out = PyTuple_GET_SIZE(out) == 1 ? PyTuple_GET_ITEM(out, 0) : nullptr;
  return out;
}

// self.<name>(*args, **kwargs): a plain function in the instance's dict (no bound method to make).
py::object call_method(PyObject* self, PyObject* name, PyObject* args, PyObject* kwargs) {
  py::object fn = py::reinterpret_steal<py::object>(PyObject_GetAttr(self, name));
  if (!fn) throw py::error_already_set();
  PyObject* r = PyObject_Call(fn.ptr(), args, kwargs);
  if (r == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

// nf.add(a, b) and nf.add(a, b, out=o) in C; any other keyword goes to the instance's `_call`.
py::object call(const UfuncObject* u, PyObject* self, PyObject* args, PyObject* kwargs) {
  const Py_ssize_t n = PyTuple_GET_SIZE(args);
  for (Py_ssize_t i = 0; i < n; ++i) {
    if (overrides_ufuncs(PyTuple_GET_ITEM(args, i))) return call_method(self, g_defer_name, args, kwargs);
  }
  if (kwargs != nullptr) {
    PyObject* out = PyDict_GetItemWithError(kwargs, g_out_name);
    if (out == nullptr && PyErr_Occurred()) throw py::error_already_set();
    if (out != nullptr && overrides_ufuncs(out)) return call_method(self, g_defer_name, args, kwargs);
  }
  const Py_ssize_t nkw = kwargs == nullptr ? 0 : PyDict_GET_SIZE(kwargs);
  PyObject* out = nkw == 0 && n == u->nin ? Py_None : plain_out(args, kwargs, u->nin);
  if (out == nullptr && PyErr_Occurred()) throw py::error_already_set();
  if (out != nullptr && u->nin <= 3) {
    std::array<py::handle, 3> h;
    for (int i = 0; i < u->nin; ++i) h[i] = PyTuple_GET_ITEM(args, i);
    py::object result = apply_ufunc(u->op, std::span(h.data(), static_cast<size_t>(u->nin)), out);
    if (out == Py_None) return result;
    // NumPy cannot see pending numfuse work: memory numfuse does not own is written now.
    const Array* target = exact_array(out);
    if (target == nullptr || !target->buffer()->pooled()) jit::evaluate({result.cast<Array>()});
    return py::reinterpret_borrow<py::object>(out);
  }
  return call_method(self, g_call_name, args, kwargs);
}

PyObject* ufunc_call(PyObject* self, PyObject* args, PyObject* kwargs) noexcept {
  return guarded([&]() -> PyObject* {
    return call(reinterpret_cast<UfuncObject*>(self), self, args, kwargs).release().ptr();
  }, nullptr);
}

PyObject* ufunc_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) noexcept {
  int op = -1;
  static const char* names[] = {"op", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "i", const_cast<char**>(names), &op)) return nullptr;
  if (op < 0 || op >= ufuncs::kNumElementwiseOps) {
    PyErr_SetString(PyExc_ValueError, "not an elementwise op id");
    return nullptr;
  }
  PyObject* self = type->tp_alloc(type, 0);
  if (self == nullptr) return nullptr;
  auto* u = reinterpret_cast<UfuncObject*>(self);
  u->op = op;
  u->nin = ufuncs::op_info(static_cast<OpId>(op)).arity;
  return self;
}

PyMemberDef g_members[] = {
    {"_op", T_INT, offsetof(UfuncObject, op), READONLY, "the op table id"},
    {"nin", T_INT, offsetof(UfuncObject, nin), READONLY, "the number of inputs"},
    {nullptr, 0, 0, 0, nullptr},
};

PyType_Slot g_slots[] = {
    {Py_tp_call, reinterpret_cast<void*>(&ufunc_call)},
    {Py_tp_new, reinterpret_cast<void*>(&ufunc_new)},
    {Py_tp_members, g_members},
    {Py_tp_doc, const_cast<char*>("Base of numfuse.ufunc: the op id and the fast call path")},
    {0, nullptr},
};

PyType_Spec g_spec = {"numfuse._core._ufunc_base", sizeof(UfuncObject), 0,
                      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, g_slots};

OpId op_from_id(int op_id) {
  if (op_id < 0 || op_id >= ufuncs::kNumElementwiseOps) throw_value_error("not an elementwise op id");
  return static_cast<OpId>(op_id);
}

std::optional<Array> optional_array(py::handle obj) {
  if (obj.is_none()) return std::nullopt;
  return array_from_py(obj);
}

}  // namespace

void bind_ufunc_object(py::module_& m) {
  g_call_name = PyUnicode_InternFromString("_call");
  g_out_name = PyUnicode_InternFromString("out");
  g_defer_name = PyUnicode_InternFromString("_defer");
  g_array_ufunc_name = PyUnicode_InternFromString("__array_ufunc__");
  PyObject* type = PyType_FromSpec(&g_spec);
  if (type == nullptr) throw py::error_already_set();
  m.attr("_ufunc_base") = py::reinterpret_steal<py::object>(type);

  m.def("_ufunc_fold", [](int op_id, py::handle loop, const Array& rows, std::vector<int64_t> starts,
                          std::vector<int64_t> ends, py::handle initial, py::handle where) {
    const OpId op = op_from_id(op_id);
    const DType dt = dtype_from_py(loop);
    const std::optional<Array> init = optional_array(initial);
    const std::optional<Array> mask = optional_array(where);
    py::gil_scoped_release release;
    return ufuncs::fold_segments(op, dt, rows, starts, ends, init, mask);
  }, py::arg("op"), py::arg("loop"), py::arg("rows"), py::arg("starts"), py::arg("ends"),
     py::arg("initial"), py::arg("where") = py::none(),
     "Segments of rows (axis 0) folded with op in the loop dtype (reduce and reduceat)");
  m.def("_ufunc_accumulate", [](int op_id, py::handle loop, const Array& rows) {
    const OpId op = op_from_id(op_id);
    const DType dt = dtype_from_py(loop);
    py::gil_scoped_release release;
    return ufuncs::fold_accumulate(op, dt, rows);
  }, "The running fold of rows (axis 0) with op in the loop dtype");
  m.def("_ufunc_at", [](int op_id, py::handle loop, py::handle result, const Array& view,
                        const std::vector<int>& axes, py::list indices, const std::vector<int>& error_axes,
                        int insert_at, py::handle values) {
    const OpId op = op_from_id(op_id);
    FancyIndex index;
    index.axes = axes;
    for (auto item : indices) index.indices.push_back(array_from_py(item));
    index.error_axes = error_axes;
    index.insert_at = insert_at;
    const DType loop_dtype = dtype_from_py(loop);
    const DType result_dtype = dtype_from_py(result);
    const std::optional<Array> v = optional_array(values);
    py::gil_scoped_release release;
    ufuncs::apply_at(op, loop_dtype, result_dtype, view, index, v);
  }, "view[index] = op(view[index], values), unbuffered (repeated indices apply again)");
}

}  // namespace numfuse::bind
