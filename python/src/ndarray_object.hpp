// numfuse.ndarray Python objects made directly for every Array a binding returns.
//
// pybind11's generic cast of a returned C++ object (type_caster_generic::cast) looks the type up
// in its registries, searches its instance map for a Python object already wrapping the same
// pointer, and enters the new object in that map (removed again in dealloc): ~1000 instructions
// and a hash node per array, more than the rest of creating a small array. Arrays are returned
// by value, so none of that applies: new_ndarray allocates the object and fills in the layout
// pybind11 itself uses for this class (simple layout: value pointer + unique_ptr holder, owned)
// without registering it. pybind11 needs the registration only to hand back the same Python
// object when a C++ reference is cast again; no binding returns an Array by reference.
#pragma once

#include <pybind11/pybind11.h>

#include "numfuse/core/array.hpp"

namespace numfuse::bind {

// Once, right after the ndarray class is registered. Checks the layout assumptions; if pybind11
// ever lays the class out differently, new_ndarray falls back to pybind11's own cast.
void init_ndarray_objects(pybind11::handle ndarray_type);
// Once the class's attributes are bound: shape, strides, ndim, size, itemsize, nbytes, dtype and T
// become C getters in their place.
void init_ndarray_getters();
// Once __getitem__/__setitem__ are bound: fast paths for a[i] / a[i, j] (= scalar) in front of them.
void init_ndarray_subscript();

// A new reference to a new numfuse.ndarray owning `a`; throws (MemoryError) when Python cannot
// allocate the object.
PyObject* new_ndarray(Array&& a);

// The Array inside an object new_ndarray just returned (no type check needed).
const Array& new_ndarray_value(PyObject* obj);

}  // namespace numfuse::bind

namespace pybind11::detail {

// Every binding that returns an Array (by value, or a copy of one) goes through new_ndarray;
// only reference policies keep pybind11's generic path. Declared here, in a header every file of
// python/src includes (through arg_casters.hpp) before any use, like the casters there.
template <>
class type_caster<numfuse::Array> : public type_caster_base<numfuse::Array> {
 public:
  using type_caster_base<numfuse::Array>::cast;
  static handle cast(numfuse::Array&& src, return_value_policy, handle) {
    return numfuse::bind::new_ndarray(std::move(src));
  }
  static handle cast(const numfuse::Array& src, return_value_policy policy, handle parent) {
    if (policy == return_value_policy::reference || policy == return_value_policy::reference_internal) {
      return type_caster_base<numfuse::Array>::cast(src, policy, parent);
    }
    return numfuse::bind::new_ndarray(numfuse::Array(src));
  }
};

}  // namespace pybind11::detail
