// Conversions between Python objects and core types: dtypes, arrays, scalars.
#pragma once

#include <pybind11/pybind11.h>

#include "arg_casters.hpp"

#include <optional>

#include "numfuse/core/array.hpp"

namespace numfuse::bind {

namespace py = pybind11;

// Anything numpy.dtype() accepts (np.float32, 'f4', np.dtype('int8'), float, nf.int16, ...).
DType dtype_from_py(py::handle obj);
// The numpy.dtype object for a DType (numfuse reports dtypes as NumPy's dtype objects).
py::object dtype_to_py(DType dtype);

// Our Array for any array-like: a numfuse ndarray as is; a NumPy array (or anything exposing
// __array_interface__ / the buffer protocol) wrapped without a copy; other objects (lists,
// scalars) converted by NumPy first. With `dtype`, values are converted when they differ.
Array array_from_py(py::handle obj, std::optional<DType> dtype = std::nullopt);

// The Array inside an object whose type is exactly numfuse's ndarray, else nullptr. Read without
// pybind11's type lookups: this is on the path of every recorded op.
const Array* exact_array(PyObject* obj);
// An exact NumPy ndarray wrapped without copying into `held` (returned), or nullptr for any other
// object.
const Array* exact_numpy_wrap(PyObject* obj, Array& held);

// The NumPy scalar (np.float64(...), np.int8(...)) equal to a 0-d array's value.
py::object scalar_to_py(const Array& a0d);
// The same for one element's bytes: a new reference, or null with a Python error set.
PyObject* new_scalar(DType dtype, const void* data);
// Writes a Python bool, int, float or complex as one `target` element where NumPy's conversion is
// a plain C cast (`a[i] = 1.5`, `fill(0)`), and returns true; false (nothing written, no error)
// where NumPy may raise or warn (an int out of the target's range, a float into an integer type or
// past float32's range, complex into a real type) or for any other object: those go through NumPy.
bool python_scalar_bytes(PyObject* value, DType target, void* out);

// PEP 3118 codes as NumPy writes them on LP64 Linux: int64 is 'l' (C long), so that NumPy maps
// the buffer back to its default integer type rather than to the distinct 'longlong'.
const char* buffer_format(DType d);

// Call before handing an array's memory to foreign code (buffer protocol, __array_interface__,
// DLPack): its pending values are computed, pending lazy reads of it run if the export is
// writeable (the consumer may write), and its buffer joins the registry of shared memory, so
// that the export wrapped back by numfuse (nf.asarray(np.asarray(a)), nf.from_dlpack(a)) is a
// handle whose writes run the same readers (Buffer::share).
void prepare_export(const Array& a);

// numpy, imported once.
py::module_& numpy();

// NumPy's copy= keyword: nullopt for None (copy only if needed), else the object's truth value;
// a string is NumPy's ValueError.
std::optional<bool> copy_keyword(py::handle copy);

}  // namespace numfuse::bind
