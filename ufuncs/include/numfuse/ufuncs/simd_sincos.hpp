// sin and cos for float64 vectors on FMA machines (AVX2, AVX-512): fdlibm's kernels in xsimd.
// The argument is reduced by q = round(x * 2/pi) with pi/2 in three 53-bit parts, each product
// subtracted by one FMA: for |x| <= kMaxArgument the first difference is exact (x and q * C1 are
// multiples of 2^-52 and their difference is below 1) and the rest is good to ~2^-150, so r is
// accurate even next to the zeros of sin and cos. Then fdlibm's __kernel_sin/__kernel_cos
// minimax polynomials on |r| <= pi/4 (error < 2^-58) by quadrant. ~2x xsimd's speed; callers
// keep xsimd's path for vectors with a lane past kMaxArgument, inf or NaN.
#pragma once

#include <xsimd/xsimd.hpp>

#include "numfuse/ufuncs/simd_fma.hpp"

namespace numfuse::ufuncs::simd_sincos {

using simd_fma::fused;
template <class V>
constexpr bool kAvailable = simd_fma::kFmaDouble<V>;

inline constexpr double kMaxArgument = 1e5;  // q < 2^17: q * C1 stays exact enough (see above)

template <class V>
auto applies(const V& a) {
  return xsimd::abs(a) <= V(kMaxArgument);  // false for NaN
}

// sin(a) (kCos false) or cos(a) (kCos true) where applies(a) (callers check).
template <bool kCos, class V>
[[gnu::always_inline]] inline V sin_or_cos(const V& a) {
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
  // Quadrant n (of the sine): 0 sin r, 1 cos r, 2 -sin r, 3 -cos r.
  // Bits all ones where n is odd, zero where even (a bit mask: as a double it is a NaN, which
  // compares unequal to nothing, so no comparison may make the choice).
  const V odd = xsimd::bitwise_cast<V>(I(0) - (quadrant & I(1)));
  const V magnitude = (cos_r & odd) | (sin_r & ~odd);
  const V sign = xsimd::bitwise_cast<V>((quadrant & I(2)) << 62);  // bit 1 of n to the sign bit
  // sin(-0) is -0: r = 0 + (-0) lost the sign.
  return xsimd::select(a == V(0), kCos ? V(1.0) : a, xsimd::bitwise_xor(magnitude, sign));
}

}  // namespace numfuse::ufuncs::simd_sincos
