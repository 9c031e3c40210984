// Typed 1-D kernels behind sort/argsort (and the sort-based paths of unique and searchsorted):
// sort one lane of values into a contiguous run, or compute the stable argsort of one.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <type_traits>

#include "numfuse/algorithms/sort_keys.hpp"
#include "numfuse/algorithms/sort_parallel.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms {

template <class T>
inline T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
void gather(const std::byte* src, int64_t stride, int64_t n, T* dst) {
  if (stride == int64_t(sizeof(T))) {
    std::memcpy(dst, src, sizeof(T) * n);
    return;
  }
  for (int64_t i = 0; i < n; ++i) dst[i] = load<T>(src + i * stride);
}

template <class T>
void scatter(const T* src, int64_t n, std::byte* dst, int64_t stride) {
  if (stride == int64_t(sizeof(T))) {
    std::memcpy(dst, src, sizeof(T) * n);
    return;
  }
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * stride, src + i, sizeof(T));
}

// fn(value_at) with value_at(i) = the lane's element i: a contiguous lane gets a loader with a
// constant stride, which the compiler can vectorize.
template <class T, class Fn>
decltype(auto) with_lane_loader(const std::byte* src, int64_t stride, Fn&& fn) {
  if (stride == int64_t(sizeof(T))) return fn([src](int64_t i) { return load<T>(src + i * int64_t(sizeof(T))); });
  return fn([src, stride](int64_t i) { return load<T>(src + i * stride); });
}

// fn(lo, hi) over [0, n): in blocks on the runner when `threaded` and n is large.
template <class Fn>
void for_blocks(int64_t n, bool threaded, Fn&& fn) {
  const int threads = threaded ? ufuncs::parallel_threads() : 1;
  if (threads <= 1 || n < (int64_t(1) << 16)) {
    fn(int64_t(0), n);
    return;
  }
  const int tasks = 4 * threads;  // the split only balances load: each element's result is its own
  ufuncs::parallel_for(tasks, [&](int t) { fn(n * t / tasks, n * (t + 1) / tasks); });
}

// dst[0, n) = the lane src[0, n) (byte stride `stride`) sorted stably in NumPy's order. vqsort is
// not stable, which only shows for floats: NaNs go to the tail in their order, and the run of
// zeros is rewritten in the zeros' original order.
template <class T>
void sort_values(const std::byte* src, int64_t stride, int64_t n, T* dst, bool threaded) {
  auto key_at = [src, stride](int64_t i) { return load<T>(src + i * stride); };
  if constexpr (sizeof(T) == 1) {  // bool, int8, uint8: counting sort
    int64_t counts[256] = {};
    for (int64_t i = 0; i < n; ++i) ++counts[order_key(key_at(i))];
    int64_t at = 0;
    for (int k = 0; k < 256; ++k) {
      std::fill(dst + at, dst + at + counts[k], value_of_key<T>(OrderKey<T>(k)));
      at += counts[k];
    }
  } else if constexpr (is_complex_v<T>) {
    parallel_sort(n, key_at, [](const T&) { return false; }, dst,
                [](T* first, int64_t count) { std::stable_sort(first, first + count, OrderLess<T>()); },
                OrderLess<T>(), threaded);
  } else if constexpr (std::is_floating_point_v<T>) {
    // Sorted as the integers of float_to_signed_order (vqsort's own float sort is not exact for
    // infinities in Highway 1.0.3), NaNs as tail keys, turned back by the last merge's writes.
    using S = SignedOrderKey<T>;
    S* keys = reinterpret_cast<S*>(dst);
    const int64_t m = with_lane_loader<T>(src, stride, [&](auto value_at) {
      return parallel_sort(n, [&](int64_t i) { return float_to_signed_order(value_at(i)); },
                           [](S s) { return is_nan_signed_order<T>(s); }, keys,
                           [](S* first, int64_t count) { vqsort(first, size_t(count)); },
                           [](S a, S b) { return a < b; }, threaded,
                           [](S s) { return flip_float_order<T>(s); });
    });
    // -0.0 sorted below 0.0: the run of zeros takes the input's zeros in their order.
    T* lo = std::lower_bound(dst, dst + m, T(0));
    T* const hi = std::upper_bound(lo, dst + m, T(0));
    const bool mixed = lo != hi && std::signbit(*lo) && !std::signbit(hi[-1]);
    for (int64_t i = 0; mixed && lo != hi; ++i) {
      const T v = key_at(i);
      if (v == T(0)) *lo++ = v;
    }
  } else {
    with_lane_loader<T>(src, stride, [&](auto value_at) { parallel_vqsort(n, value_at, dst, threaded); });
  }
}

// out[0, n) = the indices that sort the lane src[0, n) stably in NumPy's order: vqsort of
// (key, index) pairs, whose order is total.
template <class T>
void argsort_values(const std::byte* src, int64_t stride, int64_t n, int64_t* out, bool threaded) {
  if constexpr (is_complex_v<T>) {
    auto less = [src, stride](int64_t a, int64_t b) {
      const auto ka = complex_order_key(load<T>(src + a * stride));
      const auto kb = complex_order_key(load<T>(src + b * stride));
      return ka < kb || (ka == kb && a < b);
    };
    parallel_sort(n, [](int64_t i) { return i; }, [](int64_t) { return false; }, out,
                [&](int64_t* first, int64_t count) { std::sort(first, first + count, less); }, less, threaded);
  } else if (sizeof(T) <= 4 && n <= (int64_t(1) << 32)) {
    // (key, index) packed in one 64-bit word: sorting the words sorts by key, then index.
    ScratchBuffer<uint64_t> packed(n);
    parallel_vqsort(n, [&](int64_t i) {
      return (uint64_t(order_key(load<T>(src + i * stride))) << 32) | uint64_t(i);
    }, packed.get(), threaded);
    for_blocks(n, threaded, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) out[i] = int64_t(packed[i] & 0xffffffffu);
    });
  } else {
    ScratchBuffer<hwy::uint128_t> packed(n);
    parallel_vqsort(n, [&](int64_t i) {
      hwy::uint128_t k;
      k.lo = uint64_t(i);
      k.hi = uint64_t(order_key(load<T>(src + i * stride)));
      return k;
    }, packed.get(), threaded);
    for_blocks(n, threaded, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) out[i] = int64_t(packed[i].lo);
    });
  }
}

}  // namespace numfuse::algorithms
