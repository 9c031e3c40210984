// Table-driven exp and log for float64 vectors on FMA machines (AVX2, AVX-512): the methods of
// glibc's and ARM's optimized-routines (N = 128 table entries, a short polynomial on a tiny
// reduced argument), in xsimd. xsimd's own are 2-3x slower (log uses a division, exp a long
// polynomial). Error <= 1 ULP (test_ufuncs_accuracy.py checks the documented bound over ~1M
// points per op); the callers keep their previous path for lanes outside the plain range
// (overflow, subnormal results or arguments, zero, negative, inf, NaN), so special values and
// floating-point flags are unchanged.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "numfuse/ufuncs/simd_fma.hpp"

namespace numfuse::ufuncs::simd_exp_log {

using simd_fma::fused;
template <class V>
constexpr bool kAvailable = simd_fma::kFmaDouble<V>;

inline constexpr int kTableBits = 7;
inline constexpr int kTableSize = 1 << kTableBits;

struct Tables {
  alignas(64) double exp2_frac[kTableSize];  // 2^(j/N), rounded
  alignas(64) double invc[kTableSize];       // 1/c, c the centre of log's interval j
  alignas(64) double logc[kTableSize];       // log(c) = -log(invc), correctly rounded
};

// Built at load time, in long double (64-bit significands: the doubles are correctly rounded).
// A plain global: kernels read it per vector, so no function call or initialization guard.
extern const Tables kTables;
inline const Tables& tables() { return kTables; }

#define NF_ALWAYS_INLINE [[gnu::always_inline]] inline

// The bits of log's argument split as glibc does: x = 2^k z, z in [kLogOff, 2 kLogOff) (as bits).
inline constexpr uint64_t kLogOff = 0x3fe6000000000000ULL;

// The gather instruction: xsimd 8.1's gather loads lane by lane, ~35% of exp's and log's time
// on this project's AVX2 machines (AMD EPYC).
template <class V>
NF_ALWAYS_INLINE V gather(const double* table, const xsimd::batch<int64_t, typename V::arch_type>& index) {
#if defined(__AVX512F__)
  if constexpr (std::is_same_v<typename V::arch_type, xsimd::avx512f>) return _mm512_i64gather_pd(index, table, 8);
#endif
#if defined(__AVX2__)
  if constexpr (std::is_same_v<typename V::arch_type, xsimd::avx2>) return _mm256_i64gather_pd(table, index, 8);
#endif
  return V::gather(table, index);
}

// exp(a) for lanes with |a| < 708 (callers check): a = (k N + j) ln2/N + r, |r| <= ln2/(2N);
// exp(a) = 2^k 2^(j/N) (1 + p(r)), p a degree-5 Taylor polynomial (error < 2^-60 on |r|).
template <class V>
NF_ALWAYS_INLINE V exp(const V& a) {
  using I = xsimd::batch<int64_t, typename V::arch_type>;
  const Tables& t = tables();
  const V shift(0x1.8p52);  // adding it rounds to an integer held in the low mantissa bits
  const V kd_shifted = fused(a, V(184.6649652337873), shift);  // a * N/ln2
  const V kd = kd_shifted - shift;
  const I ki = xsimd::bitwise_cast<I>(kd_shifted);  // k N + j in the low bits (two's complement)
  V r = fused(kd, V(-0.0054152123482253955), a);  // ln2/N split: hi has 35 bits, kd * hi is exact
  r = fused(kd, V(1.0082281460997769e-13), r);
  const V r2 = r * r;
  // 1 + r + r^2/2 + r^3/6 + r^4/24 + r^5/120, as r + r^2 (1/2 + r/6) + r^4 (1/24 + r/120) + 1.
  const V p_low = fused(r, V(1.0 / 6.0), V(0.5));
  const V p_high = fused(r, V(1.0 / 120.0), V(1.0 / 24.0));
  const V p = fused(r2 * r2, p_high, fused(r2, p_low, r));
  const I j = ki & I(kTableSize - 1);  // the shift's low bits are zero: k N + j's low bits
  const V scale = gather<V>(t.exp2_frac, j);
  const V y = fused(scale, p, scale);
  // 2^k: k added to the exponent field (the result is a normal number for |a| < 708). The
  // shift's own bits (from bit 51 up) leave the word in the shift.
  const I k = (ki - j) << (52 - kTableBits);
  return xsimd::bitwise_cast<V>(xsimd::bitwise_cast<I>(y) + k);
}

// Whether log_normal() below applies to a: a normal, positive, finite number.
template <class V>
auto log_applies(const V& a) {
  return (a >= V(0x1p-1022)) & (a <= V(0x1.fffffffffffffp1023));
}

// log(a) within 2^-5 of 1, where log(c) + log1p(r) below would cancel (glibc also has a separate
// polynomial there): r = a - 1 is exact (Sterbenz), log(1 + r) = r + r^2 (-1/2 + r/3 - r^2/4 +
// ... - r^10/12), the Taylor series (truncation < 2^-60 of the result; the r^2 term is below
// 2^-6 of it, so its rounding errors hardly count).
template <class V>
NF_ALWAYS_INLINE V log_near_one(const V& a) {
  const V r = a - V(1.0);
  V p = fused(r, V(-1.0 / 12.0), V(1.0 / 11.0));
  p = fused(r, p, V(-1.0 / 10.0));
  p = fused(r, p, V(1.0 / 9.0));
  p = fused(r, p, V(-1.0 / 8.0));
  p = fused(r, p, V(1.0 / 7.0));
  p = fused(r, p, V(-1.0 / 6.0));
  p = fused(r, p, V(1.0 / 5.0));
  p = fused(r, p, V(-1.0 / 4.0));
  p = fused(r, p, V(1.0 / 3.0));
  p = fused(r, p, V(-1.0 / 2.0));
  return fused(r * r, p, r);
}

// log(a) away from 1 (callers check log_applies): a = 2^k z, z in [kLogOff, 2 kLogOff), z = c (1 + r)
// with c the centre of z's interval (its top 7 mantissa bits), |r| <= 2^-8; log(a) = k ln2 +
// log(c) + log1p(r), log1p(r) = r - r^2/2 + ... + r^7/7 (truncation < 2^-67 of the result).
template <class V>
NF_ALWAYS_INLINE V log_normal(const V& a) {
  using U = xsimd::batch<uint64_t, typename V::arch_type>;
  using I = xsimd::batch<int64_t, typename V::arch_type>;
  const Tables& t = tables();
  const U ix = xsimd::bitwise_cast<U>(a);
  const U tmp = ix - U(kLogOff);  // modulo 2^64: negative below kLogOff's binade
  const I index = xsimd::bitwise_cast<I>((tmp >> (52 - kTableBits)) & U(kTableSize - 1));
  // k = tmp >> 52 as a signed shift, made logical by a bias (AVX2 has no 64-bit arithmetic
  // shift), then converted to double through the 1.5 * 2^52 trick (nor a 64-bit int -> double).
  const U k_biased = (tmp + U(uint64_t(0x400) << 52)) >> 52;  // k + 0x400, in [0, 0x800)
  const V kd = xsimd::bitwise_cast<V>(k_biased + xsimd::bitwise_cast<U>(V(0x1.8p52))) -
               V(0x1.8p52 + 0x400);
  const V z = xsimd::bitwise_cast<V>(ix - (tmp & U(uint64_t(0xfff) << 52)));
  const V invc = gather<V>(t.invc, index);
  const V logc = gather<V>(t.logc, index);
  const V r = fused(z, invc, V(-1.0));  // exact: z * invc is within 2^-8 of 1
  // k ln2 + log(c) in hi + lo (fdlibm's ln2 split: kd * ln2_hi is exact for |k| < 2^21).
  const V w = fused(kd, V(6.93147180369123816490e-01), logc);
  const V hi = w + r;
  const V lo = fused(kd, V(1.90821492927058770002e-10), (w - hi) + r);
  const V r2 = r * r;
  // -r^2/2 + r^3/3 - r^4/4 + r^5/5 - r^6/6 + r^7/7
  const V q1 = fused(r, V(1.0 / 3.0), V(-0.5));
  const V q2 = fused(r, V(1.0 / 5.0), V(-0.25));
  const V q3 = fused(r, V(1.0 / 7.0), V(-1.0 / 6.0));
  const V q = fused(r2, fused(r2, q3, q2), q1);
  return fused(r2, q, lo) + hi;
}

// log(a) where log_applies (callers check).
template <class V>
NF_ALWAYS_INLINE V log(const V& a) {
  const V y = log_normal(a);
  const auto near_one = xsimd::abs(a - V(1.0)) < V(0x1p-5);
  return xsimd::any(near_one) ? xsimd::select(near_one, log_near_one(a), y) : y;
}

#undef NF_ALWAYS_INLINE

}  // namespace numfuse::ufuncs::simd_exp_log
