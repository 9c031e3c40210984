// The hook the ufunc entry point (bind_ufuncs.cpp) calls for operands it does not know: a Python
// scalar argument of a function being traced under @nf.jit (numfuse/_jit_trace.py).
#pragma once

#include <pybind11/pybind11.h>

#include <optional>

#include "numfuse/ufuncs/elementwise.hpp"

namespace numfuse::bind {

// The operand a scalar tracer stands for (a fresh 0-d array the trace names as that argument),
// or nullopt if `obj` is not a scalar tracer.
std::optional<ufuncs::Operand> traced_scalar_operand(PyObject* obj);

}  // namespace numfuse::bind
