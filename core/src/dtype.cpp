#include "numfuse/core/dtype.hpp"

#include <array>
#include <string>

#include "numfuse/core/error.hpp"

namespace numfuse {

namespace {

constexpr std::array<DTypeInfo, kNumDTypes> kInfo = {{
    {"bool", "|b1", 'b', 1, DTypeKind::Bool, 6},
    {"int8", "|i1", 'i', 1, DTypeKind::SignedInt, 0},
    {"int16", "<i2", 'i', 2, DTypeKind::SignedInt, 0},
    {"int32", "<i4", 'i', 4, DTypeKind::SignedInt, 0},
    {"int64", "<i8", 'i', 8, DTypeKind::SignedInt, 0},
    {"uint8", "|u1", 'u', 1, DTypeKind::UnsignedInt, 1},
    {"uint16", "<u2", 'u', 2, DTypeKind::UnsignedInt, 1},
    {"uint32", "<u4", 'u', 4, DTypeKind::UnsignedInt, 1},
    {"uint64", "<u8", 'u', 8, DTypeKind::UnsignedInt, 1},
    {"float32", "<f4", 'f', 4, DTypeKind::Float, 2},
    {"float64", "<f8", 'f', 8, DTypeKind::Float, 2},
    {"complex64", "<c8", 'c', 8, DTypeKind::Complex, 5},
    {"complex128", "<c16", 'c', 16, DTypeKind::Complex, 5},
}};

}  // namespace

const DTypeInfo& info(DType dtype) { return kInfo[static_cast<size_t>(dtype)]; }

bool is_integer(DType d) {
  return kind(d) == DTypeKind::SignedInt || kind(d) == DTypeKind::UnsignedInt;
}
bool is_floating(DType d) { return kind(d) == DTypeKind::Float; }
bool is_complex(DType d) { return kind(d) == DTypeKind::Complex; }

DType dtype_from_string(std::string_view text) {
  for (int i = 0; i < kNumDTypes; ++i) {
    const auto& inf = kInfo[i];
    if (text == inf.name || text == inf.typestr) return static_cast<DType>(i);
    // Typestrs also come with '=' (native) or, for 1-byte types, '<' / '|' byte-order marks.
    if (text.size() == inf.typestr.size() && text.substr(1) == inf.typestr.substr(1) &&
        (text[0] == '=' || text[0] == '<' || text[0] == '|')) {
      return static_cast<DType>(i);
    }
  }
  throw_type_error("numfuse does not support the data type '" + std::string(text) + "'");
}

}  // namespace numfuse
