// The 13 element types numfuse supports and their static properties.
#pragma once

#include <complex>
#include <cstdint>
#include <string_view>

namespace numfuse {

// Order matches NumPy's promotion "kind" order inside each family; the numeric value is used only
// to index tables (see DTypeInfo).
enum class DType : uint8_t {
  Bool,
  Int8, Int16, Int32, Int64,
  UInt8, UInt16, UInt32, UInt64,
  Float32, Float64,
  Complex64, Complex128,
};

inline constexpr int kNumDTypes = 13;

enum class DTypeKind : uint8_t { Bool, SignedInt, UnsignedInt, Float, Complex };

struct DTypeInfo {
  std::string_view name;      // NumPy's name: "float64"
  std::string_view typestr;   // array-interface type string, native (little) endian: "<f8"
  char kind_char;             // NumPy dtype.kind: 'b', 'i', 'u', 'f', 'c'
  uint8_t itemsize;
  DTypeKind kind;
  uint8_t dlpack_code;        // DLPack DLDataTypeCode: 0 int, 1 uint, 2 float, 5 complex, 6 bool
};

const DTypeInfo& info(DType dtype);

inline int itemsize(DType dtype) { return info(dtype).itemsize; }
inline std::string_view name(DType dtype) { return info(dtype).name; }
inline DTypeKind kind(DType dtype) { return info(dtype).kind; }

bool is_integer(DType dtype);   // signed or unsigned integer (not bool)
bool is_floating(DType dtype);  // float32/float64
bool is_complex(DType dtype);

// Parses NumPy's dtype name ("float64") or array-interface typestr ("<f8", "|b1", "=i4").
// Throws TypeError for anything unsupported.
DType dtype_from_string(std::string_view text);

// Maps a C++ element type to its DType at compile time.
template <class T> struct dtype_of;
#define NUMFUSE_DTYPE_OF(T, D) \
  template <> struct dtype_of<T> { static constexpr DType value = DType::D; };
NUMFUSE_DTYPE_OF(bool, Bool)
NUMFUSE_DTYPE_OF(int8_t, Int8)
NUMFUSE_DTYPE_OF(int16_t, Int16)
NUMFUSE_DTYPE_OF(int32_t, Int32)
NUMFUSE_DTYPE_OF(int64_t, Int64)
NUMFUSE_DTYPE_OF(uint8_t, UInt8)
NUMFUSE_DTYPE_OF(uint16_t, UInt16)
NUMFUSE_DTYPE_OF(uint32_t, UInt32)
NUMFUSE_DTYPE_OF(uint64_t, UInt64)
NUMFUSE_DTYPE_OF(float, Float32)
NUMFUSE_DTYPE_OF(double, Float64)
NUMFUSE_DTYPE_OF(std::complex<float>, Complex64)
NUMFUSE_DTYPE_OF(std::complex<double>, Complex128)
#undef NUMFUSE_DTYPE_OF

// Calls fn(T{}) with T the C++ element type of `dtype`: the one place a runtime dtype becomes a
// static type. Callers instantiate their template once per dtype through it.
template <class Fn>
decltype(auto) visit_dtype(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::Bool: return fn(bool{});
    case DType::Int8: return fn(int8_t{});
    case DType::Int16: return fn(int16_t{});
    case DType::Int32: return fn(int32_t{});
    case DType::Int64: return fn(int64_t{});
    case DType::UInt8: return fn(uint8_t{});
    case DType::UInt16: return fn(uint16_t{});
    case DType::UInt32: return fn(uint32_t{});
    case DType::UInt64: return fn(uint64_t{});
    case DType::Float32: return fn(float{});
    case DType::Float64: return fn(double{});
    case DType::Complex64: return fn(std::complex<float>{});
    case DType::Complex128: return fn(std::complex<double>{});
  }
  __builtin_unreachable();
}

}  // namespace numfuse
