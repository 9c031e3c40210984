// Block kernels of the folding reductions (sum, prod, nansum, mean, nanmean, any, all) and of
// the cumulative ops (cumsum, cumprod).
//
// Every reduction kernel K has the same shape, so that the eager engine, and later the fused
// block interpreter running several threads, can drive any of them:
//   K::State                          the accumulator: trivially copyable, no heap
//   K::init(State&)                   the empty fold
//   K::accumulate(State&, in, stride, n)
//                                     folds n elements at byte address `in`, `stride` bytes apart
//   K::accumulate_rows(states, state_stride, in, stride, n)
//                                     folds element i into state i (reducing an outer axis: one row
//                                     of a C array updates a row of states, vectorized)
//   K::combine(State&, const State&)  folds a later partial into an earlier one
//   K::finalize(const State&, out, FinalizeContext&)
//                                     writes the result element (of K::result_type)
// Partials must be combined in index order; then the result does not depend on how the input was
// split (exactly for integers, min/max and argmin/argmax; up to rounding for float sums, whose
// single-run results equal NumPy's pairwise sums bit for bit).
#pragma once

#include "numfuse/ufuncs/reduce_isa.hpp"

#include <algorithm>

#include <emmintrin.h>

#include "numfuse/ufuncs/reduce_element.hpp"
#include "numfuse/ufuncs/reduce_flags.hpp"
#include "numfuse/ufuncs/reduce_pairwise.hpp"

namespace numfuse::reduction {

// Whether one long run may be folded by several threads with the very bits one accumulate() call
// gives (K::run_split; kernels without it: None). Anywhere: the fold is exact (integers, bools,
// min/max, arg*), so any cut works with the partial states combined in order. PairwiseReal /
// PairwiseComplex: only cuts along the top of NumPy's pairwise tree (pairwise_cut), with the
// partial sums added as that tree adds them. BlockTree: the kernel folds a run as a balanced
// tree of K::kBlock-element blocks (var, std): cuts along the top of that tree, every piece
// seeded (K::seed) with the run's first element, the partial states combined as the tree does.
// None: NumPy's order is sequential in floats (prod).
enum class RunSplit : uint8_t { None, Anywhere, PairwiseReal, PairwiseComplex, BlockTree };

inline namespace NUMFUSE_REDUCTION_ISA {

template <class State>
inline State& state_at(std::byte* states, int64_t state_stride, int64_t i) {
  return *reinterpret_cast<State*>(states + i * state_stride);
}

struct AddFold {
  template <class T> static T identity() { return T(0); }
  template <class T> static T apply(T a, T b) { return add(a, b); }
  static constexpr bool pairwise = true;  // floats: NumPy's pairwise summation
};

struct MultiplyFold {
  template <class T> static T identity() { return T(1); }
  template <class T> static T apply(T a, T b) { return multiply(a, b); }
  static constexpr bool pairwise = false;  // NumPy multiplies sequentially
};

// How a FoldKernel<In, Acc, Fold> run may be split (see RunSplit).
template <class Acc, class Fold>
constexpr RunSplit fold_run_split() {
  if constexpr (!is_inexact_v<Acc>) return RunSplit::Anywhere;  // wrap-around integers, bools
  else if constexpr (!Fold::pairwise) return RunSplit::None;
  else if constexpr (is_complex_v<Acc>) return RunSplit::PairwiseComplex;
  else return RunSplit::PairwiseReal;
}

// sum, prod, nansum: folds In elements into an Acc with one binary op. SkipNaN maps NaN to the
// op's identity on load (nansum), as NumPy's nansum replaces NaN by 0 before summing.
template <class In, class Acc, class Fold, bool SkipNaN = false>
struct FoldKernel {
  using input_type = In;
  using result_type = Acc;
  struct State {
    Acc value;
  };
  static constexpr RunSplit run_split = fold_run_split<Acc, Fold>();

  static Acc load_element(const std::byte* p) {
    In v = load<In>(p);
    if constexpr (SkipNaN) {
      if (is_nan(v)) return Fold::template identity<Acc>();
    }
    return widen<Acc>(v);
  }

  // Pairwise sum of one run, as NumPy computes it for float and complex add.
  static Acc pairwise_run(const std::byte* in, int64_t stride, int64_t n) {
    auto element = [](const std::byte* p) { return load_element(p); };
    if constexpr (is_complex_v<Acc>) {
      return pairwise_sum_complex<real_t<Acc>>(in, n, stride, element);
    } else {
      return pairwise_sum<Acc, sizeof(In)>(in, n, stride, element);
    }
  }

  static void init(State& s) { s.value = Fold::template identity<Acc>(); }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    if constexpr (Fold::pairwise && is_inexact_v<Acc>) {
      s.value = Fold::apply(s.value, pairwise_run(in, stride, n));
    } else {
      // Sequential, starting from the state, exactly like NumPy's reduce loop.
      Acc r = s.value;
      if (stride == static_cast<int64_t>(sizeof(In))) {
        for (int64_t i = 0; i < n; ++i) r = Fold::apply(r, load_element(in + i * sizeof(In)));
      } else {
        for (int64_t i = 0; i < n; ++i) r = Fold::apply(r, load_element(in + i * stride));
      }
      s.value = r;
    }
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    if (state_stride == static_cast<int64_t>(sizeof(State)) &&
        stride == static_cast<int64_t>(sizeof(In))) {
      State* s = reinterpret_cast<State*>(states);
      for (int64_t i = 0; i < n; ++i) {
        s[i].value = Fold::apply(s[i].value, load_element(in + i * sizeof(In)));
      }
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      s.value = Fold::apply(s.value, load_element(in + i * stride));
    }
  }

  static void combine(State& s, const State& later) { s.value = Fold::apply(s.value, later.value); }

  static void finalize(const State& s, std::byte* out, FinalizeContext&) { store(out, s.value); }

  // Float sums of the input's own type: a block's pairwise sum computed elsewhere (tier 2 folds
  // blocks in registers, in pairwise_run's order) makes the state accumulate() makes of it.
  static constexpr bool takes_block_sums =
      Fold::pairwise && std::is_floating_point_v<Acc> && std::is_same_v<In, Acc> && !SkipNaN;
  static void add_block_sum(State& s, Acc block_sum, int64_t) { s.value = Fold::apply(s.value, block_sum); }
};

// Acc sum / count the way NumPy's true_divide does it: floats divide directly, complex values
// follow NumPy's complex division by a real-valued divisor, integer
// accumulators (mean with an integer dtype=) truncate a float64 quotient.
template <class Acc>
inline Acc divide_by_count(Acc sum, int64_t count) {
  if constexpr (is_complex_v<Acc>) {
    using R = real_t<Acc>;
    // Smith's division by (count + 0i) with ratio 0; the products with 0 are kept because they
    // turn inf/nan in one part into nan in the other, as in NumPy.
    const R scale = R(1) / static_cast<R>(count);
    const R zero = R(0);
    return Acc((sum.real() + sum.imag() * zero) * scale, (sum.imag() - sum.real() * zero) * scale);
  } else if constexpr (std::is_floating_point_v<Acc>) {
    return sum / static_cast<Acc>(count);
  } else {
    return static_cast<Acc>(static_cast<double>(sum) / static_cast<double>(count));
  }
}

// mean, nanmean: a pairwise sum and a count; nanmean (SkipNaN) counts only non-NaN elements.
template <class In, class Acc, bool SkipNaN = false>
struct MeanKernel {
  using input_type = In;
  using result_type = Acc;
  using Sum = FoldKernel<In, Acc, AddFold, SkipNaN>;
  struct State {
    Acc sum;
    int64_t count;
  };
  static constexpr RunSplit run_split = Sum::run_split;

  static int64_t count_values(const std::byte* in, int64_t stride, int64_t n) {
    if constexpr (SkipNaN && is_inexact_v<In>) {
      int64_t nans = 0;
      for (int64_t i = 0; i < n; ++i) nans += is_nan(load<In>(in + i * stride)) ? 1 : 0;
      return n - nans;
    } else {
      return n;
    }
  }

  static void init(State& s) {
    s.sum = Acc(0);
    s.count = 0;
  }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    typename Sum::State partial{s.sum};
    Sum::accumulate(partial, in, stride, n);
    s.sum = partial.value;
    s.count += count_values(in, stride, n);
  }

  static constexpr bool takes_block_sums = Sum::takes_block_sums;  // as the sum's (no NaN skipping)
  static void add_block_sum(State& s, Acc block_sum, int64_t n) {
    typename Sum::State partial{s.sum};
    Sum::add_block_sum(partial, block_sum, n);
    s.sum = partial.value;
    s.count += n;
  }

  // Kept scalar on purpose: GCC vectorizes {sum, count} pairs with overlapping loads that stall
  // on store forwarding, 15x slower than this plain loop.
  __attribute__((optimize("no-tree-vectorize"))) static void add_rows_scalar(
      State* s, const std::byte* in, int64_t n) {
    if constexpr (std::is_same_v<Acc, double> && sizeof(State) == 16) {
      // {sum, count} as one SSE2 register: add_sd adds x to the low lane and leaves the high
      // one; the integer add puts 1 on the count and +0 on the sum's bits. One load and one
      // store per state instead of two each.
      const __m128i one_count = _mm_set_epi64x(1, 0);
      for (int64_t i = 0; i < n; ++i) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        v = _mm_add_epi64(v, one_count);
        const __m128d x = _mm_set_sd(Sum::load_element(in + i * sizeof(In)));
        v = _mm_castpd_si128(_mm_add_sd(_mm_castsi128_pd(v), x));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(s + i), v);
      }
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      s[i].sum = add(s[i].sum, Sum::load_element(in + i * sizeof(In)));
      s[i].count += 1;
    }
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    if constexpr (!(SkipNaN && is_inexact_v<In>)) {
      if (state_stride == static_cast<int64_t>(sizeof(State)) &&
          stride == static_cast<int64_t>(sizeof(In))) {
        add_rows_scalar(reinterpret_cast<State*>(states), in, n);
        return;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      const std::byte* p = in + i * stride;
      s.sum = add(s.sum, Sum::load_element(p));
      s.count += count_values(p, stride, 1);
    }
  }

  static void combine(State& s, const State& later) {
    s.sum = add(s.sum, later.sum);
    s.count += later.count;
  }

  static void finalize(const State& s, std::byte* out, FinalizeContext& ctx) {
    finalize_sum(s.sum, s.count, out, ctx);
  }

  // A plain mean counts every element, so an engine that knows the count may fold with the sum
  // kernel (FoldKernel<In, Acc, AddFold>: the same sums, half the state memory) and divide here.
  static constexpr bool counts_every_element = !(SkipNaN && is_inexact_v<In>);

  static void finalize_sum(Acc sum, int64_t count, std::byte* out, FinalizeContext& ctx) {
    if (count == 0) ctx.flags.empty_slice = true;
    if constexpr (is_inexact_v<Acc>) {
      if (count == 0) {
        store(out, Acc(std::numeric_limits<real_t<Acc>>::quiet_NaN()));
        return;
      }
      // NumPy divides by the count as an intp scalar, which promotes float32/complex64 sums to
      // double precision before the result is cast back.
      using Wide = std::conditional_t<is_complex_v<Acc>, std::complex<double>, double>;
      const Wide mean = divide_by_count(widen<Wide>(sum), count);
      if constexpr (is_complex_v<Acc>) {
        store(out, Acc(static_cast<real_t<Acc>>(mean.real()), static_cast<real_t<Acc>>(mean.imag())));
      } else {
        store(out, static_cast<Acc>(mean));
      }
    } else {
      store(out, count == 0 ? Acc(0) : divide_by_count(sum, count));
    }
  }
};

// any, all: a bool that stops changing once decided, so runs after that are skipped.
template <class In, bool IsAll>
struct LogicalKernel {
  using input_type = In;
  using result_type = bool;
  struct State {
    bool value;
  };
  static constexpr RunSplit run_split = RunSplit::Anywhere;
  static constexpr int64_t kBlock = 256;  // branch once per block so the test loop vectorizes

  static void init(State& s) { s.value = IsAll; }

  // Whether the element at p is nonzero. Real floats by their bits without the sign (±0.0 are
  // zero, NaN is not, as with x != 0): an integer test, which the compiler vectorizes where a
  // float compare stays scalar.
  static bool nonzero_at(const std::byte* p) {
    if constexpr (std::is_floating_point_v<In>) {
      using Bits = std::conditional_t<sizeof(In) == 8, uint64_t, uint32_t>;
      Bits bits;
      std::memcpy(&bits, p, sizeof(In));
      return (bits << 1) != 0;
    } else {
      return is_nonzero(load<In>(p));
    }
  }

  // How many of the n elements at `in` decide the result (zeros for all(), nonzeros for any()).
  // A count, not a flag: integer sums vectorize; FixedStride (the element size) makes contiguous
  // runs a plain loop the compiler vectorizes.
  template <int64_t FixedStride>
  static int64_t deciding(const std::byte* in, int64_t stride, int64_t n) {
    if constexpr (FixedStride != 0) stride = FixedStride;
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i) count += nonzero_at(in + i * stride) != IsAll;
    return count;
  }

  static void accumulate(State& s, const std::byte* in, int64_t stride, int64_t n) {
    if (s.value != IsAll) return;  // any() already true / all() already false
    const bool contiguous = stride == static_cast<int64_t>(sizeof(In));
    for (int64_t start = 0; start < n; start += kBlock) {
      const int64_t m = std::min(kBlock, n - start);
      const std::byte* block = in + start * stride;
      if ((contiguous ? deciding<sizeof(In)>(block, stride, m) : deciding<0>(block, stride, m)) != 0) {
        s.value = !IsAll;
        return;
      }
    }
  }

  static void accumulate_rows(std::byte* states, int64_t state_stride, const std::byte* in,
                              int64_t stride, int64_t n) {
    if (state_stride == static_cast<int64_t>(sizeof(State)) && stride == static_cast<int64_t>(sizeof(In))) {
      State* s = reinterpret_cast<State*>(states);  // contiguous states and elements: vectorizes
      for (int64_t i = 0; i < n; ++i) {
        const bool nz = nonzero_at(in + i * sizeof(In));
        s[i].value = IsAll ? (s[i].value & nz) : (s[i].value | nz);
      }
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      State& s = state_at<State>(states, state_stride, i);
      const bool nz = is_nonzero(load<In>(in + i * stride));
      s.value = IsAll ? (s.value && nz) : (s.value || nz);
    }
  }

  static void combine(State& s, const State& later) {
    s.value = IsAll ? (s.value && later.value) : (s.value || later.value);
  }

  static void finalize(const State& s, std::byte* out, FinalizeContext&) { store(out, s.value); }
};

// cumsum, cumprod: a running fold. The first element is copied, not folded into an identity, as
// NumPy's accumulate does (so cumsum keeps -0.0 and cumprod of complex inf stays finite-imag).
template <class In, class Acc, class Fold>
struct ScanKernel {
  using input_type = In;
  using result_type = Acc;
  struct State {
    Acc carry;
    bool started;
  };

  static void init(State& s) {
    s.carry = Acc(0);
    s.started = false;
  }

  // out[i] = in[0] (op) ... (op) in[i], continuing from the state.
  static void scan(State& s, const std::byte* in, int64_t in_stride, std::byte* out,
                   int64_t out_stride, int64_t n) {
    if (n <= 0) return;
    int64_t i = 0;
    Acc carry = s.carry;
    if (!s.started) {
      carry = widen<Acc>(load<In>(in));
      store(out, carry);
      s.started = true;
      i = 1;
    }
    for (; i < n; ++i) {
      carry = Fold::apply(carry, widen<Acc>(load<In>(in + i * in_stride)));
      store(out + i * out_stride, carry);
    }
    s.carry = carry;
  }

  // One step of the scan along an outer axis: out[j] = previous[j] (op) in[j] for a whole row;
  // `previous` is null for the first row.
  static void scan_rows(const std::byte* previous, int64_t previous_stride, const std::byte* in,
                        int64_t in_stride, std::byte* out, int64_t out_stride, int64_t n) {
    if (previous == nullptr) {
      for (int64_t j = 0; j < n; ++j) {
        store(out + j * out_stride, widen<Acc>(load<In>(in + j * in_stride)));
      }
      return;
    }
    for (int64_t j = 0; j < n; ++j) {
      Acc v = Fold::apply(load<Acc>(previous + j * previous_stride),
                          widen<Acc>(load<In>(in + j * in_stride)));
      store(out + j * out_stride, v);
    }
  }
};

}  // namespace NUMFUSE_REDUCTION_ISA
}  // namespace numfuse::reduction
