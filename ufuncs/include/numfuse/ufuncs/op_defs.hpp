// The definitions behind the op table: for every op, `scalar(...)` (any supported loop dtype,
// the reference semantics, NumPy's) and, for float32/float64, optionally `simd(...)` over xsimd
// batches with `kSimd = true`. Kernels (kernel_loops.hpp) are stamped out from these; the JIT's
// interpreter calls the same kernels. Output types follow from scalar()'s return type.
#pragma once

#include <cstring>

#include <xsimd/xsimd.hpp>

#include <cmath>
#include <complex>

#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "numfuse/ufuncs/scalar_math.hpp"
#include "numfuse/ufuncs/simd_exp_log.hpp"
#include "numfuse/ufuncs/simd_sincos.hpp"
#include "numfuse/ufuncs/simd_tanh.hpp"

namespace numfuse::ufuncs {

template <OpId op> struct Def;

#define NF_DEF(id) template <> struct Def<OpId::id>
#define NF_SIMD1(expr) \
  static constexpr bool kSimd = true; \
  template <class V> static V simd(const V& a) { return expr; }
#define NF_SIMD2(expr) \
  static constexpr bool kSimd = true; \
  template <class V> static V simd(const V& a, const V& b) { return expr; }
// Ops whose one formula serves scalars of every supported type.
#define NF_SAME1(id, expr) NF_DEF(id) { template <class T> static T scalar(T a) { return expr; } };

using namespace sm;  // NOLINT: the helpers are the vocabulary of this file

// ---- floating-point flags (fp_status.hpp, fp_hardware() at the end) -------------------------
// Ops whose kernels' hardware flags are not NumPy's (xsimd's branch-free polynomials raise
// flags in lanes they discard, compiled comparisons signal on NaN, integer code raises none):
// NF_FP_QUIET: the op reports nothing (as NumPy's never does for these inputs);
// NF_FP_RULE(T, args, expr): NumPy's flags, computed per element from the inputs for the loop
// types T the requires-clause admits (run before the kernel: the output may alias an input).
#define NF_FP_QUIET static constexpr bool kFpHardware = false;
#define NF_FP_RULE(concept_, params, expr) \
  NF_FP_QUIET template <class T> requires concept_<T> static int fp_rule params { return expr; }
template <class T> concept RealFloat = is_float_v<T>;
template <class T> concept Integer = is_int_v<T>;
template <class T> concept Complex = is_complex_v<T>;
namespace fp_rule {
using namespace fp;
// log-like: below the pole invalid, at it divide by zero.
template <class T> int below_pole(T a, T pole) { return kInvalid * (a < pole) | kDivide * (a == pole); }
#define NF_FP_LOG_RULE(pole)                                                                  \
  NF_FP_RULE(RealFloat, (T a), fp_rule::below_pole(a, T(pole)))                               \
  template <class T> requires Complex<T> static int fp_rule(T a) { return fp::kDivide * (a == T(pole)); }
// exp-like: a finite argument above `limit` (compared in double: exact for float32) overflows.
// Rules are branch-free (& and |, not && and ||) so that their loops vectorize.
template <class T> int overflows_above(T a, double limit) {
  return kOverflow * ((static_cast<double>(a) > limit) & (a < std::numeric_limits<T>::infinity()));
}
// Integer division and remainder by zero (NumPy: "divide by zero").
template <class T> int int_divide(T b) { return kDivide * (b == T(0)); }
}  // namespace fp_rule

// ---- corrections to xsimd 8.1's math where it departs from C99 / NumPy ----------------------
// (found by test_special_value_pairs: subnormal inputs, infinite pairs, overflow in hypot).
namespace simd_fix {

template <class V> using elem_t = typename V::value_type;
template <class V> V nan_v() { return V(std::numeric_limits<elem_t<V>>::quiet_NaN()); }
template <class V> V inf_v() { return V(std::numeric_limits<elem_t<V>>::infinity()); }
// 2^k scaling that brings subnormals into the normal range (and its exponent).
template <class V> constexpr int subnormal_shift() { return sizeof(elem_t<V>) == 8 ? 54 : 24; }

// f(x) for logarithms: subnormal x is scaled up by 2^k and k*log(2) subtracted afterwards.
template <class V, class F>
V log_of(const V& a, F f, elem_t<V> log_of_2) {
  constexpr int k = subnormal_shift<V>();
  const auto tiny = a < V(std::numeric_limits<elem_t<V>>::min()) && a > V(0);
  const V scaled = xsimd::select(tiny, a * V(std::ldexp(elem_t<V>(1), k)), a);
  const V r = f(scaled);
  return xsimd::select(tiny, r - V(elem_t<V>(k) * log_of_2), r);
}

// Natural log: the table-driven float64 kernel where it applies, otherwise xsimd's (subnormals
// scaled as above; zero, negatives, inf and NaN as xsimd gives them).
template <class V> [[gnu::always_inline]] inline V log(const V& a) {
  if constexpr (simd_exp_log::kAvailable<V>) {
    if (xsimd::all(simd_exp_log::log_applies(a))) return simd_exp_log::log(a);
  }
  return log_of(a, [](const V& x) { return xsimd::log(x); }, elem_t<V>(0.693147180559945309417232121458176568));
}

template <class V> V cbrt(const V& a) {
  constexpr int k = subnormal_shift<V>();  // divisible by 3
  const auto tiny = xsimd::abs(a) < V(std::numeric_limits<elem_t<V>>::min()) && a != V(0);
  const V r = xsimd::cbrt(xsimd::select(tiny, a * V(std::ldexp(elem_t<V>(1), k)), a));
  return xsimd::select(tiny, r * V(std::ldexp(elem_t<V>(1), -k / 3)), r);
}

// sqrt(a^2 + b^2) without overflow or underflow: both scaled by a power of two first.
template <class V> V hypot(const V& a, const V& b) {
  using T = elem_t<V>;
  const V x = xsimd::abs(a), y = xsimd::abs(b);
  const V m = xsimd::max(x, y);
  // Beyond 2^+-e the squares could overflow/underflow: scale into [2^-(e+40), 2^(e+40)].
  constexpr int e = sizeof(T) == 8 ? 500 : 60;
  constexpr int down = sizeof(T) == 8 ? 600 : 70, up = sizeof(T) == 8 ? 600 : 90;
  const V big = V(std::ldexp(T(1), e)), small = V(std::ldexp(T(1), -e));
  const V scale = xsimd::select(m > big, V(std::ldexp(T(1), -down)),
                                xsimd::select(m < small, V(std::ldexp(T(1), up)), V(1)));
  const V xs = x * scale, ys = y * scale;
  const V r = xsimd::sqrt(xsimd::fma(xs, xs, ys * ys)) / scale;
  return xsimd::select(xsimd::isinf(a) || xsimd::isinf(b), inf_v<V>(), r);
}

template <class V> V atan2(const V& a, const V& b) {
  using T = elem_t<V>;
  const V pi(T(3.141592653589793238462643383279502884));
  const auto b_negative = xsimd::copysign(V(1), b) < V(0);
  V r = xsimd::atan2(a, b);
  // atan2(+-0, +-0) = +-0 or +-pi
  r = xsimd::select(a == V(0) && b == V(0), xsimd::copysign(xsimd::select(b_negative, pi, V(0)), a), r);
  // atan2(+-inf, +-inf) = +-pi/4 or +-3pi/4
  r = xsimd::select(xsimd::isinf(a) && xsimd::isinf(b),
                    xsimd::copysign(xsimd::select(b_negative, V(T(0.75)) * pi, V(T(0.25)) * pi), a), r);
  return r;
}

// exp-like f where xsimd gives up early: results near overflow (xsimd returns inf below the real
// threshold) and subnormal results (xsimd flushes them to 0). Such lanes use
// f(x) = f(x - c) * 2^k * (1 + delta), where c is k*log_b(2) rounded (x - c is then exact: same
// binade) and delta = c - k*log_b(2) was computed offline in 60-digit arithmetic.
struct ExpShift {
  double c, delta;
  int k;
};
template <class V, class F>
V exp_wide(const V& a, F f, ExpShift high, ExpShift low, elem_t<V> hi_limit, elem_t<V> lo_limit) {
  using T = elem_t<V>;
  const auto is_high = a > V(hi_limit), is_low = a < V(lo_limit);
  // The common case, every lane in range: the shift below would be the identity (c = 0, delta = 0,
  // scale = 1), so f alone gives the same bits, for a fraction of the instructions.
  if (!xsimd::any(is_high | is_low)) return f(a);
  const V c = xsimd::select(is_high, V(T(high.c)), xsimd::select(is_low, V(T(low.c)), V(0)));
  const V delta = xsimd::select(is_high, V(T(high.delta)), xsimd::select(is_low, V(T(low.delta)), V(0)));
  const V scale = xsimd::select(is_high, V(std::ldexp(T(1), high.k)),
                                xsimd::select(is_low, V(std::ldexp(T(1), low.k)), V(1)));
  const V r = f(a - c);
  return xsimd::select(xsimd::isinf(r), r, xsimd::fma(r, delta, r)) * scale;
}
template <class V> [[gnu::always_inline]] inline V exp(const V& a) {
  auto f = [](const V& x) { return xsimd::exp(x); };
  if constexpr (sizeof(elem_t<V>) == 8) {
    if constexpr (simd_exp_log::kAvailable<V>) {
      if (xsimd::all(xsimd::abs(a) < V(708.0))) return simd_exp_log::exp(a);  // NaN lanes: below
    }
    return exp_wide(a, f, {5.545177444479577, 1.4913509389794537e-14, 8},
                    {-44.361419555836505, -5.621237396739354e-15, -64}, 709.0, -708.0);
  } else {
    return exp_wide(a, f, {5.545173645019531, -3.7994528132770734e-06, 8},
                    {-22.180709838867188, -6.094893574126208e-08, -32}, 88.0f, -87.0f);
  }
}
template <class V> V exp2(const V& a) {
  auto f = [](const V& x) { return xsimd::exp2(x); };
  if constexpr (sizeof(elem_t<V>) == 8) {
    return exp_wide(a, f, {8, 0, 8}, {-64, 0, -64}, 1023.0, -1022.0);
  } else {
    return exp_wide(a, f, {8, 0, 8}, {-32, 0, -32}, 127.0f, -126.0f);
  }
}
// expm1 and log1p are odd at 0: f(-0) is -0 (C99 Annex F, the array API's special cases), where
// xsimd's polynomials give +0. A zero argument is its own result.
template <class V> V keep_signed_zero(const V& a, const V& r) { return xsimd::select(a == V(0), a, r); }
template <class V> V expm1(const V& a) {  // beyond the overflow edge expm1(x) == exp(x)
  using T = elem_t<V>;
  const T edge = sizeof(T) == 8 ? T(709.0) : T(88.0f);
  return keep_signed_zero(a, xsimd::select(a > V(edge), simd_fix::exp(a), xsimd::expm1(a)));
}
template <class V> V log1p(const V& a) { return keep_signed_zero(a, xsimd::log1p(a)); }

// Near a zero (or a pole) of sin/cos/tan the result is far smaller (larger) than the argument
// and xsimd's argument reduction loses relative accuracy: those rare lanes use libm. The vector
// code is inlined into the kernel loop, the rare libm calls are not (inlined, their register
// saves and reloaded constants made every vector a function call: sin 3.2 -> 2.1 ns/element).
template <class V, class G>
[[gnu::noinline]] V trig_libm(const V& a, const V& r, G scalar_fn, bool pole) {
  using T = elem_t<V>;
  alignas(64) T x[V::size], y[V::size];
  a.store_aligned(x);
  r.store_aligned(y);
  for (std::size_t i = 0; i < V::size; ++i) {
    if (std::fabs(y[i]) < T(1e-4) || (pole && std::fabs(y[i]) > T(1e4))) y[i] = scalar_fn(x[i]);
  }
  return V::load_aligned(y);
}
template <class V, class F, class G>
[[gnu::always_inline]] inline V trig(const V& a, F simd_fn, G scalar_fn, bool pole) {
  using T = elem_t<V>;
  const V r = simd_fn(a);
  const V m = xsimd::abs(r);
  auto bad = m < V(T(1e-4)) && xsimd::abs(a) > V(T(1e-2));
  if (pole) bad = bad || m > V(T(1e4));
  return xsimd::any(bad) ? trig_libm(a, r, scalar_fn, pole) : r;
}

// sin / cos: the FMA kernel of simd_sincos.hpp where every lane is in its range (its reduction
// is accurate next to the zeros too: within 1 ULP of glibc (float64) / 1.5 ULP of the exact value
// (float32) at the floats nearest k pi/2, so no libm fixup), else xsimd's with trig()'s fixup.
template <bool kCos, class V> [[gnu::always_inline]] inline V xsimd_sin_or_cos(const V& a) {
  return trig(
      a, [](const V& x) { if constexpr (kCos) return xsimd::cos(x); else return xsimd::sin(x); },
      [](elem_t<V> x) { if constexpr (kCos) return std::cos(x); else return std::sin(x); }, false);
}
// Out of line: inlined, the rare path made the kernel loop call the whole op per vector.
template <bool kCos, class V> [[gnu::noinline]] V xsimd_sin_or_cos_call(const V& a) { return xsimd_sin_or_cos<kCos>(a); }
template <bool kCos, class V> [[gnu::always_inline]] inline V sin_or_cos(const V& a) {
  if constexpr (simd_sincos::kAvailable<V>) {
    return xsimd::all(simd_sincos::applies(a)) ? simd_sincos::sin_or_cos<kCos>(a) : xsimd_sin_or_cos_call<kCos>(a);
  } else {
    return xsimd_sin_or_cos<kCos>(a);
  }
}

// tanh: the FMA kernel of simd_tanh.hpp (every lane, special values included) where the batch
// type has it, else xsimd's.
template <class V> [[gnu::always_inline]] inline V tanh(const V& a) {
  if constexpr (simd_tanh::kAvailable<V>) return simd_tanh::tanh(a);
  else return xsimd::tanh(a);
}

}  // namespace simd_fix

// ---- arithmetic ----------------------------------------------------------------------------
NF_DEF(add) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_bool_v<T>) return a || b;
    else if constexpr (is_int_v<T>) return wrap_add(a, b);
    else return a + b;
  }
  NF_SIMD2(a + b)
};
NF_DEF(subtract) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_int_v<T>) return wrap_sub(a, b);
    else return a - b;
  }
  NF_SIMD2(a - b)
};
NF_DEF(multiply) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_bool_v<T>) return a && b;
    else if constexpr (is_int_v<T>) return wrap_mul(a, b);
    else if constexpr (is_complex_v<T>) return cmul(a, b);
    else return a * b;
  }
  NF_SIMD2(a * b)
};
NF_DEF(true_divide) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_complex_v<T>) return cdiv(a, b);
    else return a / b;
  }
  NF_SIMD2(a / b)
};
NF_DEF(floor_divide) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_int_v<T>) return int_floor_div(a, b);
    else { T mod; return float_divmod(a, b, &mod); }
  }
  NF_FP_QUIET
  template <class T> requires Integer<T> static int fp_rule(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
      return fp_rule::int_divide(b) | fp::kOverflow * ((a == std::numeric_limits<T>::min()) & (b == T(-1)));
    } else {
      return fp_rule::int_divide(b);
    }
  }
  // NumPy's npy_floor_divide: a / b when b is 0; fmod(inf, b) is invalid; a quotient beyond the
  // range overflows and its floor (inf - inf) is invalid. NaN operands raise nothing.
  template <class T> requires RealFloat<T> static int fp_rule(T a, T b) {
    const bool zero = b == T(0), finite = std::isfinite(a) & std::isfinite(b);
    const bool huge = !zero & finite & std::isinf(a / b);
    return fp::kInvalid * ((zero & (a == T(0))) | (!zero & std::isinf(a) & !std::isnan(b)) | huge) |
           fp::kDivide * (zero & std::isfinite(a) & (a != T(0))) | fp::kOverflow * huge;
  }
};
// NumPy's remainder and fmod flags: fmod(x, 0) and fmod(inf, y) are invalid, integer
// division by zero divides by zero; NaN operands raise nothing.
template <class T> requires RealFloat<T> int fmod_flags(T a, T b) {
  return fp::kInvalid * (!std::isnan(a) & !std::isnan(b) & ((b == T(0)) | std::isinf(a)));
}
NF_DEF(remainder) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_int_v<T>) return int_remainder(a, b);
    else { T mod; float_divmod(a, b, &mod); return mod; }
  }
  NF_FP_RULE(Integer, (T, T b), fp_rule::int_divide(b))
  template <class T> requires RealFloat<T> static int fp_rule(T a, T b) { return fmod_flags(a, b); }
};
NF_DEF(fmod) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_int_v<T>) return int_fmod(a, b);
    else return std::fmod(a, b);
  }
  NF_FP_RULE(Integer, (T, T b), fp_rule::int_divide(b))
  template <class T> requires RealFloat<T> static int fp_rule(T a, T b) { return fmod_flags(a, b); }
};
NF_DEF(power) {
  template <class T> static T scalar(T a, T b) {
    if constexpr (is_int_v<T>) {
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) throw_value_error("Integers to negative integer powers are not allowed.");
      }
      return int_power(a, b);
    } else if constexpr (is_complex_v<T>) {
      return cpow(a, b);
    } else {
      return std::pow(a, b);
    }
  }
};
// float64/complex128 loops only (the table's), otherwise power's formula.
NF_DEF(float_power) { template <class T> static T scalar(T a, T b) { return Def<OpId::power>::scalar(a, b); } };
NF_DEF(negative) {
  template <class T> static T scalar(T a) {
    if constexpr (is_int_v<T>) return wrap_neg(a);
    else return -a;
  }
  NF_SIMD1(-a)
};
NF_SAME1(positive, a)
NF_DEF(absolute) {
  template <class T> static auto scalar(T a) {
    if constexpr (is_complex_v<T>) {  // in double for complex64: correctly rounded as NumPy's
      using R = typename T::value_type;
      return static_cast<R>(std::hypot(double(a.real()), double(a.imag())));
    } else if constexpr (is_float_v<T>) {
      return std::fabs(a);
    } else if constexpr (std::is_signed_v<T>) {
      return a < 0 ? wrap_neg(a) : a;
    } else {
      return a;
    }
  }
  NF_SIMD1(xsimd::abs(a))
};
NF_DEF(fabs) { template <class T> static T scalar(T a) { return std::fabs(a); } NF_SIMD1(xsimd::abs(a)) };
NF_DEF(sign) {
  NF_FP_QUIET
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) {
      using R = typename T::value_type;
      if (cisnan(a)) return {std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN()};
      const R m = std::hypot(a.real(), a.imag());
      if (m == 0) return {0, 0};
      if (std::isinf(m)) {
        // One infinite part: NumPy's unit vector along it. Both infinite: z / |z| is inf / inf,
        // NaN (NumPy 2.4, and the array API's "rules of complex division").
        const bool re_inf = std::isinf(a.real()), im_inf = std::isinf(a.imag());
        if (re_inf && im_inf) return {std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN()};
        if (re_inf) return {std::copysign(R(1), a.real()), R(0)};
        if (im_inf) return {R(0), std::copysign(R(1), a.imag())};
        const R hr = a.real() / 2, hi = a.imag() / 2, hm = std::hypot(hr, hi);  // |z| overflowed
        return {hr / hm, hi / hm};
      }
      return {a.real() / m, a.imag() / m};
    } else if constexpr (is_float_v<T>) {
      return a > 0 ? T(1) : (a < 0 ? T(-1) : (a == 0 ? T(0) : a));
    } else {
      return static_cast<T>((a > 0) - (a < 0));
    }
  }
};
NF_DEF(reciprocal) {
  template <class T> static T scalar(T a) {
    if constexpr (is_int_v<T>) {
      // NumPy computes 1.0 / a and converts: 1/0 = inf becomes x86's "integer indefinite" for
      // 32- and 64-bit signed results and 0 for the narrower ones.
      if (a == 0) return (std::is_signed_v<T> && sizeof(T) >= 4) ? std::numeric_limits<T>::min() : T(0);
      return static_cast<T>(T(1) / a);
    }
    else if constexpr (is_complex_v<T>) return cdiv(T(1), a);
    else return T(1) / a;
  }
  // Integers: NumPy's 1.0 / 0 converted to an integer (float loops raise in hardware).
  template <class T> requires Integer<T> static int fp_rule(T a) { return (fp::kDivide | fp::kInvalid) * (a == T(0)); }
  NF_SIMD1(V(1) / a)
};
NF_DEF(square) {
  template <class T> static T scalar(T a) {
    if constexpr (is_int_v<T>) return wrap_mul(a, a);
    else if constexpr (is_complex_v<T>) return cmul(a, a);
    else return a * a;
  }
  NF_SIMD1(a * a)
};
NF_DEF(sqrt) { template <class T> static T scalar(T a) { return std::sqrt(a); } NF_SIMD1(xsimd::sqrt(a)) };
NF_DEF(cbrt) { template <class T> static T scalar(T a) { return std::cbrt(a); } NF_SIMD1(simd_fix::cbrt(a)) NF_FP_QUIET };

// ---- exponential and logarithm -------------------------------------------------------------
#define NF_MATH1(id, stdfn, simdfn) \
  NF_DEF(id) { template <class T> static T scalar(T a) { return stdfn(a); } NF_SIMD1(simdfn(a)) };

#define NF_MATH1_FP(id, stdfn, simdfn, rule) \
  NF_DEF(id) { template <class T> static T scalar(T a) { return stdfn(a); } NF_SIMD1(simdfn(a)) NF_FP_RULE(RealFloat, (T a), rule) };
// ln(max), log2(max), ln(2 max) of float32/float64: beyond them exp, exp2, sinh/cosh overflow.
inline constexpr double kLnMax[2] = {88.72283911167299, 709.7827128933839};
inline constexpr double kLog2Max[2] = {127.99999991400867, 1023.9999999999999};
inline constexpr double kLnTwiceMax[2] = {89.41598629223294, 710.4758600739439};
#define NF_EXP_LIMIT(table) table[sizeof(T) == 8]

NF_MATH1_FP(exp, std::exp, simd_fix::exp, fp_rule::overflows_above(a, NF_EXP_LIMIT(kLnMax)))
NF_DEF(exp2) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) return std::exp(a * typename T::value_type(0.693147180559945309417232121458176568));
    else return std::exp2(a);
  }
  NF_SIMD1(simd_fix::exp2(a))
  NF_FP_RULE(RealFloat, (T a), fp_rule::overflows_above(a, NF_EXP_LIMIT(kLog2Max)))
};
NF_DEF(expm1) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) {  // NumPy's formula keeps precision for small |a|
      using R = typename T::value_type;
      const R h = std::sin(a.imag() / 2);
      return {std::expm1(a.real()) * std::cos(a.imag()) - 2 * h * h, std::exp(a.real()) * std::sin(a.imag())};
    } else {
      return std::expm1(a);
    }
  }
  NF_SIMD1(simd_fix::expm1(a))
  NF_FP_RULE(RealFloat, (T a), fp_rule::overflows_above(a, NF_EXP_LIMIT(kLnMax)))
};
NF_DEF(log) {
  template <class T> static T scalar(T a) { return std::log(a); }
  NF_SIMD1(simd_fix::log(a))
  NF_FP_LOG_RULE(0)
};
NF_DEF(log2) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) return std::log(a) * typename T::value_type(1.442695040888963407359924681001892137);
    else return std::log2(a);
  }
  NF_SIMD1(simd_fix::log_of(a, [](const V& x) { return xsimd::log2(x); }, simd_fix::elem_t<V>(1)))
  NF_FP_LOG_RULE(0)
};
NF_DEF(log10) {
  template <class T> static T scalar(T a) { return std::log10(a); }
  NF_SIMD1(simd_fix::log_of(a, [](const V& x) { return xsimd::log10(x); }, simd_fix::elem_t<V>(0.301029995663981195213738894724493027)))
  NF_FP_LOG_RULE(0)
};
NF_DEF(log1p) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) {
      using R = typename T::value_type;
      return {std::log(std::hypot(a.real() + R(1), a.imag())), std::atan2(a.imag(), a.real() + R(1))};
    } else {
      return std::log1p(a);
    }
  }
  NF_SIMD1(simd_fix::log1p(a))
  NF_FP_LOG_RULE(-1)
};
// NumPy's logaddexp: a NaN operand is invalid, a difference of finite operands may overflow.
template <class T> int logaddexp_flags(T a, T b) {
  return fp::kInvalid * (std::isnan(a) | std::isnan(b)) |
         fp::kOverflow * (std::isfinite(a) & std::isfinite(b) & std::isinf(a - b));
}
NF_DEF(logaddexp) {
  template <class T> static T scalar(T a, T b) { return sm::logaddexp(a, b); }
  NF_FP_RULE(RealFloat, (T a, T b), logaddexp_flags(a, b))
};
NF_DEF(logaddexp2) {
  template <class T> static T scalar(T a, T b) { return sm::logaddexp2(a, b); }
  NF_FP_RULE(RealFloat, (T a, T b), logaddexp_flags(a, b))
};

// ---- trigonometric and hyperbolic ----------------------------------------------------------
#define NF_TRIG(id, stdfn, simd_expr)                                                         \
  NF_DEF(id) {                                                                                \
    template <class T> static T scalar(T a) { return stdfn(a); }                              \
    NF_SIMD1(simd_expr)                                                                       \
    NF_FP_RULE(RealFloat, (T a), fp::kInvalid * std::isinf(a))                                \
  };
NF_TRIG(sin, std::sin, simd_fix::sin_or_cos<false>(a))
NF_TRIG(cos, std::cos, simd_fix::sin_or_cos<true>(a))
NF_TRIG(tan, std::tan, simd_fix::trig(a, [](const V& x) { return xsimd::tan(x); },
                                      [](simd_fix::elem_t<V> x) { return std::tan(x); }, true))
#undef NF_TRIG
NF_MATH1_FP(arcsin, std::asin, xsimd::asin, fp::kInvalid * (std::fabs(a) > T(1)))
NF_MATH1_FP(arccos, std::acos, xsimd::acos, fp::kInvalid * (std::fabs(a) > T(1)))
NF_DEF(arctan) { template <class T> static T scalar(T a) { return std::atan(a); } NF_SIMD1(xsimd::atan(a)) NF_FP_QUIET };
NF_MATH1_FP(sinh, std::sinh, xsimd::sinh, fp_rule::overflows_above(std::fabs(a), NF_EXP_LIMIT(kLnTwiceMax)))
NF_MATH1_FP(cosh, std::cosh, xsimd::cosh, fp_rule::overflows_above(std::fabs(a), NF_EXP_LIMIT(kLnTwiceMax)))
NF_DEF(tanh) { template <class T> static T scalar(T a) { return std::tanh(a); } NF_SIMD1(simd_fix::tanh(a)) NF_FP_QUIET };
NF_DEF(arcsinh) { template <class T> static T scalar(T a) { return std::asinh(a); } NF_SIMD1(xsimd::asinh(a)) NF_FP_QUIET };
NF_DEF(arccosh) {
  template <class T> static T scalar(T a) { return std::acosh(a); }
  NF_SIMD1(xsimd::select(a < V(1), V(std::numeric_limits<typename V::value_type>::quiet_NaN()), xsimd::acosh(a)))
  NF_FP_RULE(RealFloat, (T a), fp::kInvalid * (a < T(1)))
};
NF_MATH1_FP(arctanh, std::atanh, xsimd::atanh,
            fp::kDivide * (std::fabs(a) == T(1)) | fp::kInvalid * (std::fabs(a) > T(1)))
#undef NF_MATH1_FP
#undef NF_EXP_LIMIT
NF_DEF(arctan2) { template <class T> static T scalar(T a, T b) { return std::atan2(a, b); } NF_SIMD2(simd_fix::atan2(a, b)) NF_FP_QUIET };
NF_DEF(hypot) { template <class T> static T scalar(T a, T b) { return std::hypot(a, b); } NF_SIMD2(simd_fix::hypot(a, b)) NF_FP_QUIET };
// NumPy's factors: pi/180 and 180/pi divided in the loop type (float32's 180/pi is then one ULP
// below the rounded constant).
template <class T> constexpr T kPi = T(3.141592653589793238462643383279502884);
NF_DEF(deg2rad) {
  template <class T> static T scalar(T a) { return a * (kPi<T> / T(180)); }
  NF_SIMD1(a * V(kPi<typename V::value_type> / typename V::value_type(180)))
};
NF_DEF(rad2deg) {
  template <class T> static T scalar(T a) { return a * (T(180) / kPi<T>); }
  NF_SIMD1(a * V(typename V::value_type(180) / kPi<typename V::value_type>))
};
// NumPy's radians/degrees are deg2rad/rad2deg under their older names, the same formulas.
NF_DEF(radians) : Def<OpId::deg2rad> {};
NF_DEF(degrees) : Def<OpId::rad2deg> {};

// ---- rounding and parts --------------------------------------------------------------------
#define NF_ROUND(id, stdfn, simdfn)                                   \
  NF_DEF(id) {                                                         \
    template <class T> static T scalar(T a) {                          \
      if constexpr (is_float_v<T>) return stdfn(a);                    \
      else return a;                                                   \
    }                                                                  \
    NF_SIMD1(simdfn(a))                                                \
  };
NF_ROUND(floor, std::floor, xsimd::floor)
NF_ROUND(ceil, std::ceil, xsimd::ceil)
NF_ROUND(trunc, std::trunc, xsimd::trunc)
NF_DEF(rint) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) return {std::nearbyint(a.real()), std::nearbyint(a.imag())};
    else return std::nearbyint(a);
  }
  NF_SIMD1(xsimd::nearbyint(a))
};
NF_DEF(copysign) { template <class T> static T scalar(T a, T b) { return std::copysign(a, b); } NF_SIMD2(xsimd::copysign(a, b)) };
NF_DEF(nextafter) { template <class T> static T scalar(T a, T b) { return std::nextafter(a, b); } };
// NumPy's spacing: the gap to the next float away from zero (-0.0 counts as positive); NaN for
// infinities.
NF_DEF(spacing) {
  template <class T> static T scalar(T a) {
    constexpr T inf = std::numeric_limits<T>::infinity();
    if (std::isinf(a)) return std::numeric_limits<T>::quiet_NaN();
    return std::nextafter(a, a < T(0) ? -inf : inf) - a;
  }
  NF_FP_QUIET
};
// heaviside(x, h0): 0 below zero, h0 at zero, 1 above, NaN (positive, fresh) for NaN as NumPy's.
NF_DEF(heaviside) {
  template <class T> static T scalar(T x, T h0) {
    if (std::isnan(x)) return std::numeric_limits<T>::quiet_NaN();
    return x == T(0) ? h0 : x < T(0) ? T(0) : T(1);
  }
  NF_SIMD2(xsimd::select(xsimd::isnan(a), simd_fix::nan_v<V>(),
                         xsimd::select(a == V(0), b, xsimd::select(a < V(0), V(0), V(1)))))
  NF_FP_QUIET
};
NF_DEF(signbit) { template <class T> static bool scalar(T a) { return std::signbit(a); } };
NF_DEF(conjugate) {
  template <class T> static T scalar(T a) {
    if constexpr (is_complex_v<T>) return std::conj(a);
    else return a;
  }
};
NF_DEF(real) {
  template <class T> static auto scalar(T a) {
    if constexpr (is_complex_v<T>) return a.real();
    else return a;
  }
};
NF_DEF(imag) {
  template <class T> static auto scalar(T a) {
    if constexpr (is_complex_v<T>) return a.imag();
    else return T(0);
  }
};
NF_DEF(angle) {
  template <class T> static auto scalar(T a) {
    if constexpr (is_complex_v<T>) return std::atan2(a.imag(), a.real());
    else return std::atan2(T(0), a);
  }
};

// ---- comparison and logic ------------------------------------------------------------------
#define NF_COMPARE(id, op, complex_expr)                               \
  NF_DEF(id) {                                                          \
    template <class T> static bool scalar(T a, T b) {                   \
      if constexpr (is_complex_v<T>) return complex_expr;               \
      else return a op b;                                               \
    }                                                                   \
    NF_FP_QUIET                                                         \
  };
NF_COMPARE(equal, ==, a == b)
NF_COMPARE(not_equal, !=, a != b)
NF_COMPARE(less, <, clt(a, b))
NF_COMPARE(less_equal, <=, cle(a, b))
NF_COMPARE(greater, >, clt(b, a))
NF_COMPARE(greater_equal, >=, cle(b, a))

template <class T> bool nonzero(T a) { return a != T(0); }
NF_DEF(logical_and) { template <class T> static bool scalar(T a, T b) { return nonzero(a) && nonzero(b); } };
NF_DEF(logical_or) { template <class T> static bool scalar(T a, T b) { return nonzero(a) || nonzero(b); } };
NF_DEF(logical_xor) { template <class T> static bool scalar(T a, T b) { return nonzero(a) != nonzero(b); } };
NF_DEF(logical_not) { template <class T> static bool scalar(T a) { return !nonzero(a); } };
NF_DEF(isnan) {
  template <class T> static bool scalar(T a) {
    if constexpr (is_complex_v<T>) return cisnan(a);
    else if constexpr (is_float_v<T>) return std::isnan(a);
    else return false;
  }
};
NF_DEF(isinf) {
  template <class T> static bool scalar(T a) {
    if constexpr (is_complex_v<T>) return std::isinf(a.real()) || std::isinf(a.imag());
    else if constexpr (is_float_v<T>) return std::isinf(a);
    else return false;
  }
};
NF_DEF(isfinite) {
  template <class T> static bool scalar(T a) {
    if constexpr (is_complex_v<T>) return std::isfinite(a.real()) && std::isfinite(a.imag());
    else if constexpr (is_float_v<T>) return std::isfinite(a);
    else return true;
  }
};

// maximum/minimum propagate NaN (the first NaN wins); fmax/fmin ignore it unless both are NaN.
template <class T> bool is_nan_any(T a) {
  if constexpr (is_complex_v<T>) return cisnan(a);
  else if constexpr (is_float_v<T>) return std::isnan(a);
  else return false;
}
template <class T> bool ge(T a, T b) {
  if constexpr (is_complex_v<T>) return cle(b, a);
  else return a >= b;
}
template <class T> bool le(T a, T b) {
  if constexpr (is_complex_v<T>) return cle(a, b);
  else return a <= b;
}
NF_DEF(maximum) {
  template <class T> static T scalar(T a, T b) { return (ge(a, b) || is_nan_any(a)) ? a : b; }
  NF_SIMD2(xsimd::select(a >= b || xsimd::isnan(a), a, b))
  NF_FP_QUIET
};
NF_DEF(minimum) {
  template <class T> static T scalar(T a, T b) { return (le(a, b) || is_nan_any(a)) ? a : b; }
  NF_SIMD2(xsimd::select(a <= b || xsimd::isnan(a), a, b))
  NF_FP_QUIET
};
NF_DEF(fmax) {
  template <class T> static T scalar(T a, T b) { return (ge(a, b) || is_nan_any(b)) ? a : b; }
  NF_SIMD2(xsimd::select(a >= b || xsimd::isnan(b), a, b))
  NF_FP_QUIET
};
NF_DEF(fmin) {
  template <class T> static T scalar(T a, T b) { return (le(a, b) || is_nan_any(b)) ? a : b; }
  NF_SIMD2(xsimd::select(a <= b || xsimd::isnan(b), a, b))
  NF_FP_QUIET
};
NF_DEF(clip) {
  template <class T> static T scalar(T a, T lo, T hi) {
    return Def<OpId::minimum>::scalar(Def<OpId::maximum>::scalar(a, lo), hi);
  }
  NF_FP_QUIET
};
NF_DEF(where) {
  // Floats are selected on their bit patterns: `c ? x : y` on FP registers compiles to a branch,
  // which random masks mispredict half the time; the mask arithmetic is branch-free.
  template <class T> static T scalar(bool c, T x, T y) {
    if constexpr (std::is_floating_point_v<T>) {
      using U = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
      U xb, yb;
      std::memcpy(&xb, &x, sizeof(T));
      std::memcpy(&yb, &y, sizeof(T));
      const U mask = U(0) - static_cast<U>(c);
      const U r = (xb & mask) | (yb & ~mask);
      T out;
      std::memcpy(&out, &r, sizeof(T));
      return out;
    } else {
      return c ? x : y;
    }
  }
};

// ---- bitwise -------------------------------------------------------------------------------
NF_DEF(bitwise_and) { template <class T> static T scalar(T a, T b) { return static_cast<T>(a & b); } };
NF_DEF(bitwise_or) { template <class T> static T scalar(T a, T b) { return static_cast<T>(a | b); } };
NF_DEF(bitwise_xor) { template <class T> static T scalar(T a, T b) { return static_cast<T>(a ^ b); } };
NF_DEF(invert) {
  template <class T> static T scalar(T a) {
    if constexpr (is_bool_v<T>) return !a;
    else return static_cast<T>(~a);
  }
};
NF_DEF(left_shift) { template <class T> static T scalar(T a, T b) { return sm::left_shift(a, b); } };
NF_DEF(right_shift) { template <class T> static T scalar(T a, T b) { return sm::right_shift(a, b); } };

// ---- number theory -------------------------------------------------------------------------
// NumPy's gcd/lcm: Euclid on the magnitudes in the unsigned type of the same width, so the
// magnitude of the most negative value and lcm's overflow wrap as NumPy's do.
template <class T> auto magnitude(T a) {
  using U = std::make_unsigned_t<T>;
  if constexpr (std::is_signed_v<T>) return a < 0 ? U(U(0) - U(a)) : U(a);
  else return a;
}
template <class U> U unsigned_gcd(U a, U b) {
  while (a != 0) {
    const U r = U(b % a);
    b = a;
    a = r;
  }
  return b;
}
NF_DEF(gcd) { template <class T> static T scalar(T a, T b) { return T(unsigned_gcd(magnitude(a), magnitude(b))); } };
NF_DEF(lcm) {
  template <class T> static T scalar(T a, T b) {
    const auto x = magnitude(a), y = magnitude(b);
    const auto g = unsigned_gcd(x, y);
    return g == 0 ? T(0) : T(decltype(x)(x / g * y));
  }
};

#undef NF_DEF
#undef NF_SIMD1
#undef NF_SIMD2
#undef NF_SAME1
#undef NF_MATH1
#undef NF_ROUND
#undef NF_COMPARE
#undef NF_FP_QUIET
#undef NF_FP_RULE
#undef NF_FP_LOG_RULE

// Floating-point flags (fp_status.hpp): a Def with `kFpHardware = false` has kernels whose IEEE
// hardware flags are not NumPy's (they are dropped); its `fp_rule(inputs...)`, where given,
// returns NumPy's fp:: flags for one element instead (kernels.cpp runs it per block).
template <class D> constexpr bool fp_hardware() {
  if constexpr (requires { D::kFpHardware; }) return D::kFpHardware;
  else return true;
}

// kSimd defaults to false for ops without a simd() definition.
template <class D, class = void> struct has_simd : std::false_type {};
template <class D> struct has_simd<D, std::void_t<decltype(D::kSimd)>> : std::bool_constant<D::kSimd> {};

}  // namespace numfuse::ufuncs
