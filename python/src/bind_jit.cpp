// The lazy engine's Python surface: nf.eval, jit statistics, threads, and the GIL hand-off that
// lets fused groups run while other Python threads continue.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/eager_threads.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/native.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "numfuse/linalg/threads.hpp"

namespace numfuse::bind {

namespace py = pybind11;

namespace {

// An exception _report raised, by type and message (no Python object: the error may be raised,
// or dropped, later without the GIL).
class ReportedError : public std::runtime_error {
 public:
  ReportedError(PyObject* type, const std::string& message) : std::runtime_error(message), type_(type) {}
  PyObject* type() const { return type_; }

 private:
  PyObject* type_;
};

// NumPy's name for a flag's source (fp_status.hpp): the ufunc, "cast" or "reduce".
const char* fp_source_name(int16_t source, const char* default_source) {
  switch (source) {
    case ufuncs::fp::kSourceCast: return "cast";
    case ufuncs::fp::kSourceReduce: return "reduce";
    case ufuncs::fp::kSourceUnknown: return default_source;
    default: return ufuncs::op_info(static_cast<ufuncs::OpId>(source)).name.data();
  }
}

// The floating-point reporter: numfuse._fp_errors._report([(flags, op name), ...]) acts on np.geterr()'s
// modes (warn, raise, call, ...). Only where this thread holds the GIL (any evaluation started
// from Python does); an evaluation without Python around has nobody to report to.
bool report_fp_flags(const ufuncs::fp::Status& status, const char* default_source) {
  if (!Py_IsInitialized() || !PyGILState_Check()) return false;
  // Leaked on purpose: destroying a Python object after the interpreter is gone crashes.
  static py::object* report =
      new py::object(py::module_::import("numfuse._fp_errors").attr("_report"));
  py::list entries;
  for (int i = 0; i < status.count; ++i) {
    const auto& e = status.entries[i];
    entries.append(py::make_tuple(e.flags, fp_source_name(e.source, default_source)));
  }
  try {
    (*report)(entries);
  } catch (py::error_already_set& e) {
    // FloatingPointError, the warning made an error, a callback's exception: as a C++ error
    // that can be raised again (a result whose evaluation raised keeps raising it: graph.cpp).
    PyObject* type = e.type().ptr();
    Py_INCREF(type);  // kept for good: the error may be raised again at any later read
    throw ReportedError(type, py::str(e.value()));
  }
  return true;
}

}  // namespace

void bind_jit(py::module_& m) {
  ufuncs::fp::reporter() = &report_fp_flags;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ReportedError& e) {
      PyErr_SetString(e.type(), e.what());
    }
  });
  m.def("_evaluate_all", &jit::evaluate_all,
        "Computes every pending array still held (nf.errstate's entry and exit).");
  jit::set_blocking_section([](const std::function<void()>& f) {
    if (PyGILState_Check()) {
      py::gil_scoped_release release;
      f();
    } else {
      f();
    }
  });

  m.def("eval", [](py::args arrays) {
    std::vector<Array> list;
    for (auto a : arrays) {
      // Anything else (NumPy scalars from full reductions, Python numbers) is already a value.
      if (py::isinstance<Array>(a)) list.push_back(a.cast<Array>());
    }
    jit::evaluate(list);
    if (arrays.size() == 1) return py::object(arrays[0]);
    return py::object(arrays);
  }, "Computes pending arrays now; arrays of one shape are computed in a single fused pass.");

  m.def("jit_stats", [] {
    jit::JitStats s = jit::stats();
    py::dict d;
    d["nodes_recorded"] = s.nodes_recorded;
    d["groups_run"] = s.groups_run;
    d["cache_hits"] = s.cache_hits;
    d["cache_misses"] = s.cache_misses;
    d["eager_fallbacks"] = s.eager_fallbacks;
    d["build_seconds"] = s.build_seconds;
    d["run_seconds"] = s.run_seconds;
    const jit::NativeStats n = jit::native_stats();
    d["native_compiles"] = n.native_compiles;
    d["native_compile_seconds"] = n.native_compile_seconds;
    d["native_runs"] = n.native_runs;
    d["disk_cache_hits"] = n.disk_cache_hits;
    d["native_summing_kernels"] = n.native_summing_kernels;
    return d;
  }, "Counters of the lazy engine: nodes recorded, fused groups run, kernel-cache hits/misses, "
     "native (tier 2) compiles, their seconds, groups run natively, kernels loaded from the disk cache, native kernels summing blocks in registers.");
  m.def("reset_jit_stats", [] {
    jit::reset_stats();
    jit::reset_native_stats();
  });
  // The tier policy (jit/native.hpp). NUMFUSE_JIT sets it at import; tests switch it at run time.
  m.def("_set_jit_mode", [](const std::string& mode) {
    jit::JitMode m = jit::JitMode::Auto;
    if (mode == "interp") m = jit::JitMode::Interp;
    else if (mode == "native") m = jit::JitMode::Native;
    else if (mode != "auto") throw py::value_error("jit mode must be 'interp', 'native' or 'auto'");
    const jit::JitMode previous = jit::set_jit_mode(m);
    return std::string(previous == jit::JitMode::Interp ? "interp" : previous == jit::JitMode::Native ? "native" : "auto");
  }, py::arg("mode"), "Sets the JIT tier policy ('interp', 'native', 'auto'); returns the previous one.");
  m.def("native_available", &jit::native_available,
        "Whether the native (LLVM) tier can compile kernels in this process.");
  m.def("native_compile_times", &jit::native_compile_times,
        "Seconds each native kernel took to compile, in order.");
  m.def("_wait_for_native_compiles", [] {
    py::gil_scoped_release release;
    jit::wait_for_native_compiles();
  });
  // numfuse's pool and OpenBLAS's never run at the same time (a BLAS call runs on the calling
  // thread while the pool waits), so both get the same count: together they never oversubscribe.
  m.def("set_num_threads", [](int n) {
    // A bound far above any machine's cores: past it a request is a mistake, not a plan (each
    // worker reserves a stack), and it keeps one call from starting a million threads.
    constexpr int kMaxThreads = 1024;
    if (n < 1 || n > kMaxThreads) {
      throw_value_error("number of threads must be between 1 and " + std::to_string(kMaxThreads) +
                        ", got " + std::to_string(n));
    }
    // All or nothing: if the pool cannot start every thread, both pools go back to the old count.
    const int old = jit::num_threads();
    try {
      jit::set_num_threads(n);
      linalg::set_blas_threads(n);
    } catch (const std::exception& e) {
      jit::set_num_threads(old);
      linalg::set_blas_threads(old);
      throw Error(ErrorKind::Runtime, "could not start " + std::to_string(n) + " threads: " + e.what());
    }
  }, py::arg("n"), "Threads used by fused groups, eager reductions of large arrays and BLAS/LAPACK "
     "(default: the number of cores).");
  linalg::set_blas_threads(jit::num_threads());
  jit::lend_thread_pool_to_eager_kernels();  // eager reductions of large arrays use the pool too
  m.def("get_num_threads", &jit::num_threads);
  m.def("set_lazy", &jit::set_lazy_enabled, py::arg("enabled"),
        "Turns lazy evaluation on (default) or off (every op runs at once, as in NumPy).");
  m.def("is_lazy", &jit::lazy_enabled);
  m.def("_set_product_panel_bytes", &jit::set_product_panel_bytes, py::arg("bytes"),
        "Panel size for products read by elementwise expressions (returns the old value; for tests)");
  m.def("_is_pending", [](const Array& a) { return a.buffer()->is_pending(); });
}

}  // namespace numfuse::bind
