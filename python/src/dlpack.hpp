// The DLPack ABI (https://dmlc.github.io/dlpack/latest/c_api.html), version 1.0.
//
// Debian 12 ships dlpack 0.6, which predates DLManagedTensorVersioned and the read-only flag, so
// the structs are spelled out here. Field order and types must match the C header exactly: they
// cross library boundaries through PyCapsules.
#pragma once

#include <cstdint>

namespace numfuse::dlpack {

inline constexpr uint32_t kMajorVersion = 1;
inline constexpr uint32_t kMinorVersion = 0;

// Capsule names of the protocol; a consumer renames the capsule to the "used_" form once it owns
// the tensor, so the capsule's destructor knows whether to free it.
inline constexpr const char* kCapsuleName = "dltensor";
inline constexpr const char* kUsedCapsuleName = "used_dltensor";
inline constexpr const char* kVersionedCapsuleName = "dltensor_versioned";
inline constexpr const char* kUsedVersionedCapsuleName = "used_dltensor_versioned";

// DLDeviceType is a C enum (int-sized); only the CPU is ours.
inline constexpr int32_t kDLCPU = 1;

// DLDataTypeCode values.
inline constexpr uint8_t kDLInt = 0;
inline constexpr uint8_t kDLUInt = 1;
inline constexpr uint8_t kDLFloat = 2;
inline constexpr uint8_t kDLComplex = 5;
inline constexpr uint8_t kDLBool = 6;

inline constexpr uint64_t kFlagReadOnly = uint64_t{1} << 0;
inline constexpr uint64_t kFlagIsCopied = uint64_t{1} << 1;

struct DLPackVersion {
  uint32_t major;
  uint32_t minor;
};

struct DLDevice {
  int32_t device_type;
  int32_t device_id;
};

struct DLDataType {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
};

struct DLTensor {
  void* data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t* shape;
  int64_t* strides;  // in elements, not bytes; null means C-contiguous
  uint64_t byte_offset;
};

struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(DLManagedTensor* self);
};

struct DLManagedTensorVersioned {
  DLPackVersion version;
  void* manager_ctx;
  void (*deleter)(DLManagedTensorVersioned* self);
  uint64_t flags;
  DLTensor dl_tensor;
};

static_assert(sizeof(DLTensor) == 48, "DLTensor must match the C ABI");
static_assert(sizeof(DLManagedTensor) == 64, "DLManagedTensor must match the C ABI");
static_assert(sizeof(DLManagedTensorVersioned) == 80, "DLManagedTensorVersioned must match the C ABI");

}  // namespace numfuse::dlpack
