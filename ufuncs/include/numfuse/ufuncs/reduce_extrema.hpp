// Block kernels of min, max, nanmin, nanmax, argmin and argmax (the kernel shape is described in
// reduce_kernels.hpp).
//
// NaN rules, as NumPy's: min/max propagate NaN (complex: the first NaN element met); nanmin/nanmax
// skip NaNs and give NaN only when every element is NaN; argmin/argmax return the index of the
// first NaN if there is one, otherwise of the first occurrence of the extreme value. Complex values
// are ordered lexicographically on (real, imag).
#pragma once

#include <algorithm>

#include "numfuse/ufuncs/reduce_kernels.hpp"

namespace numfuse::reduction {

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

// Extremum of a contiguous run of real values, with one accumulator per lane of a 64-byte
// register so the loop vectorizes; n >= 1.
template <class T, bool IsMax, bool SkipNaN>
inline T extremum_of_contiguous(T best, const T* p, int64_t n) {
  constexpr int kLanes = 64 / sizeof(T);
  int64_t i = 0;
  if (n >= kLanes) {
    T lanes[kLanes];
    for (int j = 0; j < kLanes; ++j) lanes[j] = p[j];
    for (i = kLanes; i + kLanes <= n; i += kLanes) {
      for (int j = 0; j < kLanes; ++j) lanes[j] = extremum_step<T, IsMax, SkipNaN>(lanes[j], p[i + j]);
    }
    for (int j = 0; j < kLanes; ++j) best = extremum_step<T, IsMax, SkipNaN>(best, lanes[j]);
  }
  for (; i < n; ++i) best = extremum_step<T, IsMax, SkipNaN>(best, p[i]);
  return best;
}

// min, max (SkipNaN = false) and nanmin, nanmax (SkipNaN = true).
template <class T, bool IsMax, bool SkipNaN>
struct ExtremumKernel {
  using input_type = T;
  using result_type = T;
  struct State {
    T best;
  };

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
      T* s = reinterpret_cast<T*>(states);
      const T* x = reinterpret_cast<const T*>(in);
      for (int64_t i = 0; i < n; ++i) s[i] = extremum_step<T, IsMax, SkipNaN>(s[i], x[i]);
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
  static constexpr int64_t kBlock = 512;  // find the block's extremum vectorized, then its index

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
      const T block_best = extremum_of_contiguous<T, IsMax, false>(p[start], p + start + 1, len - 1);
      if (s.index >= 0 && !is_nan(block_best) && !better<IsMax>(block_best, s.best)) continue;
      for (int64_t i = start; i < start + len; ++i) {
        if (is_nan(block_best) ? is_nan(p[i]) : p[i] == block_best) {
          s.best = p[i];
          s.index = s.count + i;
          break;
        }
      }
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

}  // namespace numfuse::reduction
