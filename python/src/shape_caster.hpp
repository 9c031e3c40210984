// pybind11 converts numfuse's small vectors (Shape, Strides) like std::vector: from any Python
// sequence of ints, to a Python list. Every binding file sees this through bindings.hpp.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "numfuse/core/small_vector.hpp"

namespace pybind11::detail {

template <class T, size_t N>
struct type_caster<numfuse::SmallVector<T, N>> : list_caster<numfuse::SmallVector<T, N>, T> {};

}  // namespace pybind11::detail
