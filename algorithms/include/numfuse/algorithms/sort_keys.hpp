// NumPy's sort order for every dtype, in two forms: a comparator (`OrderLess`) and an unsigned
// integer "order key" that compares the same way (`order_key`). NumPy's order: NaNs after
// everything else, -0.0 equal to 0.0; complex numbers by real part, then imaginary part, with
// the classes [R + Rj, R + nanj, nan + Rj, nan + nanj] in that order.
#pragma once

#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <tuple>
#include <type_traits>

namespace numfuse::algorithms {

template <class T> struct is_complex_type : std::false_type {};
template <class T> struct is_complex_type<std::complex<T>> : std::true_type {};
template <class T> inline constexpr bool is_complex_v = is_complex_type<T>::value;

// The unsigned integer type of T's width (bool -> uint8_t).
template <class T>
using OrderKey = std::conditional_t<sizeof(T) == 1, uint8_t,
                 std::conditional_t<sizeof(T) == 2, uint16_t,
                 std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

// An unsigned key whose integer order is NumPy's order of the values (real types only). NaNs all
// map to the largest key and -0.0 to the key of 0.0, so equal keys are equal values for NumPy.
template <class T>
inline OrderKey<T> order_key(T v) {
  using U = OrderKey<T>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  if constexpr (std::is_floating_point_v<T>) {
    if (v != v) return U(~U(0));
    if (v == T(0)) return sign;
    U bits;
    std::memcpy(&bits, &v, sizeof(T));
    return (bits & sign) ? U(~bits) : U(bits | sign);
  } else if constexpr (std::is_signed_v<T>) {
    return U(U(v) ^ sign);
  } else {
    return U(v);
  }
}

// The value of a key (the inverse of order_key up to NaN payloads and the sign of zero).
template <class T>
inline T value_of_key(OrderKey<T> key) {
  using U = OrderKey<T>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  if constexpr (std::is_floating_point_v<T>) {
    const U bits = (key & sign) ? U(key ^ sign) : U(~key);
    T v;
    std::memcpy(&v, &bits, sizeof(T));
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return key != 0;
  } else if constexpr (std::is_signed_v<T>) {
    return T(U(key ^ sign));
  } else {
    return T(key);
  }
}

// A float's bits as a signed integer of its width (SignedOrderKey), in the order of the values:
// -0.0 just below 0.0, NaNs beyond the infinities by sign. Sorting these sorts the floats
// exactly; the map is its own inverse (flip_float_order turns keys back into float bits).
// Signed, because vqsort's signed 64-bit compares are cheaper than unsigned ones on AVX2.
template <class T>
using SignedOrderKey = std::make_signed_t<OrderKey<T>>;

template <class T>
inline SignedOrderKey<T> flip_float_order(SignedOrderKey<T> s) {
  using S = SignedOrderKey<T>;
  return S(s ^ ((s >> (8 * sizeof(T) - 1)) & std::numeric_limits<S>::max()));  // negatives: all but the sign
}

template <class T>
inline SignedOrderKey<T> float_to_signed_order(T v) {
  SignedOrderKey<T> bits;
  std::memcpy(&bits, &v, sizeof(T));
  return flip_float_order<T>(bits);
}

// Whether a signed order key is a NaN's: NaNs sit beyond the keys of -inf and +inf.
template <class T>
inline bool is_nan_signed_order(SignedOrderKey<T> s) {
  using S = SignedOrderKey<T>;
  constexpr S infinity = S((std::numeric_limits<S>::max() >> (std::numeric_limits<T>::digits - 1))
                           << (std::numeric_limits<T>::digits - 1));  // +inf's bits, also its key
  return s > infinity || s < S(~infinity);                           // ~infinity: the key of -inf
}

// A complex number's place in NumPy's order: (NaN class, real key, imaginary key).
template <class R>
inline auto complex_order_key(std::complex<R> z) {
  const bool real_nan = z.real() != z.real(), imag_nan = z.imag() != z.imag();
  const int nan_class = (real_nan ? 2 : 0) + (imag_nan ? 1 : 0);
  return std::make_tuple(nan_class, real_nan ? OrderKey<R>(0) : order_key(z.real()),
                         imag_nan ? OrderKey<R>(0) : order_key(z.imag()));
}

// a < b in NumPy's order.
template <class T>
struct OrderLess {
  bool operator()(const T& a, const T& b) const {
    if constexpr (is_complex_v<T>) {
      return complex_order_key(a) < complex_order_key(b);
    } else if constexpr (std::is_floating_point_v<T>) {
      return a < b || (b != b && a == a);
    } else {
      return a < b;
    }
  }
};

template <class T>
inline bool is_nan_value(const T& v) {
  if constexpr (is_complex_v<T>) return v.real() != v.real() || v.imag() != v.imag();
  else if constexpr (std::is_floating_point_v<T>) return v != v;
  else return false;
}

}  // namespace numfuse::algorithms
