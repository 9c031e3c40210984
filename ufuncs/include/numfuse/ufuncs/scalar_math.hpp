// Scalar helpers shared by the op functors: wrap-around integer arithmetic (C++ signed overflow
// is undefined; NumPy wraps), Python-style integer division, NumPy's float divmod, and complex
// formulas that follow NumPy's own (naive multiply, Smith's division).
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace numfuse::ufuncs::sm {

template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};
template <class T> inline constexpr bool is_complex_v = is_complex<T>::value;
template <class T> inline constexpr bool is_bool_v = std::is_same_v<T, bool>;
template <class T> inline constexpr bool is_int_v = std::is_integral_v<T> && !is_bool_v<T>;
template <class T> inline constexpr bool is_float_v = std::is_floating_point_v<T>;

// Unsigned type at least as wide as int, so that arithmetic never promotes to signed int.
template <class T>
using wrap_t = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <class T> T wrap_add(T a, T b) { return static_cast<T>(wrap_t<T>(a) + wrap_t<T>(b)); }
template <class T> T wrap_sub(T a, T b) { return static_cast<T>(wrap_t<T>(a) - wrap_t<T>(b)); }
template <class T> T wrap_mul(T a, T b) { return static_cast<T>(wrap_t<T>(a) * wrap_t<T>(b)); }
template <class T> T wrap_neg(T a) { return static_cast<T>(wrap_t<T>(0) - wrap_t<T>(a)); }

// Integer floor division as NumPy: x // 0 == 0, MIN // -1 == MIN (wraps).
template <class T> T int_floor_div(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == -1) return wrap_neg(a);
    T q = static_cast<T>(a / b);
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  } else {
    return static_cast<T>(a / b);
  }
}

// Integer remainder with the divisor's sign (Python's %); x % 0 == 0.
template <class T> T int_remainder(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == -1) return 0;
    T r = static_cast<T>(a % b);
    if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    return r;
  } else {
    return static_cast<T>(a % b);
  }
}

// C's truncated remainder; x fmod 0 == 0.
template <class T> T int_fmod(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == -1) return 0;
  }
  return static_cast<T>(a % b);
}

// NumPy's npy_divmod for floats: floor quotient and the remainder with the divisor's sign.
template <class T> T float_divmod(T a, T b, T* modulus) {
  T mod = std::fmod(a, b);
  if (b == 0) {
    *modulus = mod;
    return a / b;
  }
  T div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= T(1);
    }
  } else {
    mod = std::copysign(T(0), b);
  }
  T floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
  } else {
    floordiv = std::copysign(T(0), a / b);
  }
  *modulus = mod;
  return floordiv;
}

template <class T> T int_power(T base, T exp) {
  T result = 1;
  while (exp != 0) {
    if (exp & 1) result = wrap_mul(result, base);
    base = wrap_mul(base, base);
    exp = static_cast<T>(exp >> 1);
  }
  return result;
}

// NumPy's shifts: a shift by the type's width or more (or a negative one) gives 0, or -1 for a
// right shift of a negative number.
template <class T> T left_shift(T a, T b) {
  if (static_cast<std::make_unsigned_t<T>>(b) >= sizeof(T) * 8) return 0;
  return static_cast<T>(wrap_t<T>(a) << b);
}
template <class T> T right_shift(T a, T b) {
  if (static_cast<std::make_unsigned_t<T>>(b) >= sizeof(T) * 8) {
    if constexpr (std::is_signed_v<T>) return a < 0 ? T(-1) : T(0);
    return 0;
  }
  return static_cast<T>(a >> b);
}

template <class R> std::complex<R> cmul(std::complex<R> a, std::complex<R> b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// Smith's algorithm, as NumPy divides complex numbers.
template <class R> std::complex<R> cdiv(std::complex<R> a, std::complex<R> b) {
  const R ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
  const R abs_br = std::fabs(br), abs_bi = std::fabs(bi);
  if (abs_br >= abs_bi) {
    if (abs_br == 0 && abs_bi == 0) return {ar / abs_br, ai / abs_br};
    const R rat = bi / br, scl = R(1) / (br + bi * rat);
    return {(ar + ai * rat) * scl, (ai - ar * rat) * scl};
  }
  const R rat = br / bi, scl = R(1) / (bi + br * rat);
  return {(ar * rat + ai) * scl, (ai * rat - ar) * scl};
}

// NumPy's complex power: exact repeated multiplication for small integer exponents.
template <class R> std::complex<R> cpow(std::complex<R> a, std::complex<R> b) {
  if (b.real() == 0 && b.imag() == 0) return {1, 0};
  if (a.real() == 0 && a.imag() == 0) {
    if (b.real() > 0 && b.imag() == 0) return {0, 0};
    return {std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN()};
  }
  if (b.imag() == 0 && b.real() == std::trunc(b.real()) && std::fabs(b.real()) < 100) {
    long n = static_cast<long>(b.real());
    long m = n < 0 ? -n : n;
    std::complex<R> result{1, 0}, base = a;
    while (m) {
      if (m & 1) result = cmul(result, base);
      base = cmul(base, base);
      m >>= 1;
    }
    return n < 0 ? cdiv(std::complex<R>{1, 0}, result) : result;
  }
  return std::pow(a, b);
}

// Lexicographic order of complex numbers (NumPy's comparisons, maximum, minimum; npymath's
// CLT/CLE): a NaN imaginary part makes the real parts' order void too, so 1 > nan j is false.
template <class R> bool clt(std::complex<R> a, std::complex<R> b) {
  const bool ordered_imag = !std::isnan(a.imag()) && !std::isnan(b.imag());
  return (a.real() < b.real() && ordered_imag) || (a.real() == b.real() && a.imag() < b.imag());
}
template <class R> bool cle(std::complex<R> a, std::complex<R> b) {
  const bool ordered_imag = !std::isnan(a.imag()) && !std::isnan(b.imag());
  return (a.real() < b.real() && ordered_imag) || (a.real() == b.real() && a.imag() <= b.imag());
}
template <class R> bool cisnan(std::complex<R> a) { return std::isnan(a.real()) || std::isnan(a.imag()); }

// logaddexp(x, y) = log(exp(x) + exp(y)) without overflow (NumPy's formulation).
template <class T> T logaddexp(T x, T y) {
  if (x == y) return x + T(0.693147180559945309417232121458176568);  // also inf + inf
  const T d = x - y;
  if (d > 0) return x + std::log1p(std::exp(-d));
  if (d <= 0) return y + std::log1p(std::exp(d));
  return d;  // nan
}
template <class T> T logaddexp2(T x, T y) {
  constexpr T log2e = T(1.442695040888963407359924681001892137);
  if (x == y) return x + 1;
  const T d = x - y;
  if (d > 0) return x + log2e * std::log1p(std::exp2(-d));
  if (d <= 0) return y + log2e * std::log1p(std::exp2(d));
  return d;
}

}  // namespace numfuse::ufuncs::sm
