// Block kernels of min, max, nanmin, nanmax, argmin and argmax (the kernel shape is described in
// reduce_kernels.hpp).
//
// NaN rules, as NumPy's: min/max propagate NaN (complex: the first NaN element met); nanmin/nanmax
// skip NaNs and give NaN only when every element is NaN; argmin/argmax return the index of the
// first NaN if there is one, otherwise of the first occurrence of the extreme value. Complex values
// are ordered lexicographically on (real, imag).
#pragma once

#include "numfuse/ufuncs/reduce_isa.hpp"

#include <algorithm>

#include <xsimd/xsimd.hpp>

#include "numfuse/ufuncs/reduce_kernels.hpp"

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

// One step of max (IsMax) or min. The real-float forms are written so that the compiler turns
// them into compare + blend on whole registers.
template <class T, bool IsMax, bool SkipNaN>
inline T extremum_step(T best, T x) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool x_wins = IsMax ? (x > best) : (x < best);
    if constexpr (SkipNaN) {
      return (x_wins || best != best) ? x : best;  // NaN `best` = nothing seen yet
    } else {
      return (x_wins || x != x) ? x : best;        // a NaN, once in, never leaves
    }
  } else if constexpr (SkipNaN) {
    return (is_nan(best) || (!is_nan(x) && better<IsMax>(x, best))) ? x : best;
  } else {
    return (!is_nan(best) && (is_nan(x) || better<IsMax>(x, best))) ? x : best;
  }
}

// Real types get explicit SIMD (xsimd batches of the architecture this file is compiled for):
// the compiler does not vectorize the NaN-aware compare + select by itself.
template <class T>
inline constexpr bool kSimdExtremum = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

// extremum_step on whole batches. NaN tests use isnan(): xsimd 8.1's `!=` is an ordered compare
// on AVX/AVX-512 (NaN != NaN is false there), unlike C++'s.
template <bool IsMax, bool SkipNaN, class B>
inline B extremum_step_simd(const B& best, const B& x) {
  using T = typename B::value_type;
  auto x_wins = [&] {
    if constexpr (IsMax) return x > best;
    else return x < best;
  }();
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (SkipNaN) {
      return xsimd::select(x_wins | xsimd::isnan(best), x, best);
    } else {
      return xsimd::select(x_wins | xsimd::isnan(x), x, best);
    }
  } else {
    return xsimd::select(x_wins, x, best);
  }
}

// Extremum of a contiguous run of real values, folded into `best`.
template <class T, bool IsMax, bool SkipNaN>
inline T extremum_of_contiguous(T best, const T* p, int64_t n) {
  int64_t i = 0;
  if constexpr (kSimdExtremum<T>) {
    using B = xsimd::batch<T>;
    constexpr int64_t L = static_cast<int64_t>(B::size);
    if (n >= 4 * L) {
      // Four independent accumulators hide the compare + select latency.
      B a = B::load_unaligned(p), b = B::load_unaligned(p + L);
      B c = B::load_unaligned(p + 2 * L), d = B::load_unaligned(p + 3 * L);
      for (i = 4 * L; i + 4 * L <= n; i += 4 * L) {
        a = extremum_step_simd<IsMax, SkipNaN>(a, B::load_unaligned(p + i));
        b = extremum_step_simd<IsMax, SkipNaN>(b, B::load_unaligned(p + i + L));
        c = extremum_step_simd<IsMax, SkipNaN>(c, B::load_unaligned(p + i + 2 * L));
        d = extremum_step_simd<IsMax, SkipNaN>(d, B::load_unaligned(p + i + 3 * L));
      }
      a = extremum_step_simd<IsMax, SkipNaN>(extremum_step_simd<IsMax, SkipNaN>(a, b),
                                             extremum_step_simd<IsMax, SkipNaN>(c, d));
      alignas(64) T lanes[B::size];
      a.store_aligned(lanes);
      for (T v : lanes) best = extremum_step<T, IsMax, SkipNaN>(best, v);
    }
  }
  for (; i < n; ++i) best = extremum_step<T, IsMax, SkipNaN>(best, p[i]);
  return best;
}

// state[i] = extremum(state[i], x[i]) for contiguous states and inputs.
template <class T, bool IsMax, bool SkipNaN>
inline void extremum_rows_contiguous(T* states, const T* x, int64_t n) {
  int64_t i = 0;
  if constexpr (kSimdExtremum<T>) {
    using B = xsimd::batch<T>;
    constexpr int64_t L = static_cast<int64_t>(B::size);
    for (; i + L <= n; i += L) {
      extremum_step_simd<IsMax, SkipNaN>(B::load_unaligned(states + i), B::load_unaligned(x + i))
          .store_unaligned(states + i);
    }
  }
  for (; i < n; ++i) states[i] = extremum_step<T, IsMax, SkipNaN>(states[i], x[i]);
}

// Index of the first element equal to `value` (the first NaN when `value` is NaN) in a run that
// holds one; vectorized like the extremum pass that found `value`.
template <class T>
inline int64_t first_index_of(const T* p, int64_t n, T value) {
  const bool want_nan = is_nan(value);
  int64_t i = 0;
  if constexpr (kSimdExtremum<T>) {
    using B = xsimd::batch<T>;
    constexpr int64_t L = static_cast<int64_t>(B::size);
    const B target(value);
    for (; i + L <= n; i += L) {
      const B x = B::load_unaligned(p + i);
      if (xsimd::any(want_nan ? xsimd::isnan(x) : (x == target))) break;
    }
  }
  for (; i < n; ++i) {
    if (want_nan ? is_nan(p[i]) : p[i] == value) return i;
  }
  return n - 1;  // not reached: the run holds `value`
}

// min, max (SkipNaN = false) and nanmin, nanmax (SkipNaN = true).
template <class T, bool IsMax, bool SkipNaN>
struct ExtremumKernel {
  using input_type = T;
  using result_type = T;
  struct State {
    T best;
  };
  static constexpr RunSplit run_split = RunSplit::Anywhere;

  static void init(State& s) {
    if constexpr (SkipNaN && is_inexact_v<T>) {
      s.best = T(std::numeric_limits<real_t<T>>::quiet_NaN());  // "no value yet"
    } else {
      s.best = IsMax ? lowest<T>() : highest<T>();
    }
  }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    if constexpr (!is_complex_v<T>) {
      if (stride == static_cast<int64_t>(sizeof(T))) {
        s.best = extremum_of_contiguous<T, IsMax, SkipNaN>(s.best, reinterpret_cast<const T*>(in), n);
        return;
      }
    }
    T best = s.best;
    for (int64_t i = 0; i < n; ++i) best = extremum_step<T, IsMax, SkipNaN>(best, load<T>(in + i * stride));
    s.best = best;
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    if (state_stride == static_cast<int64_t>(sizeof(State)) &&
        stride == static_cast<int64_t>(sizeof(T))) {
      extremum_rows_contiguous<T, IsMax, SkipNaN>(reinterpret_cast<T*>(states),
                                                 reinterpret_cast<const T*>(in), n);
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      s.best = extremum_step<T, IsMax, SkipNaN>(s.best, load<T>(in + i * stride));
    }
  }

  static void combine(State& s, const State& later) {
    s.best = extremum_step<T, IsMax, SkipNaN>(s.best, later.best);
  }

  static void finalize(const State& s, std::byte* out, FinalizeContext& ctx) {
    if (SkipNaN && is_nan(s.best)) ctx.flags.all_nan_slice = true;
    store(out, s.best);
  }
};

// argmin, argmax. `index` is relative to the first element this state has seen; `count` is how
// many it has seen, so that combine() can shift a later partial's index.
template <class T, bool IsMax>
struct ArgExtremumKernel {
  using input_type = T;
  using result_type = int64_t;
  struct State {
    T best;
    int64_t index;  // -1: nothing seen yet
    int64_t count;
  };
  static constexpr RunSplit run_split = RunSplit::Anywhere;  // combine() shifts later indices
  static constexpr int64_t kBlock = 2048;  // find the block's extremum vectorized, then its index (in L1)

  static void init(State& s) {
    s.best = T{};
    s.index = -1;
    s.count = 0;
  }

  // Takes `v` at `position` if it is the first value, the first NaN, or strictly better.
  static void offer(State& s, T v, int64_t position) {
    if (s.index < 0 || (!is_nan(s.best) && (is_nan(v) || better<IsMax>(v, s.best)))) {
      s.best = v;
      s.index = position;
    }
  }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    const bool decided = s.index >= 0 && is_nan(s.best);
    if constexpr (!is_complex_v<T>) {
      if (!decided && stride == static_cast<int64_t>(sizeof(T))) {
        accumulate_contiguous(s, reinterpret_cast<const T*>(in), n);
        s.count += n;
        return;
      }
    }
    for (int64_t i = 0; i < n && !decided; ++i) offer(s, load<T>(in + i * stride), s.count + i);
    s.count += n;
  }

  static void accumulate_contiguous(State& s, const T* p, int64_t n) {
    for (int64_t start = 0; start < n; start += kBlock) {
      const int64_t len = std::min(kBlock, n - start);
      // NaN-propagating extremum of the block: equal to the element offer() would keep.
      const T block_best = extremum_of_contiguous<T, IsMax, false>(p[start], p + start, len);
      if (s.index >= 0 && !is_nan(block_best) && !better<IsMax>(block_best, s.best)) continue;
      const int64_t i = start + first_index_of(p + start, len, block_best);
      s.best = p[i];
      s.index = s.count + i;
      if (is_nan(s.best)) return;
    }
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      offer(s, load<T>(in + i * stride), s.count);
      ++s.count;
    }
  }

  static void combine(State& s, const State& later) {
    if (later.index >= 0) offer(s, later.best, s.count + later.index);
    s.count += later.count;
  }

  static void finalize(const State& s, std::byte* out, FinalizeContext&) { store(out, s.index); }
};

}  // namespace NUMFUSE_REDUCTION_ISA
}  // namespace numfuse::reduction
