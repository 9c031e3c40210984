#include "convert.hpp"

#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <type_traits>

#include <array>
#include <string>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/scalar_math.hpp"  // is_complex_v

namespace numfuse::bind {

py::module_& numpy() {
  static py::module_* np = new py::module_(py::module_::import("numpy"));
  return *np;
}

namespace {

// Cached numpy.dtype objects, indexed by DType.
const std::array<py::object, kNumDTypes>& dtype_objects() {
  static auto* objs = [] {
    auto* a = new std::array<py::object, kNumDTypes>();
    for (int i = 0; i < kNumDTypes; ++i) {
      (*a)[i] = numpy().attr("dtype")(std::string(info(static_cast<DType>(i)).name));
    }
    return a;
  }();
  return *objs;
}

// Releases a Python reference from any thread: buffers die wherever their last view dies.
std::shared_ptr<void> hold_python_object(py::object obj) {
  auto* raw = obj.release().ptr();
  return std::shared_ptr<void>(raw, [](void* p) {
    if (PyGILState_Check()) {  // the common case, and cheaper than gil_scoped_acquire's bookkeeping
      Py_DECREF(static_cast<PyObject*>(p));
      return;
    }
    py::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(p));
  });
}

// The DType of a NumPy dtype in native byte order, matched on (kind, itemsize); nullopt for
// dtypes numfuse lacks (float16, longdouble, strings, objects, structured, datetimes).
std::optional<DType> native_dtype_of(const py::dtype& np_dtype) {
  const char kind = np_dtype.kind();
  const auto size = np_dtype.itemsize();
  for (int i = 0; i < kNumDTypes; ++i) {
    const auto& inf = info(static_cast<DType>(i));
    if (inf.kind_char == kind && inf.itemsize == size) return static_cast<DType>(i);
  }
  return std::nullopt;
}

bool is_native_byte_order(const py::dtype& np_dtype) {
  const char order = np_dtype.byteorder();  // '=', '|' or the explicit '<' / '>'
  return order == '=' || order == '|' || order == (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? '<' : '>');
}

// Wraps a NumPy ndarray in place: no copy, the ndarray kept alive by the buffer. Reads the
// ndarray's fields through pybind11's NumPy API (no __array_interface__ dict to build), so the
// wrap costs well under a microsecond. Shape and strides are NumPy's exactly, including the
// strides of length-1 dimensions.
Array wrap_numpy(py::object obj) {
  auto arr = py::reinterpret_borrow<py::array>(obj);
  py::dtype np_dtype = arr.dtype();
  std::optional<DType> dtype = native_dtype_of(np_dtype);
  if (!dtype) throw_type_error("numfuse does not support the data type " + std::string(py::str(np_dtype)));
  if (!is_native_byte_order(np_dtype)) {
    // Non-native byte order: NumPy swaps into a native copy, which we then wrap.
    return wrap_numpy(arr.attr("astype")(np_dtype.attr("newbyteorder")("=")));
  }
  const int nd = static_cast<int>(arr.ndim());
  Shape shape(arr.shape(), arr.shape() + nd);
  Strides strides(arr.strides(), arr.strides() + nd);
  auto ptr = static_cast<std::byte*>(const_cast<void*>(arr.data()));
  const bool writeable = arr.writeable();
  // The Buffer spans the bytes the view touches; the Array's offset points at element 0.
  ByteExtent ext = byte_extent(shape, strides, itemsize(*dtype));
  auto buffer = Buffer::external(ptr + ext.lo, static_cast<size_t>(ext.hi - ext.lo),
                                 hold_python_object(std::move(obj)));
  return Array(std::move(buffer), -ext.lo, std::move(shape), std::move(strides), *dtype, writeable);
}

}  // namespace

namespace {

// dtype arguments seen before: numpy.dtype(obj).name costs several µs (name is a Python-level
// property), more than making a small array. Only spellings that always mean the same dtype are
// remembered: NumPy dtype objects, exact str, and NumPy's scalar types and Python's
// bool/int/float/complex (another class may compute its dtype attribute). Values are DType
// numbers; the dict is bounded, and errors are never cached, so they are raised as before.
py::dict& resolved_dtypes() {
  static auto* cache = new py::dict();  // never destroyed: outlives the interpreter's teardown
  return *cache;
}

bool always_same_dtype(PyObject* obj) {
  static PyObject* const generic = py::object(numpy().attr("generic")).release().ptr();  // kept for good
  if (PyUnicode_CheckExact(obj) || py::isinstance<py::dtype>(obj)) return true;
  if (!PyType_Check(obj)) return false;
  auto* type = reinterpret_cast<PyTypeObject*>(obj);
  return type == &PyBool_Type || type == &PyLong_Type || type == &PyFloat_Type || type == &PyComplex_Type ||
         PyType_IsSubtype(type, reinterpret_cast<PyTypeObject*>(generic));
}

DType dtype_from_numpy(py::handle obj) {
  py::object np_dtype;
  try {
    np_dtype = numpy().attr("dtype")(obj);
  } catch (py::error_already_set& e) {
    throw py::type_error("data type " + std::string(py::repr(obj)) + " not understood");
  }
  std::string name = py::str(np_dtype.attr("name"));
  try {
    return dtype_from_string(name);
  } catch (const Error&) {
    throw_type_error("numfuse does not support the data type '" + name + "'");
  }
}

}  // namespace

DType dtype_from_py(py::handle obj) {
  if (obj.is_none()) return DType::Float64;
  const bool cacheable = always_same_dtype(obj.ptr());
  if (cacheable) {
    PyObject* hit = PyDict_GetItemWithError(resolved_dtypes().ptr(), obj.ptr());  // borrowed
    if (hit) return static_cast<DType>(PyLong_AsLong(hit));
    if (PyErr_Occurred()) PyErr_Clear();  // unhashable (a str subclass cannot be here): resolve below
  }
  const DType dtype = dtype_from_numpy(obj);
  if (cacheable && PyDict_Size(resolved_dtypes().ptr()) < 256) {
    resolved_dtypes()[obj] = static_cast<int>(dtype);
  }
  return dtype;
}

py::object dtype_to_py(DType dtype) { return dtype_objects()[static_cast<int>(dtype)]; }

const Array* exact_array(PyObject* obj) {
  static PyTypeObject* const ndarray_type = reinterpret_cast<PyTypeObject*>(py::type::of<Array>().ptr());
  if (Py_TYPE(obj) != ndarray_type) return nullptr;
  // pybind11 stores a registered type's value pointer in the instance; null if never constructed
  // (ndarray.__new__(ndarray) without __init__). new_ndarray's objects hold it inline, no holder.
  auto* instance = reinterpret_cast<py::detail::instance*>(obj);
  const auto vh = instance->get_value_and_holder();
  if (!vh.value_ptr()) {
    throw py::type_error("numfuse.ndarray object is not initialized");
  }
  return static_cast<const Array*>(vh.value_ptr());
}

const Array* exact_numpy_wrap(PyObject* obj, Array& held) {
  static PyTypeObject* const numpy_ndarray = reinterpret_cast<PyTypeObject*>(numpy().attr("ndarray").ptr());
  if (Py_TYPE(obj) != numpy_ndarray) return nullptr;
  held = wrap_numpy(py::reinterpret_borrow<py::object>(obj));
  return &held;
}

Array array_from_py(py::handle obj, std::optional<DType> dtype) {
  Array a;
  if (const Array* exact = exact_array(obj.ptr())) {
    a = *exact;
  } else if (py::isinstance<Array>(obj)) {
    a = obj.cast<Array>();
  } else if (py::isinstance<py::array>(obj)) {
    a = wrap_numpy(py::reinterpret_borrow<py::object>(obj));  // the common case: no np.asarray call
  } else if (dtype) {
    // Python objects go straight to the dtype asked for, as NumPy converts them: exact for
    // integers past int64 (uint64), OverflowError for out-of-range ones (NEP 50). Inferring
    // first and casting after went through float64 for [0, 2**63 + 1] and lost the low bits.
    a = wrap_numpy(numpy().attr("asarray")(obj, dtype_to_py(*dtype)));
  } else {
    a = wrap_numpy(numpy().attr("asarray")(obj));
  }
  if (dtype && *dtype != a.dtype()) a = astype(a, *dtype);
  return a;
}

const char* buffer_format(DType d) {
  static constexpr const char* kFormats[kNumDTypes] = {
      "?", "b", "h", "i", "l", "B", "H", "I", "L", "f", "d", "Zf", "Zd"};
  return kFormats[static_cast<int>(d)];
}

void prepare_export(const Array& a) {
  if (a.writeable()) a.buffer()->prepare_write();
  (void)a.data();
  Buffer::share(a.buffer());
}

namespace {

// NumPy's scalar types (np.float64, np.int8, ...) per DType, and whether an instance can be made
// directly: NumPy's public arrayscalars.h lays every scalar out as PyObject_HEAD followed by the
// value (PyDoubleScalarObject etc.), checked here once per type against a value NumPy made. Bool
// scalars are NumPy's two singletons. Saves calling the type on a Python float or int (~0.3 us).
struct ScalarTypes {
  std::array<PyTypeObject*, kNumDTypes> type{};
  std::array<bool, kNumDTypes> direct{};
  PyObject* true_ = nullptr;
  PyObject* false_ = nullptr;
};

const ScalarTypes& scalar_types() {
  static const ScalarTypes* types = [] {
    auto* t = new ScalarTypes;
    for (int i = 0; i < kNumDTypes; ++i) {
      const auto dt = static_cast<DType>(i);
      py::object type = dtype_to_py(dt).attr("type");
      t->type[i] = reinterpret_cast<PyTypeObject*>(type.release().ptr());
      const int size = itemsize(dt);
      if (dt == DType::Bool || t->type[i]->tp_basicsize < static_cast<Py_ssize_t>(sizeof(PyObject)) + size) continue;
      py::object made = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(t->type[i]))(3);
      const auto* bytes = reinterpret_cast<const char*>(made.ptr()) + sizeof(PyObject);
      const bool same = visit_dtype(dt, [&](auto tag) {
        using T = decltype(tag);
        T value;
        std::memcpy(&value, bytes, sizeof(T));
        return value == T(3);
      });
      t->direct[i] = same && Py_TYPE(made.ptr()) == t->type[i];
    }
    t->true_ = py::object(numpy().attr("True_")).release().ptr();
    t->false_ = py::object(numpy().attr("False_")).release().ptr();
    return t;
  }();
  return *types;
}

}  // namespace

PyObject* new_scalar(DType dtype, const void* data) {
  const ScalarTypes& t = scalar_types();
  const int i = static_cast<int>(dtype);
  if (dtype == DType::Bool) {
    PyObject* b = *static_cast<const bool*>(data) ? t.true_ : t.false_;
    Py_INCREF(b);
    return b;
  }
  if (t.direct[i]) {
    PyObject* obj = t.type[i]->tp_alloc(t.type[i], 0);
    if (obj) std::memcpy(reinterpret_cast<char*>(obj) + sizeof(PyObject), data, static_cast<size_t>(itemsize(dtype)));
    return obj;
  }
  py::object type = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(t.type[i]));
  return visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T value;
    std::memcpy(&value, data, sizeof(T));
    return type(py::cast(value)).release().ptr();
  });
}

namespace {

template <class V>
void store_as(DType target, V value, void* out) {
  visit_dtype(target, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      *static_cast<T*>(out) = value != V{};
    } else if constexpr (ufuncs::sm::is_complex_v<T> || !ufuncs::sm::is_complex_v<V>) {
      *static_cast<T*>(out) = static_cast<T>(value);
    }
  });
}

}  // namespace

bool python_scalar_bytes(PyObject* o, DType target, void* out) {
  if (PyBool_Check(o)) {
    store_as(target, o == Py_True ? 1LL : 0LL, out);
    return true;
  }
  if (PyLong_CheckExact(o)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred())) {
      PyErr_Clear();
      return false;
    }
    const bool fits = visit_dtype(target, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if constexpr (std::is_signed_v<T>) {
          return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
        } else {
          return v >= 0 && static_cast<unsigned long long>(v) <= std::numeric_limits<T>::max();
        }
      } else {
        return true;
      }
    });
    if (fits) store_as(target, v, out);
    return fits;
  }
  if (PyFloat_CheckExact(o)) {
    const double v = PyFloat_AS_DOUBLE(o);
    const bool plain_cast = target == DType::Float64 || target == DType::Complex128 ||
                            ((target == DType::Float32 || target == DType::Complex64) &&
                             !(std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()));
    if (plain_cast) store_as(target, v, out);
    return plain_cast;
  }
  if (PyComplex_CheckExact(o) && is_complex(target)) {
    const Py_complex c = PyComplex_AsCComplex(o);
    store_as(target, std::complex<double>(c.real, c.imag), out);
    return true;
  }
  return false;
}

py::object scalar_to_py(const Array& a0d) {
  PyObject* obj = new_scalar(a0d.dtype(), a0d.data());
  if (!obj) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(obj);
}

std::optional<bool> copy_keyword(py::handle copy) {
  if (copy.is_none()) return std::nullopt;
  if (PyUnicode_Check(copy.ptr()) || PyBytes_Check(copy.ptr())) {
    throw py::value_error("strings are not allowed for 'copy' keyword. Use True/False/None instead.");
  }
  const int truth = PyObject_IsTrue(copy.ptr());
  if (truth < 0) throw py::error_already_set();
  return truth != 0;
}

}  // namespace numfuse::bind
