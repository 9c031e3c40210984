// @nf.jit's compiled half (numfuse/_jit_trace.py has the rest): the cache of traces of one
// function, keyed by its arguments, the call that replays a trace without running the Python
// body, and the recorder the Python side traces with.
//
// The key of a call: per argument, an array's dtype, shape and layout class (C-contiguous or
// not; NumPy arrays are wrapped without a copy), a Python int/float/complex's type (its value is
// a runtime parameter of the trace), and anything else by value (hash and ==: static).
#include "bind_trace.hpp"

#include <pybind11/stl.h>

#include <atomic>
#include <complex>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/trace.hpp"

namespace numfuse::bind {

namespace {

namespace trace = jit::trace;

PyObject* g_escape_type = nullptr;         // numfuse._core._TraceEscape (a BaseException)
PyTypeObject* g_scalar_tracer = nullptr;   // numfuse._jit_trace._ScalarTracer
PyTypeObject* g_numpy_ndarray = nullptr;

// What a call's arguments are, in the form a lookup and a replay need.
struct CallArgs {
  std::string key;
  std::vector<PyObject*> statics;  // borrowed from the argument tuple
  std::vector<Array> params;
  std::vector<PyObject*> param_objects;  // the argument itself for numfuse arrays, else null
  std::vector<ufuncs::Operand> scalars;
  std::vector<PyObject*> scalar_objects;
  std::string kinds;  // per argument: 'a' array, 's' Python scalar, 'o' static
};

template <class T>
void append_bytes(std::string& key, const T& value) {
  key.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void add_array(CallArgs& c, const Array& a, PyObject* object) {
  c.key.push_back('a');
  c.key.push_back(static_cast<char>(a.dtype()));
  c.key.push_back(static_cast<char>(a.ndim()));
  for (int64_t d : a.shape()) append_bytes(c.key, d);
  c.key.push_back(a.is_c_contiguous() ? 'C' : 'S');
  c.params.push_back(a);
  c.param_objects.push_back(object);
  c.kinds.push_back('a');
}

// A Python int/float/complex as a weak operand; false for anything else (or an int that fits no
// 64-bit type: NumPy's OverflowError comes from the Python function).
bool add_scalar(CallArgs& c, PyObject* p) {
  ufuncs::Operand operand;
  char tag;
  if (PyFloat_CheckExact(p)) {
    const double v = PyFloat_AS_DOUBLE(p);
    operand = {jit::constant(DType::Float64, &v), ufuncs::Weak::Float};
    tag = 'f';
  } else if (PyLong_CheckExact(p)) {
    int overflow = 0;
    const int64_t v = PyLong_AsLongLongAndOverflow(p, &overflow);
    if (overflow != 0) {
      const uint64_t u = PyLong_AsUnsignedLongLong(p);
      if (overflow < 0 || PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      operand = {jit::constant(DType::UInt64, &u), ufuncs::Weak::Int};
      tag = 'u';
    } else {
      operand = {jit::constant(DType::Int64, &v), ufuncs::Weak::Int};
      tag = 'i';
    }
  } else if (PyComplex_CheckExact(p)) {
    const Py_complex z = PyComplex_AsCComplex(p);
    const std::complex<double> v(z.real, z.imag);
    operand = {jit::constant(DType::Complex128, &v), ufuncs::Weak::Complex};
    tag = 'c';
  } else {
    return false;
  }
  c.key.push_back(tag);
  c.scalars.push_back(std::move(operand));
  c.scalar_objects.push_back(p);
  c.kinds.push_back('s');
  return true;
}

// Keyed by type and hash, compared with == on lookup. False if it has no hash.
bool add_static(CallArgs& c, PyObject* p, size_t position, bool marked) {
  const Py_hash_t h = PyObject_Hash(p);
  if (h == -1) {
    if (!marked) {
      PyErr_Clear();
      return false;
    }
    PyErr_Clear();
    throw py::type_error("nf.jit: static argument " + std::to_string(position) + " of type " +
                         std::string(Py_TYPE(p)->tp_name) +
                         " is not hashable: static arguments are keys of the trace cache");
  }
  c.key.push_back('o');
  append_bytes(c.key, Py_TYPE(p));
  append_bytes(c.key, h);
  c.statics.push_back(p);
  c.kinds.push_back('o');
  return true;
}

class JitCache {
 public:
  struct Entry {
    std::vector<py::object> statics;
    // Python scalar arguments the trace depends on by value (used by Python code while traced).
    std::vector<std::pair<int, py::object>> keyed;
    std::shared_ptr<const trace::Tape> tape;  // null: the function runs as Python
    int form = 0;  // 0 one array, 1 tuple, 2 list, 3 None, 4 unflatten(list)
    py::object unflatten;
  };

  explicit JitCache(std::vector<int> static_positions) {
    for (int p : static_positions) {
      if (p >= static_cast<int>(is_static_.size())) is_static_.resize(p + 1, false);
      is_static_[p] = true;
    }
  }

  // False: an argument is neither an array, a number nor hashable (the function runs as Python).
  bool classify(const py::tuple& args, CallArgs& c) const {
    const size_t n = args.size();
    c.key.reserve(16 * n);
    for (size_t i = 0; i < n; ++i) {
      PyObject* p = PyTuple_GET_ITEM(args.ptr(), i);
      const bool marked = i < is_static_.size() && is_static_[i];
      if (marked) {
        add_static(c, p, i, true);
      } else if (const Array* a = exact_array(p)) {
        add_array(c, *a, p);
      } else if (add_scalar(c, p)) {
      } else if (Py_TYPE(p) == g_numpy_ndarray || py::isinstance<Array>(p)) {
        Array a;
        try {
          a = array_from_py(p);
        } catch (const Error&) {
          return false;  // a dtype numfuse has no arrays of
        }
        add_array(c, a, nullptr);
      } else if (!add_static(c, p, i, false)) {
        return false;
      }
    }
    return true;
  }

  std::shared_ptr<const Entry> find(const CallArgs& c, const py::tuple& args) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(c.key);
    if (it == entries_.end()) return nullptr;
    for (const auto& e : it->second) {
      if (matches(*e, c, args)) return e;
    }
    return nullptr;
  }

  void insert(const std::string& key, std::shared_ptr<const Entry> entry) {
    std::lock_guard lock(mutex_);
    entries_[key].push_back(std::move(entry));
  }

  py::object call(const py::tuple& args, const py::object& miss, const py::object& plain) {
    CallArgs c;
    if (!classify(args, c)) {
      ++plain_calls_;
      return plain;
    }
    auto entry = find(c, args);
    if (!entry) return miss;
    if (!entry->tape) {
      ++plain_calls_;
      return plain;
    }
    std::vector<Array> outs;
    try {
      outs = trace::replay(*entry->tape, c.params, c.scalars);
    } catch (const trace::ReplayDeclined&) {
      ++plain_calls_;
      return plain;
    }
    ++replays_;
    return outputs(*entry, c, std::move(outs));
  }

  py::dict stats() {
    std::lock_guard lock(mutex_);
    size_t n = 0, replayable = 0;
    uint64_t planned = 0;
    for (const auto& [key, list] : entries_) {
      n += list.size();
      for (const auto& e : list) {
        replayable += e->tape ? 1 : 0;
        if (e->tape) planned += e->tape->plan->planned.load();
      }
    }
    py::dict d;
    d["traces"] = n;
    d["replayable"] = replayable;
    d["replays"] = replays_.load();
    d["planned_replays"] = planned;  // of those, run as one planned group (trace_plan.cpp)
    d["python_calls"] = plain_calls_.load();
    return d;
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  static bool equal(PyObject* a, PyObject* b) {
    if (a == b) return true;
    if (Py_TYPE(a) != Py_TYPE(b)) return false;
    const int r = PyObject_RichCompareBool(a, b, Py_EQ);
    if (r < 0) PyErr_Clear();
    return r == 1;
  }

  static bool matches(const Entry& e, const CallArgs& c, const py::tuple& args) {
    for (size_t i = 0; i < e.statics.size(); ++i) {
      if (!equal(e.statics[i].ptr(), c.statics[i])) return false;
    }
    for (const auto& [position, value] : e.keyed) {
      if (!equal(value.ptr(), PyTuple_GET_ITEM(args.ptr(), position))) return false;
    }
    return true;
  }

  static py::object outputs(const Entry& e, const CallArgs& c, std::vector<Array> outs) {
    const trace::Tape& t = *e.tape;
    const size_t n = outs.size();
    auto object = [&](size_t i) -> py::object {
      const trace::Ref& r = t.outputs[i];
      if (r.kind == trace::RefKind::Scalar) return py::reinterpret_borrow<py::object>(c.scalar_objects[r.index]);
      if (r.kind == trace::RefKind::Param && c.param_objects[r.index]) {
        return py::reinterpret_borrow<py::object>(c.param_objects[r.index]);
      }
      if (t.output_is_scalar[i]) return scalar_to_py(outs[i]);
      return py::cast(std::move(outs[i]));
    };
    switch (e.form) {
      case 0: return object(0);
      case 3: return py::none();
      case 1: {
        py::tuple result(n);
        for (size_t i = 0; i < n; ++i) result[i] = object(i);
        return result;
      }
      default: {
        py::list result(n);
        for (size_t i = 0; i < n; ++i) result[i] = object(i);
        if (e.form == 2) return result;
        return e.unflatten(result);
      }
    }
  }

  std::vector<bool> is_static_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<const Entry>>> entries_;
  std::atomic<uint64_t> replays_{0}, plain_calls_{0};
};

// The Python side's handle on one trace in progress.
class PyRecorder {
 public:
  void start() { recorder_.start(); }
  void stop() { recorder_.stop(); }
  Array param(const Array& arg) { return recorder_.param(arg); }
  Array scalar(py::handle value) {
    CallArgs c;
    if (!add_scalar(c, value.ptr())) throw py::type_error("not a Python scalar");
    return recorder_.scalar(c.scalars.front().array);
  }
  void finish(const std::vector<Array>& outputs) { tape_ = recorder_.finish(outputs); }
  bool validate() {
    if (tape_ && !recorder_.validate()) tape_.reset();
    return tape_ != nullptr;
  }
  bool replayable() const { return tape_ != nullptr; }
  std::string reason() const { return recorder_.reason(); }
  std::shared_ptr<const trace::Tape> tape() const { return tape_; }
  size_t steps() const { return tape_ ? tape_->steps.size() : 0; }

 private:
  trace::Recorder recorder_;
  std::shared_ptr<const trace::Tape> tape_;
};

}  // namespace

std::optional<ufuncs::Operand> traced_scalar_operand(PyObject* obj) {
  if (Py_TYPE(obj) != g_scalar_tracer) return std::nullopt;
  py::object held = py::reinterpret_borrow<py::object>(obj);
  Array a = held.attr("_array").cast<Array>();
  const py::object value = held.attr("_value");
  const ufuncs::Weak weak = PyFloat_CheckExact(value.ptr())   ? ufuncs::Weak::Float
                            : PyComplex_CheckExact(value.ptr()) ? ufuncs::Weak::Complex
                                                                : ufuncs::Weak::Int;
  return ufuncs::Operand{std::move(a), weak};
}

void bind_trace(py::module_& m) {
  g_escape_type = PyErr_NewExceptionWithDoc(
      "numfuse._core._TraceEscape",
      "Raised inside a function traced by nf.jit when its code reads the values of a traced "
      "array; the trace is dropped and the function runs as plain Python.",
      PyExc_BaseException, nullptr);
  m.attr("_TraceEscape") = py::handle(g_escape_type);
  g_numpy_ndarray = reinterpret_cast<PyTypeObject*>(
      py::object(py::module_::import("numpy").attr("ndarray")).release().ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const trace::TraceEscape& e) {
      PyErr_SetString(g_escape_type, e.what());
    }
  });
  m.attr("_jit_miss") = py::module_::import("builtins").attr("object")();
  m.attr("_jit_python") = py::module_::import("builtins").attr("object")();
  m.def("_set_scalar_tracer_type", [](py::type type) {
    g_scalar_tracer = reinterpret_cast<PyTypeObject*>(type.inc_ref().ptr());
  });

  py::class_<JitCache>(m, "_JitCache")
      .def(py::init<std::vector<int>>())
      .def("call", [m](JitCache& self, py::tuple args) {
        static const py::object miss = m.attr("_jit_miss");
        static const py::object plain = m.attr("_jit_python");
        return self.call(args, miss, plain);
      }, "The replayed result, _jit_miss (no trace yet) or _jit_python (run the function)")
      .def("prepare", [](JitCache& self, py::tuple args) -> py::object {
        CallArgs c;
        if (!self.classify(args, c)) return py::none();
        py::list params;
        for (const Array& a : c.params) params.append(py::cast(a));
        return py::make_tuple(py::bytes(c.key), py::str(c.kinds), params);
      }, "(key, kinds, arrays) of a call's arguments, or None if they cannot be traced")
      .def("insert", [](JitCache& self, py::bytes key, py::tuple args, const PyRecorder* rec,
                        std::vector<int> keyed, int form, py::object unflatten) {
        CallArgs c;
        if (!self.classify(args, c)) throw py::value_error("arguments cannot be traced");
        auto e = std::make_shared<JitCache::Entry>();
        for (PyObject* s : c.statics) e->statics.push_back(py::reinterpret_borrow<py::object>(s));
        for (int position : keyed) e->keyed.emplace_back(position, args[position]);
        if (rec) e->tape = rec->tape();
        e->form = form;
        e->unflatten = std::move(unflatten);
        self.insert(std::string(key), std::move(e));
      }, py::arg("key"), py::arg("args"), py::arg("recorder").none(true), py::arg("keyed"),
         py::arg("form"), py::arg("unflatten"))
      .def("stats", &JitCache::stats)
      .def("clear", &JitCache::clear);

  py::class_<PyRecorder>(m, "_TraceRecorder")
      .def(py::init<>())
      .def("start", &PyRecorder::start)
      .def("stop", &PyRecorder::stop)
      .def("param", &PyRecorder::param)
      .def("scalar", &PyRecorder::scalar)
      .def("finish", &PyRecorder::finish)
      .def("validate", &PyRecorder::validate)
      .def_property_readonly("replayable", &PyRecorder::replayable)
      .def_property_readonly("reason", &PyRecorder::reason)
      .def_property_readonly("steps", &PyRecorder::steps);
  m.def("_tracing", [] { return trace::active() != nullptr; }, "True while this thread traces a function");
}

}  // namespace numfuse::bind
