// sin and cos for float64 and float32 vectors on FMA machines (AVX2, AVX-512). The argument is
// reduced by q = round(x * 2/pi) with pi/2 in three parts of the type's precision, each product
// subtracted by one FMA: for |x| <= kMaxArgument the first difference is exact (x and q * C1 are
// multiples of C1's ULP and their difference is below 2) and the rest is good to ~2^-150
// (float32: ~2^-75), so r is accurate even next to the zeros of sin and cos. Then minimax
// polynomials on |r| <= pi/4 by quadrant: fdlibm's __kernel_sin/__kernel_cos (error < 2^-58),
// Cephes' sinf/cosf for float32. ~2x xsimd's speed; callers keep xsimd's path for vectors with
// a lane past kMaxArgument, inf or NaN.
#pragma once

#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "numfuse/ufuncs/simd_fma.hpp"

namespace numfuse::ufuncs::simd_sincos {

using simd_fma::fused;
template <class V>
constexpr bool kAvailable = simd_fma::kFmaDouble<V> || simd_fma::kFmaFloat<V>;

// float64: q < 2^17; float32: q < 2^14, so q * (C2 + C3) keeps r's error far below its ULP.
template <class V>
constexpr typename V::value_type kMaxArgument = sizeof(typename V::value_type) == 8 ? 1e5 : 16384.0f;

template <class V>
auto applies(const V& a) {
  return xsimd::abs(a) <= V(kMaxArgument<V>);  // false for NaN
}

// sin(a) (kCos false) or cos(a) (kCos true) from sin(r), cos(r) and the quadrant n of the sine
// (a = r + n pi/2): 0 sin r, 1 cos r, 2 -sin r, 3 -cos r.
template <bool kCos, class V, class I>
[[gnu::always_inline]] inline V by_quadrant(const V& a, const I& quadrant, const V& sin_r, const V& cos_r) {
  using T = typename V::value_type;
  // Bits all ones where n is odd, zero where even (a bit mask: as a float it is a NaN, which
  // compares unequal to nothing, so no comparison may make the choice).
  const V odd = xsimd::bitwise_cast<V>(I(0) - (quadrant & I(1)));
  const V magnitude = (cos_r & odd) | (sin_r & ~odd);
  const V sign = xsimd::bitwise_cast<V>((quadrant & I(2)) << (8 * sizeof(T) - 2));  // bit 1 of n to the sign
  // sin(-0) is -0: r = 0 + (-0) lost the sign.
  return xsimd::select(a == V(T(0)), kCos ? V(T(1)) : a, xsimd::bitwise_xor(magnitude, sign));
}

// sin(a) (kCos false) or cos(a) (kCos true) where applies(a) (callers check).
template <bool kCos, class V>
[[gnu::always_inline]] inline V sin_or_cos(const V& a) requires std::is_same_v<typename V::value_type, double> {
  using I = xsimd::batch<int64_t, typename V::arch_type>;
  const V shift(0x1.8p52);
  const V q_shifted = fused(a, V(6.36619772367581382433e-01), shift);  // a * 2/pi, rounded
  const V q = q_shifted - shift;
  const I quadrant = xsimd::bitwise_cast<I>(q_shifted) + I(kCos ? 1 : 0);  // cos(x) = sin(x + pi/2)
  V r = fused(q, V(-1.5707963267948966), a);  // pi/2 = C1 + C2 + C3, each rounded to 53 bits
  r = fused(q, V(-6.123233995736766e-17), r);
  r = fused(q, V(1.4973849048591698e-33), r);
  const V z = r * r;
  // fdlibm __kernel_sin: r + r^3 (S1 + z (S2 + ... + z S6))
  V s = fused(z, V(1.58969099521155010221e-10), V(-2.50507602534068634195e-08));
  s = fused(z, s, V(2.75573137070700676789e-06));
  s = fused(z, s, V(-1.98412698298579493134e-04));
  s = fused(z, s, V(8.33333333332248946124e-03));
  s = fused(z, s, V(-1.66666666666666324348e-01));
  const V sin_r = fused(r * z, s, r);
  // fdlibm __kernel_cos: w + (((1 - w) - z/2) + z^2 (C1 + z (C2 + ... + z C6))), w = 1 - z/2
  V c = fused(z, V(-1.13596475577881948265e-11), V(2.08757232129817482790e-09));
  c = fused(z, c, V(-2.75573143513906633035e-07));
  c = fused(z, c, V(2.48015872894767294178e-05));
  c = fused(z, c, V(-1.38888888888741095749e-03));
  c = fused(z, c, V(4.16666666666666019037e-02));
  const V hz = V(0.5) * z;
  const V w = V(1.0) - hz;
  const V cos_r = w + fused(z * z, c, (V(1.0) - w) - hz);
  return by_quadrant<kCos>(a, quadrant, sin_r, cos_r);
}

// float32, 8 or 16 lanes: the same reduction in float32 (pi/2 in three 24-bit parts) and
// Cephes' sinf/cosf polynomials (error < 1.5 ULP of the exact value; xsimd's own float32 kernel
// is ~1.7x slower).
template <bool kCos, class V>
[[gnu::always_inline]] inline V sin_or_cos(const V& a) requires std::is_same_v<typename V::value_type, float> {
  using I = xsimd::batch<int32_t, typename V::arch_type>;
  const V shift(0x1.8p23f);
  const V q_shifted = fused(a, V(0x1.45f306p-1f), shift);  // a * 2/pi, rounded
  const V q = q_shifted - shift;
  const I quadrant = xsimd::bitwise_cast<I>(q_shifted) + I(kCos ? 1 : 0);
  V r = fused(q, V(-0x1.921fb6p+0f), a);
  r = fused(q, V(0x1.777a5cp-25f), r);
  r = fused(q, V(0x1.ee59dap-50f), r);
  const V z = r * r;
  const V s = fused(fused(z, V(-1.9515295891e-4f), V(8.3321608736e-3f)), z, V(-1.6666654611e-1f));
  const V sin_r = fused(r * z, s, r);
  const V c = fused(fused(z, V(2.443315711809948e-5f), V(-1.388731625493765e-3f)), z, V(4.166664568298827e-2f));
  const V hz = V(0.5f) * z;
  const V w = V(1.0f) - hz;
  const V cos_r = w + fused(z * z, c, (V(1.0f) - w) - hz);
  return by_quadrant<kCos>(a, quadrant, sin_r, cos_r);
}

}  // namespace numfuse::ufuncs::simd_sincos
