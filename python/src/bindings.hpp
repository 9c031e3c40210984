// Entry points of the binding files, called once from module.cpp.
#pragma once

#include <pybind11/pybind11.h>

#include "arg_casters.hpp"

namespace numfuse::bind {

void bind_errors(pybind11::module_& m);
void bind_array(pybind11::module_& m);
void bind_creation(pybind11::module_& m);
void bind_memory(pybind11::module_& m);
void bind_jit(pybind11::module_& m);
void bind_ufuncs(pybind11::module_& m);
void bind_ufunc_object(pybind11::module_& m);
void bind_operators(pybind11::module_& m);
void bind_reductions(pybind11::module_& m);
void bind_indexing(pybind11::module_& m);
void bind_dlpack(pybind11::module_& m);
void bind_random(pybind11::module_& m);
void bind_io(pybind11::module_& m);
void bind_linalg(pybind11::module_& m);
void bind_capi(pybind11::module_& m);
void bind_sorting(pybind11::module_& m);     // sort, search, unique, sets
void bind_statistics(pybind11::module_& m);  // binning, order statistics
void bind_textio(pybind11::module_& m);      // loadtxt, read_csv
void bind_interp(pybind11::module_& m);      // interp
void bind_bits(pybind11::module_& m);        // packbits, unpackbits
void bind_trace(pybind11::module_& m);       // @nf.jit: trace cache, recorder
// After every bind_*: rewrites pybind11's "incompatible function arguments" (message_guard.cpp).
void guard_pybind11_messages(pybind11::module_& m);

}  // namespace numfuse::bind
