// Moving elements between arrays: strided copy with broadcasting and dtype conversion.
#pragma once

#include <complex>

#include "numfuse/core/array.hpp"

namespace numfuse {

// Converts n elements from src (dtype `from`) to dst (dtype `to`), both strided in bytes.
// Semantics follow C/NumPy casts: complex -> real drops the imaginary part, anything -> bool
// is "!= 0", float -> int truncates (out-of-range values give the x86 "integer indefinite").
using CastFn = void (*)(const std::byte* src, int64_t src_stride, std::byte* dst,
                        int64_t dst_stride, int64_t n);
CastFn cast_function(DType from, DType to);

// dst[...] = src, broadcasting src to dst's shape and converting its dtype. Overlapping memory is
// handled by copying through a temporary. Throws ValueError if dst is read-only or shapes do
// not broadcast.
void copy_into(const Array& dst, const Array& src);

enum class MemoryOrder { C, F, Keep };

// A new array with the same values; `order` picks the layout (Keep is NumPy's 'K': src's axis
// order by stride size, dense; C-contiguous and F-contiguous sources keep their order).
Array copy(const Array& src, MemoryOrder order = MemoryOrder::C);
Array astype(const Array& src, DType dtype, MemoryOrder order = MemoryOrder::Keep);
// The same array if already C-contiguous, otherwise a C-contiguous copy.
Array ascontiguous(const Array& src);

// A 0-d array holding one value converted to `dtype` (used for fills and scalar operands).
Array scalar_array(std::complex<double> value, DType dtype);
Array scalar_array_int(int64_t value, DType dtype);
Array scalar_array_uint(uint64_t value, DType dtype);

// Writes a value into every element of dst.
void fill(const Array& dst, const Array& value0d);

}  // namespace numfuse
