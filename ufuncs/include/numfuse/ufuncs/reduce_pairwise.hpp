// Pairwise summation, the algorithm NumPy uses for float and complex add.reduce, reproduced
// operation for operation so that numfuse's sums of the same run are bit-identical to NumPy's:
//   - fewer than 8 elements: a plain sequential sum;
//   - up to 128 elements: 8 independent accumulators (one AVX-512 register of float64, so the
//     compiler vectorizes it without changing the summation order), combined as a balanced tree;
//   - more: split in two halves (the first a multiple of 8 long) and recurse.
// The error bound is O(eps * log2(n / 128)) rather than the O(eps * n) of a sequential loop.
#pragma once

#include "numfuse/ufuncs/reduce_isa.hpp"

#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace numfuse::reduction {
inline namespace NUMFUSE_REDUCTION_ISA {

inline constexpr int64_t kPairwiseBlock = 128;

// Where the recursion cuts a run of n elements that it does not sum as one block: the first part
// is n/2 rounded down to a multiple of 8 (real), or of 4 complex elements (NumPy counts floats).
// Shared with the threaded engine (reduce_parallel.cpp), which hands the top subtrees of this
// recursion to different threads and so needs the same cuts.
inline bool pairwise_is_block(int64_t n, bool complex) { return (complex ? 2 * n : n) <= kPairwiseBlock; }
inline int64_t pairwise_cut(int64_t n, bool complex) {
  if (complex) return (n - n % 8) / 2;
  const int64_t n2 = n / 2;
  return n2 - n2 % 8;
}

// `load(p)` reads one element at byte address p and returns it as Acc (it may convert, or map NaN
// to zero for nansum). Contiguous runs get their own instantiation with a compile-time stride so
// the 8-accumulator loop vectorizes.
template <class Acc, int64_t FixedStride, class Load>
Acc pairwise_sum_impl(const std::byte* a, int64_t n, int64_t stride, const Load& load) {
  if constexpr (FixedStride != 0) stride = FixedStride;
  if (n < 8) {
    Acc res = Acc(-0.0);  // -0.0 is the additive identity that keeps the sign of a -0.0 sum
    for (int64_t i = 0; i < n; ++i) res += load(a + i * stride);
    return res;
  }
  if (pairwise_is_block(n, false)) {
    Acc r[8];
    for (int j = 0; j < 8; ++j) r[j] = load(a + j * stride);
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += load(a + (i + j) * stride);
    }
    Acc res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += load(a + i * stride);
    return res;
  }
  const int64_t n2 = pairwise_cut(n, false);
  return pairwise_sum_impl<Acc, FixedStride>(a, n2, stride, load) +
         pairwise_sum_impl<Acc, FixedStride>(a + n2 * stride, n - n2, stride, load);
}

template <class Acc, int64_t ElementSize, class Load>
Acc pairwise_sum(const std::byte* a, int64_t n, int64_t stride, const Load& load) {
  if (stride == ElementSize) return pairwise_sum_impl<Acc, ElementSize>(a, n, stride, load);
  return pairwise_sum_impl<Acc, 0>(a, n, stride, load);
}

// NumPy's complex variant works on the interleaved (real, imag) floats: 4 complex elements per
// 8-accumulator step, sequential below 4 elements, blocks of up to 64 elements, and a split point
// that is a multiple of 4 elements. `load(p)` returns the element at p as std::complex<R>.
template <class R, class Load>
std::complex<R> pairwise_sum_complex(const std::byte* a, int64_t n, int64_t stride, const Load& load) {
  // n counts complex elements; NumPy's thresholds are on 2n floats.
  if (2 * n < 8) {
    R rr = R(-0.0), ri = R(-0.0);
    for (int64_t i = 0; i < n; ++i) {
      std::complex<R> v = load(a + i * stride);
      rr += v.real();
      ri += v.imag();
    }
    return {rr, ri};
  }
  if (pairwise_is_block(n, true)) {
    R r[8];
    for (int j = 0; j < 4; ++j) {
      std::complex<R> v = load(a + j * stride);
      r[2 * j] = v.real();
      r[2 * j + 1] = v.imag();
    }
    int64_t i = 4;
    const int64_t whole = n - (n % 4);
    for (; i < whole; i += 4) {
      for (int j = 0; j < 4; ++j) {
        std::complex<R> v = load(a + (i + j) * stride);
        r[2 * j] += v.real();
        r[2 * j + 1] += v.imag();
      }
    }
    R rr = (r[0] + r[2]) + (r[4] + r[6]);
    R ri = (r[1] + r[3]) + (r[5] + r[7]);
    for (; i < n; ++i) {
      std::complex<R> v = load(a + i * stride);
      rr += v.real();
      ri += v.imag();
    }
    return {rr, ri};
  }
  // NumPy: n2 = (2n)/2 floats rounded down to a multiple of 8 floats, i.e. (n - n % 8) / 2
  // complex elements.
  const int64_t n2 = pairwise_cut(n, true);
  std::complex<R> lo = pairwise_sum_complex<R>(a, n2, stride, load);
  std::complex<R> hi = pairwise_sum_complex<R>(a + n2 * stride, n - n2, stride, load);
  return {lo.real() + hi.real(), lo.imag() + hi.imag()};
}

}  // namespace NUMFUSE_REDUCTION_ISA
}  // namespace numfuse::reduction
