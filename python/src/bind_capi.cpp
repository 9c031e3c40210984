// numfuse's C API for foreign code (python/numfuse/include/numfuse_capi.h): a capsule
// `numfuse._core._C_API` holding a function table, plus ndarray._layout(), the same information
// for Python-level foreign-function interfaces (ctypes, cffi).
//
// Why a capsule: a generated Fortran binding reading an array through the buffer protocol pays
// ~2.7 µs per argument (pybind11's buffer export builds a buffer_info with vectors and a format
// string); a method call returning a tuple still pays pybind11's dispatch and the tuple. The
// table's layout() is a type check plus a few loads: tens of nanoseconds.
#include <pybind11/pybind11.h>

#include <array>
#include <exception>

#include "../numfuse/include/numfuse_capi.h"  // the C ABI, shipped in the package for foreign code
#include "bindings.hpp"
#include "c_entry.hpp"
#include "convert.hpp"
#include "numfuse/core/dtype.hpp"

namespace numfuse::bind {

namespace {

// Runs the lazy work the caller's access needs: the array's own pending values, and for writing
// also every pending expression that reads its memory (they must see the old values).
void prepare(const Array& a, int mode) {
  if (mode == NUMFUSE_FOR_WRITE) {
    a.buffer()->prepare_write();
  } else {
    (void)a.data();
  }
}

void fill(const Array& a, numfuse_layout* out) {
  out->data = a.data();
  out->shape = a.shape().data();
  out->strides = a.strides().data();
  out->ndim = a.ndim();
  out->itemsize = a.itemsize();
  out->kind = info(a.dtype()).kind_char;
  out->writeable = a.writeable();
  out->f_contiguous = a.is_f_contiguous();
  out->c_contiguous = a.is_c_contiguous();
}

// pybind11's record of the Array class, looked up once: a caster built from typeid hashes the
// type's name on every call.
const py::detail::type_info* array_type_info = nullptr;

int capi_layout(PyObject* obj, int mode, numfuse_layout* out) {
  return guarded([&] {
    const Array* a = exact_array(obj);  // the common case; subclasses through pybind11
    if (!a) {
      py::detail::type_caster_generic caster(array_type_info);
      if (!caster.load(obj, /*convert=*/false)) {
        PyErr_Format(PyExc_TypeError, "numfuse C API: expected a numfuse.ndarray, got %.100s", Py_TYPE(obj)->tp_name);
        return -1;
      }
      a = static_cast<const Array*>(caster.value);
    }
    prepare(*a, mode);
    fill(*a, out);
    return 0;
  }, -1);
}

// The DType of NumPy's (kind, itemsize), or -1: a table filled once, not 13 info() calls a call.
int dtype_index(char kind, int itemsize) {
  static const auto table = [] {
    std::array<std::array<signed char, 17>, 128> t{};
    for (auto& row : t) row.fill(-1);
    for (int i = 0; i < kNumDTypes; ++i) {
      const DTypeInfo& inf = info(static_cast<DType>(i));
      t[static_cast<unsigned char>(inf.kind_char) & 127][inf.itemsize] = static_cast<signed char>(i);
    }
    return t;
  }();
  if (kind < 0 || itemsize < 0 || itemsize > 16) return -1;
  return table[static_cast<unsigned char>(kind)][itemsize];
}

PyObject* capi_empty(char kind, int itemsize, int ndim, const Py_ssize_t* shape, int fortran_order,
                     numfuse_layout* out) {
  return guarded([&]() -> PyObject* {
    const int dtype = dtype_index(kind, itemsize);
    if (dtype < 0) {
      PyErr_Format(PyExc_TypeError, "numfuse C API: no dtype of kind '%c' and itemsize %d", kind, itemsize);
      return nullptr;
    }
    if (ndim < 0 || ndim > kMaxDims) {
      PyErr_Format(PyExc_ValueError, "numfuse C API: %d dimensions (at most %d)", ndim, kMaxDims);
      return nullptr;
    }
    Shape s(shape, shape + ndim);
    for (int64_t d : s) {
      if (d < 0) {
        PyErr_SetString(PyExc_ValueError, "negative dimensions are not allowed");
        return nullptr;
      }
    }
    const auto dt = static_cast<DType>(dtype);
    PyObject* obj = new_ndarray(fortran_order ? Array::empty_f(s, dt) : Array::empty(s, dt));
    if (out) {  // a fresh buffer: no pending work, no readers; contiguous in the order asked for
      const Array& a = new_ndarray_value(obj);
      out->data = a.data();
      out->shape = a.shape().data();
      out->strides = a.strides().data();
      out->ndim = a.ndim();
      out->itemsize = a.itemsize();
      out->kind = info(dt).kind_char;
      out->writeable = 1;
      const bool flat = ndim <= 1;
      out->f_contiguous = fortran_order || flat || a.is_f_contiguous();
      out->c_contiguous = !fortran_order || flat || a.is_c_contiguous();
    }
    return obj;
  }, nullptr);
}

py::tuple layout_tuple(const Array& a, bool for_write) {
  numfuse_layout l;
  prepare(a, for_write ? NUMFUSE_FOR_WRITE : NUMFUSE_FOR_READ);
  fill(a, &l);
  py::tuple shape(l.ndim), strides(l.ndim);
  for (int k = 0; k < l.ndim; ++k) {
    shape[k] = py::int_(l.shape[k]);
    strides[k] = py::int_(l.strides[k]);
  }
  return py::make_tuple(reinterpret_cast<uintptr_t>(l.data), std::string(1, l.kind), l.itemsize, l.ndim,
                        shape, strides, static_cast<bool>(l.writeable));
}

}  // namespace

void bind_capi(py::module_& m) {
  array_type_info = py::detail::get_type_info(typeid(Array));
  static numfuse_capi table{};  // lives as long as the process: the capsule only points at it
  table.version = NUMFUSE_CAPI_VERSION;
  table.struct_size = sizeof(numfuse_capi);
  table.ndarray_type = reinterpret_cast<PyTypeObject*>(m.attr("ndarray").ptr());
  table.layout = &capi_layout;
  table.empty = &capi_empty;
  m.attr("_C_API") = py::capsule(&table, NUMFUSE_CAPI_CAPSULE);

  py::object cls = m.attr("ndarray");
  py::setattr(cls, "_layout", py::cpp_function(
      &layout_tuple, py::name("_layout"), py::is_method(cls), py::arg("for_write") = false,
      "(address, dtype kind, itemsize, ndim, shape, strides in bytes, writeable) of the array's memory,\n"
      "for foreign code (ctypes, cffi). Pending lazy work runs first; for_write=True also runs every\n"
      "pending expression that reads this memory, so writing through the address is then safe.\n"
      "C extensions use the capsule numfuse._core._C_API instead (numfuse/include/numfuse_capi.h)."));
}

}  // namespace numfuse::bind
