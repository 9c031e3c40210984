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

// A bijection of a float's bits onto unsigned integers in the order of the values (-0.0 just
// below 0.0; NaNs beyond the infinities, by sign): sorting these sorts the floats, exactly.
template <class T>
inline OrderKey<T> float_to_ordered_bits(T v) {
  using U = OrderKey<T>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  U bits;
  std::memcpy(&bits, &v, sizeof(T));
  const U flip = U(std::make_signed_t<U>(bits) >> (8 * sizeof(T) - 1));  // all ones for negative floats
  return U(bits ^ (flip | sign));
}

// The float bits of an ordered key (float_to_ordered_bits inverted), without a branch.
template <class T>
inline OrderKey<T> ordered_bits_to_float_bits(OrderKey<T> u) {
  using U = OrderKey<T>;
  using S = std::make_signed_t<U>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  const U flip = U(~U(S(u) >> (8 * sizeof(T) - 1)));  // all ones for keys of negative floats
  return U(u ^ (flip | sign));
}

// Whether an ordered key is a NaN's: NaNs sit beyond the keys of -inf and +inf.
template <class T>
inline bool is_nan_ordered_bits(OrderKey<T> u) {
  using U = OrderKey<T>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  constexpr U infinity_bits = U((sign - 1) ^ ((U(1) << (std::numeric_limits<T>::digits - 1)) - 1));
  constexpr U high = U(infinity_bits | sign), low = U(~high);  // the keys of +inf and -inf
  return U(u - low) > U(high - low);
}

template <class T>
inline T float_from_ordered_bits(OrderKey<T> u) {
  using U = OrderKey<T>;
  constexpr U sign = U(U(1) << (8 * sizeof(T) - 1));
  const U bits = (u & sign) ? U(u ^ sign) : U(~u);
  T v;
  std::memcpy(&v, &bits, sizeof(T));
  return v;
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
