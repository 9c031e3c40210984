// The last resort behind arg_casters.hpp: no pybind11 message reaches a user. When no overload
// of a bound function takes the arguments, pybind11 raises TypeError "f(): incompatible function
// arguments. The following argument types are supported: ..." listing C++ signatures. Every
// pybind11 function has the same C entry point (cpp_function::dispatcher, stored in the
// function's PyMethodDef); guard_pybind11_messages points the PyMethodDef of every function of
// the module, its submodules and its classes at `guarded_dispatch`, which calls the dispatcher
// and, on that one error, raises a TypeError in NumPy's style naming the argument types instead.
// The cost is one extra call per call; errors only pay for the rewrite.
#include <pybind11/pybind11.h>

#include <string>

#include "bindings.hpp"

namespace numfuse::bind {

namespace py = pybind11;

namespace {

using Vectorcall = PyObject* (*)(PyObject*, PyObject* const*, size_t, PyObject*);
Vectorcall pybind11_dispatcher = nullptr;

std::string type_name(PyObject* obj) { return Py_TYPE(obj)->tp_name; }

// "f() got arguments of unsupported types: (int, str, order=list)"; an instance method's own
// object is not listed.
void raise_unsupported(PyObject* function_record, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  const auto* rec = py::detail::function_record_ptr_from_PyObject(function_record);
  std::string message = std::string(rec ? rec->name : "function") + "() got arguments of unsupported types: (";
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  const Py_ssize_t first = rec && rec->is_method ? 1 : 0;
  bool comma = false;
  for (Py_ssize_t i = first; i < nargs; ++i, comma = true) message += (comma ? ", " : "") + type_name(args[i]);
  const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw; ++i, comma = true) {
    message += (comma ? ", " : "") + std::string(PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, i))) + "=" +
               type_name(args[nargs + i]);
  }
  PyErr_SetString(PyExc_TypeError, (message + ")").c_str());
}

bool is_incompatible_arguments_error() {
  if (!PyErr_ExceptionMatches(PyExc_TypeError)) return false;
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  bool match = false;
  if (PyObject* text = value ? PyObject_Str(value) : nullptr) {
    const char* s = PyUnicode_AsUTF8(text);
    match = s && std::string(s).find("incompatible function arguments") != std::string::npos;
    Py_DECREF(text);
  }
  PyErr_Clear();
  if (match) {
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
  } else {
    PyErr_Restore(type, value, traceback);
  }
  return match;
}

PyObject* guarded_dispatch(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  PyObject* result = pybind11_dispatcher(self, args, nargsf, kwnames);
  if (!result && is_incompatible_arguments_error()) raise_unsupported(self, args, nargsf, kwnames);
  return result;
}

void guard_function(PyObject* f) {
  if (!f || !PyCFunction_Check(f)) return;
  PyMethodDef* def = reinterpret_cast<PyCFunctionObject*>(f)->m_ml;
  if (reinterpret_cast<Vectorcall>(reinterpret_cast<void (*)()>(def->ml_meth)) != pybind11_dispatcher) return;
  def->ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&guarded_dispatch));
}

void guard_attribute(PyObject* value) {
  if (PyCFunction_Check(value)) {
    guard_function(value);
  } else if (PyInstanceMethod_Check(value)) {
    guard_function(PyInstanceMethod_GET_FUNCTION(value));
  } else if (PyObject_TypeCheck(value, &PyProperty_Type) || PyObject_TypeCheck(value, &PyStaticMethod_Type)) {
    for (const char* name : {"fget", "fset", "fdel", "__func__"}) {
      if (!PyObject_HasAttrString(value, name)) continue;
      py::object part = py::reinterpret_steal<py::object>(PyObject_GetAttrString(value, name));
      guard_function(part.ptr());
    }
  }
}

void guard_namespace(py::handle scope, PyObject* dict) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(dict, &pos, &key, &value)) {
    if (PyModule_Check(value) && value != scope.ptr()) {
      guard_namespace(value, PyModule_GetDict(value));
    } else if (PyType_Check(value) && py::detail::get_type_info(reinterpret_cast<PyTypeObject*>(value))) {
      guard_namespace(value, reinterpret_cast<PyTypeObject*>(value)->tp_dict);  // a pybind11 class
    } else {
      guard_attribute(value);
    }
  }
}

}  // namespace

void guard_pybind11_messages(py::module_& m) {
  py::object any_function = m.attr("get_num_threads");
  pybind11_dispatcher = reinterpret_cast<Vectorcall>(reinterpret_cast<void (*)()>(
      reinterpret_cast<PyCFunctionObject*>(any_function.ptr())->m_ml->ml_meth));
  guard_namespace(m, PyModule_GetDict(m.ptr()));
}

}  // namespace numfuse::bind
