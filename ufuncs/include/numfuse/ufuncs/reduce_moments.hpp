// Block kernel of var and std (the kernel shape is described in reduce_kernels.hpp).
//
// NumPy computes var in two passes over the whole array (the mean, then the sum of squared
// deviations). That needs the full mean before the second pass, which a block kernel cannot have.
// Here each block of kBlock elements is two-passed while it is in L1 (pairwise block mean, pairwise
// sum of squared deviations around it), and blocks are merged with Chan et al.'s update
//   M2 = M2a + M2b + |mean_b - mean_a|^2 * na * nb / (na + nb),
// along a balanced tree within a run. One pass over memory, deterministic, and as accurate as
// the two-pass result (the deviations are always taken around a nearby mean). Rows (reducing an
// outer axis) use Welford's one-element update, vectorized across the row.
#pragma once

#include "numfuse/ufuncs/reduce_isa.hpp"

#include <cmath>

#include "numfuse/ufuncs/reduce_kernels.hpp"

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

template <class T>
inline real_t<T> squared_magnitude(T v) {
  if constexpr (is_complex_v<T>) {
    return v.real() * v.real() + v.imag() * v.imag();
  } else {
    return v * v;
  }
}

// Acc: the dtype of the mean (float or complex); the result is its real type. Sqrt: std.
// Values are shifted by the first element the state sees before any arithmetic, so that a large
// mean (1e8 + noise) costs no precision in the deviations.
template <class In, class Acc, bool Sqrt>
struct VarianceKernel {
  using R = real_t<Acc>;
  using input_type = In;
  using result_type = R;
  struct State {
    Acc shift;  // subtracted from every value
    Acc mean;   // mean of (x - shift)
    R m2;       // sum of squared deviations from the mean
    int64_t count;
    bool seeded;  // shift set (by the first value seen, or by seed()) before any count
  };
  static constexpr int64_t kBlock = 1024;
  static constexpr RunSplit run_split = RunSplit::BlockTree;

  static void init(State& s) {
    s.shift = Acc(0);
    s.mean = Acc(0);
    s.m2 = R(0);
    s.count = 0;
    s.seeded = false;
  }

  // A piece of a run cut across threads shifts by the run's first value, as the whole run would.
  static void seed(State& s, const std::byte* run_first) {
    s.shift = widen<Acc>(load<In>(run_first));
    s.seeded = true;
  }

  template <class Load>
  static auto sum_run(const std::byte* in, int64_t stride, int64_t n, const Load& load) {
    if constexpr (is_complex_v<decltype(load(in))>) {
      return pairwise_sum_complex<R>(in, n, stride, load);
    } else {
      return pairwise_sum<decltype(load(in)), sizeof(In)>(in, n, stride, load);
    }
  }

  static void merge(State& s, const State& b) {
    if (b.count == 0) return;
    if (s.count == 0) {
      s = b;
      return;
    }
    const int64_t n = s.count + b.count;
    const Acc delta = (b.mean + (b.shift - s.shift)) - s.mean;
    const R nb_over_n = static_cast<R>(b.count) / static_cast<R>(n);
    s.mean = s.mean + delta * nb_over_n;
    s.m2 = s.m2 + b.m2 + squared_magnitude(delta) * static_cast<R>(s.count) * nb_over_n;
    s.count = n;
  }

  // Mean and M2 of one block, two-passed while it is in cache.
  static State block_state(const std::byte* in, int64_t stride, int64_t n, Acc shift) {
    auto shifted = [shift](const std::byte* p) { return widen<Acc>(load<In>(p)) - shift; };
    const Acc mean = divide_by_count(sum_run(in, stride, n, shifted), n);
    auto deviation = [shift, mean](const std::byte* p) {
      return squared_magnitude(widen<Acc>(load<In>(p)) - shift - mean);
    };
    return State{shift, mean, sum_run(in, stride, n, deviation), n, true};
  }

  // Blocks merged along a balanced tree (halves are whole blocks), like the pairwise sum.
  static State run_state(const std::byte* in, int64_t stride, int64_t n, Acc shift) {
    if (n <= kBlock) return block_state(in, stride, n, shift);
    const int64_t blocks = (n + kBlock - 1) / kBlock;
    const int64_t n1 = (blocks / 2) * kBlock;
    State s = run_state(in, stride, n1, shift);
    merge(s, run_state(in + n1 * stride, stride, n - n1, shift));
    return s;
  }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    if (n <= 0) return;
    const Acc shift = s.count == 0 && !s.seeded ? widen<Acc>(load<In>(in)) : s.shift;
    merge(s, run_state(in, stride, n, shift));
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      const Acc value = widen<Acc>(load<In>(in + i * stride));
      if (s.count == 0 && !s.seeded) s.shift = value;
      s.seeded = true;
      const Acc x = value - s.shift;
      s.count += 1;
      const Acc before = x - s.mean;
      s.mean = s.mean + before / static_cast<R>(s.count);
      const Acc after = x - s.mean;
      if constexpr (is_complex_v<Acc>) {
        s.m2 += before.real() * after.real() + before.imag() * after.imag();
      } else {
        s.m2 += before * after;
      }
    }
  }

  static void combine(State& s, const State& later) { merge(s, later); }

  // m2 / (count - ddof); NumPy gives inf (or nan for 0/0) and a warning when count - ddof <= 0.
  static void finalize(const State& s, std::byte* out, FinalizeContext& ctx) {
    R dof = static_cast<R>(static_cast<double>(s.count) - ctx.ddof);
    if (!(dof > 0)) {
      ctx.flags.nonpositive_dof = true;
      dof = R(0);
    }
    R var = s.count == 0 ? std::numeric_limits<R>::quiet_NaN() : s.m2 / dof;
    if constexpr (Sqrt) var = std::sqrt(var);
    store(out, var);
  }
};

}  // namespace NUMFUSE_REDUCTION_ISA
}  // namespace numfuse::reduction
