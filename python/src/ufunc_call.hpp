// The one entry point that applies an op-table op to Python arguments (bind_ufuncs.cpp); the
// operators (bind_operators.cpp) call it too.
#pragma once

#include <pybind11/pybind11.h>

#include <span>

namespace numfuse::bind {

// Records (lazily) op `op_id` over `args` (arrays, array-likes, Python scalars), writing into
// `out` unless it is None. Returns the result: an ndarray, or a NumPy scalar for a 0-d result
// without out=, as NumPy's ufuncs do.
pybind11::object apply_ufunc(int op_id, std::span<const pybind11::handle> args, pybind11::handle out);

}  // namespace numfuse::bind
