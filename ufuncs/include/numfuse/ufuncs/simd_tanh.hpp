// tanh for float64 vectors on FMA machines (AVX2, AVX-512), every lane on one branch-free path
// (xsimd's computes both of its branches with two divisions and its slow exp where a vector
// mixes small and large arguments):
//   |x| <  0.55: x + x^3 P(x^2) / Q(x^2), Cephes' rational (also xsimd's small-argument kernel;
//                relative error < 2.5e-16; the x^3 term is below a tenth of the result);
//   |x| >= 0.55: 1 - 2 / (exp(2|x|) + 1) on the table-driven exp (no cancellation: exp(2|x|) >= 3).
// The two quotients share one division. The sign is applied last, so tanh(-0) = -0; tiny and
// subnormal x give x (x^3 underflows to 0); +-inf give +-1, NaN stays NaN. Within 2 ULP of NumPy.
#pragma once

#include <xsimd/xsimd.hpp>

#include "numfuse/ufuncs/simd_exp_log.hpp"
#include "numfuse/ufuncs/simd_fma.hpp"

namespace numfuse::ufuncs::simd_tanh {

using simd_fma::fused;
template <class V>
constexpr bool kAvailable = simd_exp_log::kAvailable<V>;

inline constexpr double kSmall = 0.55;  // below: the rational; from here: the exp formula

template <class V>
[[gnu::always_inline]] inline V tanh(const V& a) {
  const V m = xsimd::abs(a);
  const V z = m * m;
  const auto small = m < V(kSmall);
  const V p = fused(z, fused(z, V(-9.64399179425052238628e-1), V(-9.92877231001918586564e1)),
                    V(-1.61468768441708447952e3));
  const V q = fused(z, fused(z, z + V(1.12811678491632931402e2), V(2.23548839060100448583e3)),
                    V(4.84406305325125486048e3));
  V base = m, numerator = m * z * p, denominator = q;
  if (!xsimd::all(small)) {
    // tanh(22) rounds to 1; the clamp also keeps inf and NaN lanes inside exp's range (NaN: min
    // returns its second operand) and NaN lanes are restored below.
    const V e = simd_exp_log::exp(V(2.0) * xsimd::min(m, V(22.0)));
    base = xsimd::select(small, base, V(1.0));
    numerator = xsimd::select(small, numerator, V(-2.0));
    denominator = xsimd::select(small, denominator, e + V(1.0));
  }
  const V r = xsimd::copysign(base + numerator / denominator, a);
  return xsimd::select(xsimd::isnan(a), a, r);
}

}  // namespace numfuse::ufuncs::simd_tanh
