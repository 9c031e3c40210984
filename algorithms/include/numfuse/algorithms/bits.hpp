// np.packbits / np.unpackbits along one axis: truth values to uint8 bytes and back.
#pragma once

#include <cstdint>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

// Each run of 8 elements along `axis` (the last run zero-padded) packed into one uint8, the
// first element in the top bit (`little` = false) or the lowest; elements of bool or integer
// `a` count as 1 when nonzero. The result is C-contiguous, ceil(n / 8) long along `axis`.
Array packbits(const Array& a, int axis, bool little);

// The bits of uint8 `a` along `axis`, 8 per byte in the same order, the first `bits` of each
// lane (zero-filled past 8 * n): a C-contiguous uint8 array of 0/1, `bits` long along `axis`.
Array unpackbits(const Array& a, int axis, int64_t bits, bool little);

}  // namespace numfuse::algorithms
