// What the vector kernels written against FMA (simd_exp_log.hpp, simd_sincos.hpp, simd_tanh.hpp)
// need: whether a batch type's instruction set has FMA in this translation unit, and a fused
// multiply-add that is one instruction there (xsimd 8's avx2 arch does not include fma3).
#pragma once

#include <immintrin.h>

#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace numfuse::ufuncs::simd_fma {

// Whether V is a batch of an instruction set this TU compiles with FMA.
template <class V>
constexpr bool kFma =
#if defined(__FMA__) && defined(__AVX512F__)
    (std::is_same_v<typename V::arch_type, xsimd::avx512f> || std::is_same_v<typename V::arch_type, xsimd::avx2>);
#elif defined(__FMA__) && defined(__AVX2__)
    std::is_same_v<typename V::arch_type, xsimd::avx2>;
#else
    false;
#endif
template <class V>
constexpr bool kFmaDouble = kFma<V> && std::is_same_v<typename V::value_type, double>;
template <class V>
constexpr bool kFmaFloat = kFma<V> && std::is_same_v<typename V::value_type, float>;

// a * b + c with one rounding.
template <class V>
[[gnu::always_inline]] inline V fused(const V& a, const V& b, const V& c) {
  constexpr bool kDouble = std::is_same_v<typename V::value_type, double>;
#if defined(__FMA__) && defined(__AVX512F__)
  if constexpr (std::is_same_v<typename V::arch_type, xsimd::avx512f>) {
    if constexpr (kDouble) return _mm512_fmadd_pd(a, b, c);
    else return _mm512_fmadd_ps(a, b, c);
  }
#endif
#if defined(__FMA__) && defined(__AVX2__)
  if constexpr (std::is_same_v<typename V::arch_type, xsimd::avx2>) {
    if constexpr (kDouble) return _mm256_fmadd_pd(a, b, c);
    else return _mm256_fmadd_ps(a, b, c);
  }
#endif
  static_assert(kFma<V>, "fused() needs an FMA instruction set");
  return a * b + c;
}

}  // namespace numfuse::ufuncs::simd_fma
