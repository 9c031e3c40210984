// Integer arithmetic the way NumPy's fixed-width integers do it (wrap around), without C++'s
// signed-overflow undefined behaviour: compute in an unsigned type at least 32 bits wide (so
// uint16 products do not overflow through promotion to int) and narrow at the end.
#pragma once

#include <cstdint>
#include <type_traits>

namespace numfuse::linalg {

template <class T>
using Wrapping = std::conditional_t<
    std::is_same_v<T, bool>, bool,
    std::conditional_t<std::is_integral_v<T>,
                       std::conditional_t<(sizeof(T) <= 4), uint32_t, uint64_t>, T>>;

}  // namespace numfuse::linalg
