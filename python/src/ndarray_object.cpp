#include "ndarray_object.hpp"

#include <memory>
#include <new>

namespace numfuse::bind {

namespace py = pybind11;

namespace {

using Holder = std::unique_ptr<Array>;  // pybind11's default holder of py::class_<Array>

PyTypeObject* ndarray_type = nullptr;
bool direct = false;  // the layout below is the one pybind11 chose for the class

}  // namespace

void init_ndarray_objects(py::handle type) {
  ndarray_type = reinterpret_cast<PyTypeObject*>(type.ptr());
  const auto& types = py::detail::all_type_info(ndarray_type);
  direct = types.size() == 1 && types.front()->holder_enum_v == py::detail::holder_enum_t::std_unique_ptr &&
           types.front()->holder_size_in_ptrs <= py::detail::instance_simple_holder_in_ptrs() &&
           sizeof(Holder) <= sizeof(void*) * py::detail::instance_simple_holder_in_ptrs();
}

PyObject* new_ndarray(Array&& a) {
  if (!direct) {
    return py::detail::type_caster_base<Array>::cast(std::move(a), py::return_value_policy::move, {}).ptr();
  }
  auto value = std::make_unique<Array>(std::move(a));
  // What pybind11's make_new_instance + init_instance do for this class, minus the lookups and
  // the instance registration (see the header). tp_alloc zero-fills the object.
  PyObject* self = ndarray_type->tp_alloc(ndarray_type, 0);
  if (!self) throw py::error_already_set();
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  inst->simple_layout = true;
  inst->owned = true;
  inst->simple_value_holder[0] = value.get();
  new (&inst->simple_value_holder[1]) Holder(std::move(value));
  inst->simple_holder_constructed = true;
  return self;
}

}  // namespace numfuse::bind
