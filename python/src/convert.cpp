#include "convert.hpp"

#include <pybind11/complex.h>
#include <pybind11/stl.h>

#include <cstring>

#include <array>
#include <string>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"

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
    py::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(p));
  });
}

std::vector<int64_t> int_tuple(py::handle t) {
  std::vector<int64_t> out;
  for (auto v : t) out.push_back(v.cast<int64_t>());
  return out;
}

// Wraps a NumPy ndarray through its __array_interface__: no copy, the ndarray kept alive.
Array wrap_numpy(py::object arr) {
  py::dict iface = arr.attr("__array_interface__");
  std::string typestr = py::str(iface["typestr"]);
  DType dtype;
  try {
    dtype = dtype_from_string(typestr);
  } catch (const Error&) {
    py::object np_dtype = arr.attr("dtype");
    if (!py::bool_(np_dtype.attr("isnative"))) {
      // Non-native byte order: NumPy swaps into a native copy.
      return wrap_numpy(arr.attr("astype")(np_dtype.attr("newbyteorder")("=")));
    }
    throw_type_error("numfuse does not support the data type " + std::string(py::str(np_dtype)));
  }
  py::tuple data = iface["data"];
  auto ptr = reinterpret_cast<std::byte*>(data[0].cast<uintptr_t>());
  bool readonly = data[1].cast<bool>();
  Shape shape = int_tuple(iface["shape"]);
  int isz = itemsize(dtype);
  Strides strides = iface["strides"].is_none() ? c_strides(shape, isz) : int_tuple(iface["strides"]);
  // The Buffer spans the bytes the view touches; the Array's offset points at element 0.
  ByteExtent ext = byte_extent(shape, strides, isz);
  auto buffer = Buffer::external(ptr + ext.lo, static_cast<size_t>(ext.hi - ext.lo),
                                 hold_python_object(std::move(arr)));
  return Array(std::move(buffer), -ext.lo, std::move(shape), std::move(strides), dtype, !readonly);
}

}  // namespace

DType dtype_from_py(py::handle obj) {
  if (obj.is_none()) return DType::Float64;
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

py::object dtype_to_py(DType dtype) { return dtype_objects()[static_cast<int>(dtype)]; }

Array array_from_py(py::handle obj, std::optional<DType> dtype) {
  Array a;
  if (py::isinstance<Array>(obj)) {
    a = obj.cast<Array>();
  } else {
    py::object arr = numpy().attr("asarray")(obj);
    a = wrap_numpy(std::move(arr));
  }
  if (dtype && *dtype != a.dtype()) a = astype(a, *dtype);
  return a;
}

py::object scalar_to_py(const Array& a0d) {
  py::object type = dtype_to_py(a0d.dtype()).attr("type");
  return visit_dtype(a0d.dtype(), [&](auto tag) -> py::object {
    using T = decltype(tag);
    T value;
    std::memcpy(&value, a0d.data(), sizeof(T));
    return type(py::cast(value));
  });
}

}  // namespace numfuse::bind
