// Element-level helpers shared by the reduction block kernels: typed loads/stores from byte
// pointers, widening conversions, NaN tests, and wrap-around integer arithmetic (NumPy's integer
// sums overflow modulo 2^bits; in C++ that is only defined for unsigned types).
#pragma once

#include "numfuse/ufuncs/reduce_isa.hpp"

#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};
template <class T> inline constexpr bool is_complex_v = is_complex<T>::value;

template <class T> struct real_type { using type = T; };
template <class T> struct real_type<std::complex<T>> { using type = T; };
template <class T> using real_t = typename real_type<T>::type;

// Types that can hold NaN.
template <class T>
inline constexpr bool is_inexact_v = std::is_floating_point_v<T> || is_complex_v<T>;

template <class T>
inline T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
inline void store(std::byte* p, const T& v) {
  std::memcpy(p, &v, sizeof(T));
}

// The value-preserving conversions a kernel applies while loading (bool/int -> int64, uint64 or
// float64; float32 -> float64; complex64 -> complex128). Lossy casts requested through dtype= are
// done by the engine beforehand with the core's cast loops.
template <class To, class From>
inline To widen(From v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (is_complex_v<To> && is_complex_v<From>) {
    return To(static_cast<real_t<To>>(v.real()), static_cast<real_t<To>>(v.imag()));
  } else if constexpr (is_complex_v<To>) {
    return To(static_cast<real_t<To>>(v), real_t<To>(0));
  } else {
    static_assert(!is_complex_v<From>, "complex to real needs an explicit cast");
    return static_cast<To>(v);
  }
}

template <class T>
inline bool is_nan(T v) {
  if constexpr (is_complex_v<T>) {
    return v.real() != v.real() || v.imag() != v.imag();
  } else if constexpr (std::is_floating_point_v<T>) {
    return v != v;
  } else {
    return false;
  }
}

template <class T>
inline bool is_nonzero(T v) {
  if constexpr (is_complex_v<T>) {
    return v.real() != 0 || v.imag() != 0;
  } else {
    return v != T(0);
  }
}

// Unsigned type wide enough that its arithmetic does not promote to (signed) int.
template <class T>
using wrap_unsigned_t =
    std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <class T>
inline T add(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return a || b;  // NumPy's add on bool is logical or
  } else if constexpr (std::is_integral_v<T>) {
    using U = wrap_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}

template <class T>
inline T multiply(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return a && b;
  } else if constexpr (std::is_integral_v<T>) {
    using U = wrap_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
  } else if constexpr (is_complex_v<T>) {
    // NumPy's textbook product; std::complex's operator* adds C99 Annex G inf/nan recovery that
    // NumPy does not do.
    return T(a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real());
  } else {
    return a * b;
  }
}

// The largest and smallest values of T in the order min/max use (complex: lexicographic).
template <class T>
inline T highest() {
  if constexpr (is_complex_v<T>) {
    return T(std::numeric_limits<real_t<T>>::infinity(), std::numeric_limits<real_t<T>>::infinity());
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::numeric_limits<T>::infinity();
  } else {
    return std::numeric_limits<T>::max();
  }
}

template <class T>
inline T lowest() {
  if constexpr (is_complex_v<T>) {
    return T(-std::numeric_limits<real_t<T>>::infinity(), -std::numeric_limits<real_t<T>>::infinity());
  } else if constexpr (std::is_floating_point_v<T>) {
    return -std::numeric_limits<T>::infinity();
  } else {
    return std::numeric_limits<T>::lowest();
  }
}

// Strict "a comes after b" in NumPy's order (complex: lexicographic on (real, imag)). NaNs
// compare false; the kernels test them separately.
template <class T>
inline bool greater(T a, T b) {
  if constexpr (is_complex_v<T>) {
    return a.real() > b.real() || (a.real() == b.real() && a.imag() > b.imag());
  } else {
    return a > b;
  }
}

template <bool IsMax, class T>
inline bool better(T candidate, T best) {
  if constexpr (IsMax) {
    return greater(candidate, best);
  } else {
    return greater(best, candidate);
  }
}

}  // namespace NUMFUSE_REDUCTION_ISA
}  // namespace numfuse::reduction
