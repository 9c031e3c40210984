// Byte-level helpers for numfuse._io (the .npy reader/writer): a flat uint8 view of a
// contiguous array, so that file.readinto / file.write can move its bytes in slices, and an
// in-place byte swap for big-endian files.
#include <pybind11/pybind11.h>

#include <cstring>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::bind {

namespace {

// The array's bytes in memory order, as a 1-D uint8 view of the same buffer.
Array byte_view(const Array& a) {
  if (!a.is_c_contiguous() && !a.is_f_contiguous()) {
    throw_value_error("a byte view needs a contiguous array");
  }
  return Array(a.buffer(), a.offset(), Shape{a.nbytes()}, Strides{1}, DType::UInt8, a.writeable());
}

template <class Word>
void swap_words(std::byte* data, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    Word w;
    std::memcpy(&w, data + i * sizeof(Word), sizeof(Word));
    if constexpr (sizeof(Word) == 2) w = __builtin_bswap16(w);
    if constexpr (sizeof(Word) == 4) w = __builtin_bswap32(w);
    if constexpr (sizeof(Word) == 8) w = __builtin_bswap64(w);
    std::memcpy(data + i * sizeof(Word), &w, sizeof(Word));
  }
}

// Reverses the byte order of every element; a complex number swaps its two halves separately.
void byteswap_inplace(const Array& a) {
  if (!a.writeable()) throw_value_error("cannot byte-swap a read-only array");
  a.buffer()->prepare_write();
  Array bytes = byte_view(a);
  const int unit = is_complex(a.dtype()) ? a.itemsize() / 2 : a.itemsize();
  const int64_t count = a.nbytes() / unit;
  switch (unit) {
    case 1: return;  // single bytes have no order
    case 2: return swap_words<uint16_t>(bytes.data(), count);
    case 4: return swap_words<uint32_t>(bytes.data(), count);
    case 8: return swap_words<uint64_t>(bytes.data(), count);
    default: throw_value_error("unexpected element size for a byte swap");
  }
}

}  // namespace

void bind_io(py::module_& m) {
  m.def("_byte_view", &byte_view, "A flat uint8 view of a contiguous array's bytes (memory order).");
  m.def("_byteswap_inplace", &byteswap_inplace, "Reverses the byte order of each element in place.");
}

}  // namespace numfuse::bind
