// Hash keys for unique and isin: one integer per value class of NumPy's ==, so that equal
// values (-0.0 and 0.0) share a key (a pair of keys for complex), and a hash that mixes them.
#pragma once

#include <cstdint>
#include <utility>

#include "numfuse/algorithms/sort_keys.hpp"

namespace numfuse::algorithms {

template <class T>
inline auto hash_key(const T& v) {
  if constexpr (is_complex_v<T>) {
    return std::make_pair(uint64_t(order_key(v.real())), uint64_t(order_key(v.imag())));
  } else {
    return uint64_t(order_key(v));
  }
}

template <class T>
using HashKey = decltype(hash_key(T{}));

// Murmur3's 64-bit finalizer: robin-map's power-of-two tables need every bit mixed.
struct KeyHash {
  static uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    return k ^ (k >> 33);
  }
  size_t operator()(uint64_t k) const { return size_t(mix(k)); }
  size_t operator()(const std::pair<uint64_t, uint64_t>& k) const {
    return size_t(mix(k.first ^ mix(k.second)));
  }
};

}  // namespace numfuse::algorithms
