// DLPack: ndarray.__dlpack__ / __dlpack_device__ (producer) and _core._from_dlpack_capsule
// (consumer). Both directions are zero-copy; the memory's owner is kept alive by the tensor's
// manager context (export) or by the producer's deleter (import).
//
// A consumer that asks with max_version >= (1, 0) gets the versioned struct in a
// "dltensor_versioned" capsule (which can flag read-only memory); older consumers get the legacy
// "dltensor" capsule, exactly as NumPy 2 does it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "bindings.hpp"
#include "convert.hpp"
#include "dlpack.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/shape_limits.hpp"

namespace numfuse::bind {

namespace {

using namespace numfuse::dlpack;

// ---- export -------------------------------------------------------------------------------

// What a capsule owns: the DLPack struct plus the Array (and hence the buffer) it describes.
template <class Managed>
struct ExportedTensor {
  Managed managed{};
  Array array;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;  // in elements
};

// May run on any thread, with or without the GIL: Buffer's keepalive takes the GIL itself when
// it has to release a Python object.
template <class Managed>
void delete_exported(Managed* self) {
  delete static_cast<ExportedTensor<Managed>*>(self->manager_ctx);
}

// The capsule's destructor frees the tensor only if no consumer took it (took = renamed).
template <class Managed>
void capsule_destructor(PyObject* capsule) {
  constexpr bool versioned = std::is_same_v<Managed, DLManagedTensorVersioned>;
  const char* name = versioned ? kVersionedCapsuleName : kCapsuleName;
  if (!PyCapsule_IsValid(capsule, name)) return;  // consumed (renamed "used_...")
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);  // a destructor may run while an exception is set
  auto* managed = static_cast<Managed*>(PyCapsule_GetPointer(capsule, name));
  if (managed && managed->deleter) managed->deleter(managed);
  PyErr_Restore(type, value, traceback);
}

DLDataType dl_dtype(DType dtype) {
  return DLDataType{info(dtype).dlpack_code, static_cast<uint8_t>(itemsize(dtype) * 8), 1};
}

template <class Managed>
Managed* export_tensor(Array array) {
  auto ctx = std::make_unique<ExportedTensor<Managed>>();
  const int isz = array.itemsize();
  ctx->shape = array.shape();
  for (int64_t s : array.strides()) {
    if (s % isz != 0) throw py::buffer_error("DLPack only supports strides which are a multiple of itemsize.");
    ctx->strides.push_back(s / isz);
  }
  DLTensor& t = ctx->managed.dl_tensor;
  t.data = array.data();
  t.device = DLDevice{kDLCPU, 0};
  t.ndim = array.ndim();
  t.dtype = dl_dtype(array.dtype());
  t.shape = ctx->shape.data();
  t.strides = ctx->strides.data();
  t.byte_offset = 0;
  ctx->array = std::move(array);
  ctx->managed.manager_ctx = ctx.get();
  ctx->managed.deleter = &delete_exported<Managed>;
  return &ctx.release()->managed;
}

py::object make_capsule(void* managed, const char* name, PyCapsule_Destructor destructor,
                        void (*free_on_failure)(void*)) {
  PyObject* capsule = PyCapsule_New(managed, name, destructor);
  if (!capsule) {
    free_on_failure(managed);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(capsule);
}

// The (a, b) integer pairs of __dlpack__'s keywords, read as NumPy reads them: TypeError for
// anything but a 2-tuple of integers, OverflowError past a C long.
std::pair<int64_t, int64_t> int_pair(py::handle obj, const char* not_a_pair) {
  if (!PyTuple_Check(obj.ptr()) || PyTuple_GET_SIZE(obj.ptr()) != 2) throw py::type_error(not_a_pair);
  auto element = [&](int i) {
    return int_from_py(PyTuple_GET_ITEM(obj.ptr(), i), INT64_MIN, INT64_MAX, "long");
  };
  return {element(0), element(1)};
}

bool wants_versioned(py::handle max_version) {
  if (max_version.is_none()) return false;
  return int_pair(max_version, "max_version must be None or a tuple with two elements.").first >= 1;
}

void check_device(py::handle dl_device) {
  if (dl_device.is_none()) return;
  if (!PyTuple_Check(dl_device.ptr())) throw py::type_error("dl_device must be a tuple");
  auto device = int_pair(dl_device, "dl_device must be a tuple of two integers (device type, device id)");
  if (device.first != kDLCPU || device.second != 0) throw py::buffer_error("unsupported device requested");
}

py::object dlpack(const Array& a, py::handle stream, py::handle max_version, py::handle dl_device,
                  py::handle copy_flag) {
  if (!stream.is_none()) throw Error(ErrorKind::Runtime, "numfuse arrays live on the CPU: stream must be None");
  check_device(dl_device);
  const bool copy_made = copy_keyword(copy_flag).value_or(false);
  Array exported = copy_made ? copy(a, MemoryOrder::C) : a;
  // The consumer may write through a writeable export: lazy expressions already reading this
  // memory run now, so they keep the values they were written with; and a numfuse import of
  // the capsule must find this buffer's readers (prepare_export).
  prepare_export(exported);
  if (wants_versioned(max_version)) {
    auto* managed = export_tensor<DLManagedTensorVersioned>(exported);
    managed->version = DLPackVersion{kMajorVersion, kMinorVersion};
    if (!exported.writeable()) managed->flags |= kFlagReadOnly;
    if (copy_made) managed->flags |= kFlagIsCopied;
    return make_capsule(managed, kVersionedCapsuleName, &capsule_destructor<DLManagedTensorVersioned>,
                        [](void* m) { delete_exported(static_cast<DLManagedTensorVersioned*>(m)); });
  }
  if (!exported.writeable()) {
    // The legacy struct has no way to say "read-only"; exporting would let the consumer write.
    throw py::buffer_error("Cannot export a read-only array through the legacy DLPack struct; "
                           "the consumer must ask for max_version >= (1, 0).");
  }
  auto* managed = export_tensor<DLManagedTensor>(exported);
  return make_capsule(managed, kCapsuleName, &capsule_destructor<DLManagedTensor>,
                      [](void* m) { delete_exported(static_cast<DLManagedTensor*>(m)); });
}

// ---- import -------------------------------------------------------------------------------

DType dtype_from_dl(const DLDataType& t) {
  if (t.lanes == 1) {
    for (int i = 0; i < kNumDTypes; ++i) {
      auto d = static_cast<DType>(i);
      if (t.code == info(d).dlpack_code && t.bits == itemsize(d) * 8) return d;
    }
  }
  throw py::buffer_error("numfuse does not support the DLPack data type (code " + std::to_string(t.code) +
                         ", bits " + std::to_string(t.bits) + ", lanes " + std::to_string(t.lanes) + ")");
}

bool cpu_accessible(int32_t device_type) {
  constexpr int32_t kDLCUDAHost = 3, kDLROCMHost = 11;  // pinned host memory is plain CPU memory
  return device_type == kDLCPU || device_type == kDLCUDAHost || device_type == kDLROCMHost;
}

// Validates everything before the capsule is renamed, so a rejected capsule still frees itself.
template <class Managed>
Array consume(PyObject* capsule, const char* name, const char* used_name) {
  auto* managed = static_cast<Managed*>(PyCapsule_GetPointer(capsule, name));
  if (!managed) throw py::error_already_set();
  bool writeable = true;
  if constexpr (std::is_same_v<Managed, DLManagedTensorVersioned>) {
    if (managed->version.major > kMajorVersion) {
      throw py::buffer_error("DLPack version " + std::to_string(managed->version.major) + "." +
                             std::to_string(managed->version.minor) + " is newer than numfuse supports (" +
                             std::to_string(kMajorVersion) + ".x)");
    }
    writeable = !(managed->flags & kFlagReadOnly);
  }
  const DLTensor& t = managed->dl_tensor;
  if (!cpu_accessible(t.device.device_type)) {
    throw py::buffer_error("numfuse can only import DLPack tensors in CPU memory (device type " +
                           std::to_string(t.device.device_type) + ")");
  }
  if (t.ndim < 0 || t.ndim > kMaxDims) throw py::buffer_error("DLPack tensor has an invalid ndim");
  DType dtype = dtype_from_dl(t.dtype);
  const int isz = itemsize(dtype);
  Shape shape(t.shape, t.shape + t.ndim);
  for (int64_t n : shape) {
    if (n < 0) throw py::buffer_error("DLPack tensor has a negative dimension");
  }
  checked_size(shape, isz);  // NumPy's limits on every array: ValueError "array is too big"
  Strides strides;
  if (t.strides == nullptr || t.ndim == 0) {
    strides = c_strides(shape, isz);
  } else {
    // Strides in elements become bytes, and every element's address must stay representable.
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < t.ndim; ++i) {
      int64_t bytes = 0, span = 0;
      if (__builtin_mul_overflow(t.strides[i], int64_t{isz}, &bytes) ||
          (shape[i] > 0 && __builtin_mul_overflow(shape[i] - 1, bytes, &span)) ||
          __builtin_add_overflow(span < 0 ? lo : hi, span, span < 0 ? &lo : &hi)) {
        throw py::buffer_error("DLPack tensor strides overflow the address space");
      }
      strides.push_back(bytes);
    }
  }
  auto* data = static_cast<std::byte*>(t.data) + t.byte_offset;

  // From here on we own the tensor: rename first, so the capsule destructor leaves it alone.
  if (PyCapsule_SetName(capsule, used_name) != 0) throw py::error_already_set();
  std::shared_ptr<void> owner(managed, [](void* p) {
    auto* m = static_cast<Managed*>(p);
    if (m->deleter) m->deleter(m);
  });
  ByteExtent ext = byte_extent(shape, strides, isz);
  auto buffer = Buffer::external(data + ext.lo, static_cast<size_t>(ext.hi - ext.lo), std::move(owner));
  return Array(std::move(buffer), -ext.lo, std::move(shape), std::move(strides), dtype, writeable);
}

Array from_capsule(py::handle obj) {
  PyObject* capsule = obj.ptr();
  if (!PyCapsule_CheckExact(capsule)) throw py::type_error("expected a DLPack capsule");
  const char* name = PyCapsule_GetName(capsule);
  if (!name && PyErr_Occurred()) throw py::error_already_set();
  std::string_view n = name ? name : "";
  if (n == kVersionedCapsuleName) {
    return consume<DLManagedTensorVersioned>(capsule, kVersionedCapsuleName, kUsedVersionedCapsuleName);
  }
  if (n == kCapsuleName) return consume<DLManagedTensor>(capsule, kCapsuleName, kUsedCapsuleName);
  if (n == kUsedCapsuleName || n == kUsedVersionedCapsuleName) {
    throw py::buffer_error("this DLPack capsule was already consumed");
  }
  throw py::type_error("not a DLPack capsule (capsule name '" + std::string(n) + "')");
}

}  // namespace

void bind_dlpack(py::module_& m) {
  py::object cls = m.attr("ndarray");
  auto add_method = [&](const char* name, py::cpp_function fn) { py::setattr(cls, name, fn); };
  add_method("__dlpack__",
             py::cpp_function(&dlpack, py::name("__dlpack__"), py::is_method(cls),
                              py::kw_only(), py::arg("stream") = py::none(),
                              py::arg("max_version") = py::none(), py::arg("dl_device") = py::none(),
                              py::arg("copy") = py::none(),
                              "Exports the array as a DLPack capsule (zero-copy unless copy=True)."));
  add_method("__dlpack_device__",
             py::cpp_function([](const Array&) { return py::make_tuple(kDLCPU, 0); },
                              py::name("__dlpack_device__"), py::is_method(cls),
                              "(device type, device id): (1, 0), the CPU."));
  m.def("_from_dlpack_capsule", &from_capsule,
        "Takes ownership of a 'dltensor' or 'dltensor_versioned' capsule and wraps it without copying.");
}

}  // namespace numfuse::bind
