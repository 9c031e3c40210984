// Array construction: empty/zeros/full, arange/linspace fills, conversion from Python objects.
#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::bind {

namespace {

Array empty_with_order(const Shape& shape, DType dtype, const std::string& order) {
  if (order == "C") return Array::empty(shape, dtype);
  if (order == "F") return Array::empty_f(shape, dtype);
  throw_value_error("only 'C' or 'F' order is permitted");
}

// NumPy's arange fill: element i is start + i * delta with delta = (start + step) - start,
// computed in the result type.
template <class T>
void arange_fill(T* out, int64_t n, T start, T step) {
  T delta = static_cast<T>((start + step) - start);
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
}

}  // namespace

void bind_creation(py::module_& m) {
  m.def("empty", [](py::handle shape, py::handle dtype, const std::string& order) {
    return empty_with_order(shape_from_py(shape.ptr()), dtype_from_py(dtype), order);
  }, py::arg("shape"), py::arg("dtype") = py::none(), py::arg("order") = "C");

  m.def("zeros", [](py::handle shape, py::handle dtype, const std::string& order) {
    Array a = empty_with_order(shape_from_py(shape.ptr()), dtype_from_py(dtype), order);
    std::memset(a.data(), 0, static_cast<size_t>(a.nbytes()));  // all-zero bits is 0 in every dtype
    return a;
  }, py::arg("shape"), py::arg("dtype") = py::none(), py::arg("order") = "C");

  m.def("_wrap", [](py::handle obj, py::handle dtype) {
    return array_from_py(obj, dtype.is_none() ? std::nullopt : std::optional<DType>(dtype_from_py(dtype)));
  }, "Converts an array-like without copying where possible.");

  m.def("_shape_tuple", [](py::handle shape) { return shape_from_py(shape.ptr()); });

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
        arange_fill<T>(out.data_as<T>(), n, start.cast<T>(), step.cast<T>());
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
