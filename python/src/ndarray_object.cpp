#include "ndarray_object.hpp"

#include "c_entry.hpp"
#include "convert.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/indexing.hpp"
#include "numfuse/core/views.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace numfuse::bind {

namespace py = pybind11;

namespace {

using Holder = std::unique_ptr<Array>;  // pybind11's default holder of py::class_<Array>

PyTypeObject* ndarray_type = nullptr;
destructor pybind11_dealloc = nullptr;  // the class's own tp_dealloc, for objects pybind11 made
bool direct = false;  // the layout below is the one pybind11 chose for the class
// The object's own bytes, then the Array, aligned for it: one allocation per array instead of two.
Py_ssize_t array_offset = 0;

Array* inline_value(PyObject* self) {
  return reinterpret_cast<Array*>(reinterpret_cast<char*>(self) + array_offset);
}

// An object new_ndarray made (simple layout, unregistered, no holder, not owned: the Array lives
// inline) is torn down here; any other (made by pybind11: registered, or a subclass) by pybind11.
// Saves pybind11's walk over values and holders, its type-info cache lookup and a free.
void ndarray_dealloc(PyObject* self) {
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  PyTypeObject* type = Py_TYPE(self);
  if (type != ndarray_type || !inst->simple_layout || inst->simple_instance_registered || inst->owned ||
      inst->simple_holder_constructed || inst->has_patients) {
    pybind11_dealloc(self);
    return;
  }
  Array* value = inline_value(self);
  const Buffer* buffer = value->buffer().get();
  if (!buffer || (buffer->pooled() && !buffer->is_pending())) {
    value->~Array();  // numfuse's own memory: no Python code runs
  } else {
    // The last reference to an external buffer's owner (a NumPy array), or to pending work that
    // holds some, may run Python code, which must not clobber an exception being raised.
    py::error_scope keep_error;
    value->~Array();
  }
  if (inst->weakrefs) PyObject_ClearWeakRefs(self);
  type->tp_free(self);
  Py_DECREF(type);
}

// The Array of an object new_ndarray made, or null (another kind of object: pybind11's own, a
// subclass instance).
const Array* own_value(PyObject* self) {
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  if (Py_TYPE(self) != ndarray_type || !inst->simple_layout || inst->simple_instance_registered ||
      inst->simple_holder_constructed) {
    return nullptr;
  }
  return inline_value(self);
}

binaryfunc pybind11_subscript = nullptr;
lenfunc pybind11_length = nullptr;
objobjargproc pybind11_ass_subscript = nullptr;

// The byte offset (from the buffer's start) of the element a key of one Python int per dimension
// names, in range; false for any other key, or one out of range (the general path raises NumPy's
// error).
bool element_offset(const Array& a, PyObject* key, int64_t* offset) {
  PyObject* const* items = nullptr;
  Py_ssize_t count = 0;
  if (PyLong_CheckExact(key)) {
    items = &key;
    count = 1;
  } else if (PyTuple_CheckExact(key)) {
    items = &PyTuple_GET_ITEM(key, 0);
    count = PyTuple_GET_SIZE(key);
  }
  const int ndim = a.ndim();
  if (!items || count != ndim || ndim == 0) return false;
  int64_t at = a.offset();
  for (int k = 0; k < ndim; ++k) {
    if (!PyLong_CheckExact(items[k])) return false;
    int64_t i = PyLong_AsLongLong(items[k]);
    if (i == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    const int64_t extent = a.shape()[k];
    if (i < 0) i += extent;
    if (i < 0 || i >= extent) return false;
    at += i * a.strides()[k];
  }
  *offset = at;
  return true;
}

// One component of a view key of the common kinds: an exact Python int, a slice, None or
// Ellipsis; false for anything else (bools, NumPy integers, arrays: the general path decides).
bool simple_index_item(PyObject* item, std::vector<IndexItem>& items) {
  if (PyLong_CheckExact(item)) {
    const int64_t i = PyLong_AsLongLong(item);
    if (i == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    items.push_back(IndexItem::integer(i));
  } else if (PySlice_Check(item)) {
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
      PyErr_Clear();  // a bad slice: the general path raises its error
      return false;
    }
    items.push_back(IndexItem::slice(start, stop, step));
  } else if (item == Py_None) {
    items.push_back(IndexItem::new_axis());
  } else if (item == Py_Ellipsis) {
    items.push_back(IndexItem::ellipsis());
  } else {
    return false;
  }
  return true;
}

// A key that selects a view (not one element) from items simple_index_item takes.
bool simple_view_key(PyObject* key, int ndim, std::vector<IndexItem>& items) {
  items.clear();
  if (PyTuple_CheckExact(key)) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(key); ++k) {
      if (!simple_index_item(PyTuple_GET_ITEM(key, k), items)) return false;
    }
  } else if (!simple_index_item(key, items)) {
    return false;
  }
  const bool all_integers = std::all_of(items.begin(), items.end(),
                                        [](const IndexItem& it) { return it.kind == IndexItem::Kind::Integer; });
  return !(all_integers && static_cast<int>(items.size()) == ndim);  // an element: a scalar, not a view
}

// The Array of an exact numfuse or NumPy array (a NumPy one wrapped into `held`); nullptr for
// anything else, a NumPy dtype numfuse lacks included (the general path raises that error).
const Array* exact_array_or_numpy(PyObject* obj, Array& held) {
  if (const Array* a = exact_array(obj)) return a;
  try {
    return exact_numpy_wrap(obj, held);
  } catch (...) {
    PyErr_Clear();
    return nullptr;
  }
}

// The index array of a key that is one integer array for the first axis: a numfuse or NumPy
// integer array (not bool), or a non-empty list of Python ints; false for anything else.
bool first_axis_index(PyObject* key, Array& index) {
  if (PyList_CheckExact(key)) {
    const Py_ssize_t n = PyList_GET_SIZE(key);
    if (n == 0 || n > 64) return false;  // longer lists: NumPy's conversion is as quick
    int64_t values[64];
    for (Py_ssize_t i = 0; i < n; ++i) {
      PyObject* item = PyList_GET_ITEM(key, i);
      if (!PyLong_CheckExact(item)) return false;
      values[i] = PyLong_AsLongLong(item);
      if (values[i] == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
    }
    index = Array::empty(Shape{n}, DType::Int64);
    std::memcpy(index.data(), values, sizeof(int64_t) * static_cast<size_t>(n));
    return true;
  }
  Array held;
  const Array* a = exact_array_or_numpy(key, held);
  if (!a || !is_integer(a->dtype()) || a->ndim() == 0) return false;  // 0-d: NumPy may give a scalar
  index = *a;
  return true;
}

// a[i], a[i, j, ...] with one int per dimension: the element as a NumPy scalar, read directly
// (NumPy's own a[3] costs ~0.06 us; through pybind11's dispatch and a view it was ~0.6 us).
// Views by ints, slices, None and Ellipsis are made here too (0.41 -> ~0.2 us for a[1:-1:2]).
// Anything else, or an element of a pending value, takes the general path.
PyObject* ndarray_subscript(PyObject* self, PyObject* key) {
  const Array* a = own_value(self);
  if (!a) return pybind11_subscript(self, key);
  int64_t offset = 0;
  if (a->buffer() && !a->buffer()->is_pending() && element_offset(*a, key, &offset)) {
    return new_scalar(a->dtype(), a->buffer()->storage() + offset);
  }
  static std::vector<IndexItem> items;  // reused: the GIL is held, basic_index runs no Python
  if (simple_view_key(key, a->ndim(), items)) {
    return guarded([&] { return new_ndarray(basic_index(*a, items)); }, nullptr);
  }
  // a[[i, j, k]], a[int_array]: the gather numfuse._indexing plans for such keys (14 -> ~1 us).
  Array index;
  if (a->ndim() > 0 && first_axis_index(key, index)) {
    return guarded([&] { return new_ndarray(gather(*a, FancyIndex{{0}, {std::move(index)}, {0}, 0})); }, nullptr);
  }
  return pybind11_subscript(self, key);
}

// a[i, ...] = python_scalar: written in place after the pending lazy reads of the buffer ran
// (what copy_into does first), where the value converts by a plain cast (python_scalar_bytes).
int ndarray_ass_subscript(PyObject* self, PyObject* key, PyObject* value) {
  const Array* a = own_value(self);
  int64_t offset = 0;
  if (value && a && a->writeable() && a->buffer() && !a->buffer()->is_pending() &&
      element_offset(*a, key, &offset)) {
    alignas(16) std::byte element[16];
    if (python_scalar_bytes(value, a->dtype(), element)) {
      try {
        a->buffer()->prepare_write();
      } catch (...) {
        return pybind11_ass_subscript(self, key, value);  // its error, raised the general way
      }
      std::memcpy(a->buffer()->storage() + offset, element, static_cast<size_t>(a->itemsize()));
      return 0;
    }
  }
  // a[view key] = array (numfuse or NumPy): what the bound __setitem__ does, without its dispatch
  // (concatenate writes each piece so).
  static std::vector<IndexItem> items;  // consumed by basic_index before anything else runs
  if (value && a && simple_view_key(key, a->ndim(), items)) {
    Array held;
    if (const Array* source = exact_array_or_numpy(value, held)) {
      return guarded([&] {
        if (!a->writeable()) throw_value_error("assignment destination is read-only");
        copy_into(basic_index(*a, items), *source);
        return 0;
      }, -1);
    }
  }
  return pybind11_ass_subscript(self, key, value);
}

// Attribute getters as C descriptors (pybind11's property dispatch cost ~0.1 us of a.shape's 0.2).
const Array& value_of(PyObject* self) {
  if (const Array* a = own_value(self)) return *a;
  return py::handle(self).cast<const Array&>();  // made by pybind11, or a subclass instance
}

PyObject* int_tuple(const SmallVector<int64_t, 6>& values) {
  PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(values.size()));
  if (!t) return nullptr;
  for (size_t i = 0; i < values.size(); ++i) {
    PyObject* v = PyLong_FromLongLong(values[i]);
    if (!v) {
      Py_DECREF(t);
      return nullptr;
    }
    PyTuple_SET_ITEM(t, static_cast<Py_ssize_t>(i), v);
  }
  return t;
}

// A getter reading one attribute of the Array.
template <auto read>
PyObject* getter(PyObject* self, void*) {
  return guarded([&]() -> PyObject* { return read(value_of(self)); }, nullptr);
}

PyGetSetDef ndarray_getters[] = {
    {"shape", getter<[](const Array& a) { return int_tuple(a.shape()); }>, nullptr, "Tuple of array dimensions.", nullptr},
    {"strides", getter<[](const Array& a) { return int_tuple(a.strides()); }>, nullptr,
     "Tuple of bytes to step in each dimension.", nullptr},
    {"ndim", getter<[](const Array& a) { return PyLong_FromLong(a.ndim()); }>, nullptr, "Number of array dimensions.", nullptr},
    {"size", getter<[](const Array& a) { return PyLong_FromLongLong(a.size()); }>, nullptr,
     "Number of elements in the array.", nullptr},
    {"itemsize", getter<[](const Array& a) { return PyLong_FromLongLong(a.itemsize()); }>, nullptr,
     "Length of one array element in bytes.", nullptr},
    {"nbytes", getter<[](const Array& a) { return PyLong_FromLongLong(a.nbytes()); }>, nullptr,
     "Total bytes consumed by the elements of the array.", nullptr},
    {"dtype", getter<[](const Array& a) { return dtype_to_py(a.dtype()).release().ptr(); }>, nullptr,
     "Data-type of the array's elements (a NumPy dtype).", nullptr},
    {"T", getter<[](const Array& a) { return new_ndarray(transpose(a)); }>, nullptr, "View of the transposed array.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

// The buffer protocol without pybind11's buffer_info (three vectors and a string per export),
// with NumPy's errors:
// shape and strides point into the Array, which lives inline in the exporting object and never
// changes; view->obj keeps that object. memoryview(a) 347 -> ~120 ns. Other objects: pybind11's.
getbufferproc pybind11_getbuffer = nullptr;
releasebufferproc pybind11_releasebuffer = nullptr;

// NumPy's error for an export it cannot make (ValueError, its messages).
int buffer_error(Py_buffer* view, const char* message) {
  std::memset(view, 0, sizeof(Py_buffer));
  PyErr_SetString(PyExc_ValueError, message);
  return -1;
}

int ndarray_getbuffer(PyObject* self, Py_buffer* view, int flags) {
  const Array* a = own_value(self);
  if (!a || !view) return pybind11_getbuffer(self, view, flags);
  try {
    prepare_export(*a);  // pending values computed, readers run (the consumer may write)
  } catch (...) {
    view->obj = nullptr;
    py::detail::try_translate_exceptions();
    py::raise_from(PyExc_BufferError, "Error getting buffer");
    return -1;
  }
  std::memset(view, 0, sizeof(Py_buffer));
  if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && !a->writeable()) {
    return buffer_error(view, "buffer source array is read-only");
  }
  static_assert(sizeof(Py_ssize_t) == sizeof(int64_t));
  view->itemsize = a->itemsize();
  view->len = a->nbytes();
  view->ndim = a->ndim();
  view->shape = reinterpret_cast<Py_ssize_t*>(const_cast<int64_t*>(a->shape().data()));
  view->strides = reinterpret_cast<Py_ssize_t*>(const_cast<int64_t*>(a->strides().data()));
  view->readonly = !a->writeable();
  if ((flags & PyBUF_FORMAT) == PyBUF_FORMAT) view->format = const_cast<char*>(buffer_format(a->dtype()));
  // The contiguity a consumer asks for.
  const char order = (flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS     ? 'C'
                     : (flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS   ? 'F'
                     : (flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS ? 'A'
                     : (flags & PyBUF_STRIDES) != PyBUF_STRIDES              ? 'C'
                                                                              : 0;
  if (order && !PyBuffer_IsContiguous(view, order)) {
    return buffer_error(view, order == 'F'   ? "ndarray is not Fortran contiguous"
                              : order == 'A' ? "ndarray is not contiguous"
                                             : "ndarray is not C-contiguous");
  }
  if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES) {
    view->strides = nullptr;
    if ((flags & PyBUF_ND) != PyBUF_ND) {  // contiguous: it may pretend to be 1-D
      view->shape = nullptr;
      view->ndim = 0;
    }
  }
  view->buf = a->data();
  view->internal = nullptr;  // ndarray_releasebuffer: nothing of ours to free
  view->obj = Py_NewRef(self);
  return 0;
}

void ndarray_releasebuffer(PyObject* self, Py_buffer* view) {
  if (view->internal) pybind11_releasebuffer(self, view);  // pybind11's buffer_info
}

}  // namespace

void init_ndarray_objects(py::handle type) {
  ndarray_type = reinterpret_cast<PyTypeObject*>(type.ptr());
  const auto& types = py::detail::all_type_info(ndarray_type);
  constexpr Py_ssize_t align = alignof(Array);
  array_offset = (ndarray_type->tp_basicsize + align - 1) / align * align;
  // Objects are allocated with PyObject_Malloc and freed by the type's tp_free: only for a plain
  // (not garbage-collected, fixed-size) object freed with PyObject_Free.
  direct = types.size() == 1 && types.front()->holder_enum_v == py::detail::holder_enum_t::std_unique_ptr &&
           types.front()->holder_size_in_ptrs <= py::detail::instance_simple_holder_in_ptrs() &&
           sizeof(Holder) <= sizeof(void*) * py::detail::instance_simple_holder_in_ptrs() &&
           !PyType_HasFeature(ndarray_type, Py_TPFLAGS_HAVE_GC) && ndarray_type->tp_itemsize == 0 &&
           ndarray_type->tp_free == PyObject_Free;
  if (direct) {
    pybind11_dealloc = ndarray_type->tp_dealloc;
    ndarray_type->tp_dealloc = ndarray_dealloc;
    if (PyBufferProcs* buffer = ndarray_type->tp_as_buffer; buffer && buffer->bf_getbuffer) {
      pybind11_getbuffer = buffer->bf_getbuffer;
      pybind11_releasebuffer = buffer->bf_releasebuffer;
      buffer->bf_getbuffer = ndarray_getbuffer;
      buffer->bf_releasebuffer = ndarray_releasebuffer;
    }
  }
}

void init_ndarray_getters() {
  PyObject* dict = ndarray_type->tp_dict;
  for (PyGetSetDef* def = ndarray_getters; def->name; ++def) {
    py::object descriptor = py::reinterpret_steal<py::object>(PyDescr_NewGetSet(ndarray_type, def));
    if (!descriptor || PyDict_SetItemString(dict, def->name, descriptor.ptr()) < 0) throw py::error_already_set();
  }
  PyType_Modified(ndarray_type);
}

// len(a) in the mapping slot, as NumPy's (pybind11's __len__ cost 0.19 us, NumPy's 0.05).
Py_ssize_t ndarray_length(PyObject* self) {
  const Array* a = own_value(self);
  if (!a) return pybind11_length(self);
  if (a->ndim() == 0) {
    PyErr_SetString(PyExc_TypeError, "len() of unsized object");
    return -1;
  }
  return static_cast<Py_ssize_t>(a->shape()[0]);
}

void init_ndarray_subscript() {
  // After __getitem__ is bound: its slot is pybind11's wrapper, kept for every other key.
  PyMappingMethods* mapping = ndarray_type->tp_as_mapping;
  if (direct && mapping && mapping->mp_subscript && mapping->mp_ass_subscript && !pybind11_subscript) {
    pybind11_subscript = mapping->mp_subscript;
    mapping->mp_subscript = ndarray_subscript;
    pybind11_ass_subscript = mapping->mp_ass_subscript;
    mapping->mp_ass_subscript = ndarray_ass_subscript;
    // len() asks the sequence slot first, then the mapping one: both are __len__'s wrapper.
    PySequenceMethods* sequence = ndarray_type->tp_as_sequence;
    if (mapping->mp_length && (!sequence || !sequence->sq_length || sequence->sq_length == mapping->mp_length)) {
      pybind11_length = mapping->mp_length;
      mapping->mp_length = ndarray_length;
      if (sequence && sequence->sq_length) sequence->sq_length = ndarray_length;
    }
  }
}

PyObject* new_ndarray(Array&& a) {
  if (!direct) {
    return py::detail::type_caster_base<Array>::cast(std::move(a), py::return_value_policy::move, {}).ptr();
  }
  // What pybind11's make_new_instance + init_instance do for this class, minus the lookups and
  // the instance registration (see the header), with the value inline and no holder.
  const size_t bytes = static_cast<size_t>(array_offset) + sizeof(Array);
  void* memory = PyObject_Malloc(bytes);
  if (!memory) throw std::bad_alloc();
  std::memset(memory, 0, static_cast<size_t>(array_offset));
  PyObject* self = PyObject_Init(static_cast<PyObject*>(memory), ndarray_type);  // takes a type reference
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  inst->simple_layout = true;
  inst->simple_value_holder[0] = new (inline_value(self)) Array(std::move(a));
  return self;
}

const Array& new_ndarray_value(PyObject* obj) {
  if (direct) return *inline_value(obj);
  return *static_cast<const Array*>(reinterpret_cast<py::detail::instance*>(obj)->get_value_and_holder().value_ptr());
}

}  // namespace numfuse::bind
