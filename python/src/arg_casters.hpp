// Argument conversion for every binding. pybind11's own casters answer a wrong argument with
// "incompatible function arguments" (TypeError) or "Unable to cast ..." (RuntimeError); these
// replace them for the types the bindings take (integers, floats, str, shapes) and raise what
// NumPy raises for the same mistake, with NumPy's words. They are explicit specializations, so
// every file of python/src sees them (through bindings.hpp and convert.hpp) before any use.
// module.cpp adds a last-resort guard for anything else (guard_messages.hpp).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <string>

#include "ndarray_object.hpp"  // the caster of returned Arrays
#include "numfuse/core/shape.hpp"
#include "numfuse/core/shape_limits.hpp"

namespace numfuse::bind {

// operator.index(obj) in [lo, hi]: TypeError "'float' object cannot be interpreted as an
// integer"; OverflowError "Python int too large to convert to C <ctype>" outside the range.
int64_t int_from_py(PyObject* obj, int64_t lo, int64_t hi, const char* ctype);
uint64_t uint_from_py(PyObject* obj, uint64_t hi, const char* ctype);
// float(obj): TypeError "must be real number, not str".
double float_from_py(PyObject* obj);
// One dimension of a shape (NumPy's PyArray_PyIntAsIntp): TypeError for non-integers,
// ValueError "Maximum allowed dimension exceeded" past int64.
int64_t dimension_from_py(PyObject* obj);
// A shape as NumPy reads one (PyArray_IntpConverter): an integer or a sequence of integers,
// at most 64 of them (ValueError past that); None is a TypeError ("Use () not None").
Shape shape_from_py(PyObject* obj);

}  // namespace numfuse::bind

namespace pybind11::detail {

template <class T>
struct numfuse_int_caster {
  PYBIND11_TYPE_CASTER(T, const_name("int"));

  bool load(handle src, bool convert) {
    if (!src || (!convert && !PyLong_Check(src.ptr()))) return false;
    constexpr const char* ctype = sizeof(T) == sizeof(int) ? (std::is_signed_v<T> ? "int" : "unsigned int")
                                                           : (std::is_signed_v<T> ? "long" : "unsigned long");
    if constexpr (std::is_signed_v<T>) {
      value = static_cast<T>(numfuse::bind::int_from_py(src.ptr(), std::numeric_limits<T>::min(),
                                                        std::numeric_limits<T>::max(), ctype));
    } else {
      value = static_cast<T>(numfuse::bind::uint_from_py(src.ptr(), std::numeric_limits<T>::max(), ctype));
    }
    return true;
  }
  static handle cast(T src, return_value_policy, handle) {
    if constexpr (std::is_signed_v<T>) return PyLong_FromLongLong(static_cast<long long>(src));
    else return PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(src));
  }
};

template <class T>
struct numfuse_float_caster {
  PYBIND11_TYPE_CASTER(T, const_name("float"));

  bool load(handle src, bool convert) {
    if (!src || (!convert && !PyFloat_Check(src.ptr()) && !PyLong_Check(src.ptr()))) return false;
    value = static_cast<T>(numfuse::bind::float_from_py(src.ptr()));
    return true;
  }
  static handle cast(T src, return_value_policy, handle) { return PyFloat_FromDouble(static_cast<double>(src)); }
};

template <> struct type_caster<int> : numfuse_int_caster<int> {};
template <> struct type_caster<unsigned int> : numfuse_int_caster<unsigned int> {};
template <> struct type_caster<long> : numfuse_int_caster<long> {};
template <> struct type_caster<unsigned long> : numfuse_int_caster<unsigned long> {};
template <> struct type_caster<long long> : numfuse_int_caster<long long> {};
template <> struct type_caster<unsigned long long> : numfuse_int_caster<unsigned long long> {};
template <> struct type_caster<double> : numfuse_float_caster<double> {};
template <> struct type_caster<float> : numfuse_float_caster<float> {};

// str arguments (orders, modes, names): TypeError "expected str, got int" instead of pybind11's.
template <>
struct type_caster<std::string> : string_caster<std::string> {
  bool load(handle src, bool convert) {
    if (string_caster<std::string>::load(src, convert)) return true;
    if (!convert) return false;
    throw type_error("expected str, got " + std::string(Py_TYPE(src.ptr())->tp_name));
  }
};

// Shapes and strides (numfuse's SmallVector<int64_t, 6>): read like NumPy's shape arguments,
// written as lists.
template <>
struct type_caster<numfuse::Shape> : list_caster<numfuse::Shape, int64_t> {
  bool load(handle src, bool convert) {
    if (!src || (!convert && !PySequence_Check(src.ptr()))) return false;
    value = numfuse::bind::shape_from_py(src.ptr());
    return true;
  }
};

template <class T, size_t N>
struct type_caster<numfuse::SmallVector<T, N>> : list_caster<numfuse::SmallVector<T, N>, T> {};

}  // namespace pybind11::detail
