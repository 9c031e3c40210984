// Selection: the order statistics of a range without sorting it, in NumPy's order (NaNs after
// every number). partition/argpartition and the order statistics (median, percentile, ...) use it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace numfuse::algorithms {

// a < b in NumPy's sort order: NaNs compare greater than every number (and equal to each other).
template <class T>
inline bool nan_last_less(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    return a < b || (b != b && a == a);
  } else {
    return a < b;
  }
}

template <class T>
inline bool is_nan_value(const T& v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  else return false;
}

// Puts the element of rank ranks[i] at data[ranks[i]] for every i, with everything before it
// not greater and everything after it not smaller (NumPy's partition guarantee for each kth).
// ranks: ascending, each in [0, n); repeats are allowed. Each selection runs on the part after
// the previous rank only, so k ranks cost about n + n/2 + ... element visits, not k * n.
template <class T, class Less>
void select_ranks(T* data, int64_t n, const int64_t* ranks, int64_t k, Less less) {
  int64_t lo = 0;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t r = ranks[i];
    if (r < lo) continue;
    std::nth_element(data + lo, data + r, data + n, less);
    lo = r + 1;
  }
}

template <class T>
void select_ranks(T* data, int64_t n, const int64_t* ranks, int64_t k) {
  select_ranks(data, n, ranks, k, [](const T& a, const T& b) { return nan_last_less(a, b); });
}

}  // namespace numfuse::algorithms
