// Iteration over N operands of one shape: the outer dimensions are walked in C++, and `inner`
// is called on runs along the innermost dimension. Dimensions of length 1 are dropped and
// adjacent dimensions that are contiguous for every operand are merged, so a strided 2-D view
// becomes as few, as long, inner runs as its layout allows.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "numfuse/core/shape.hpp"

namespace numfuse {

template <size_t N>
struct LoopLayout {
  std::vector<int64_t> shape;                  // collapsed, innermost last
  std::array<std::vector<int64_t>, N> strides; // per operand, matching `shape`
};

// Operand 0 (conventionally the output) decides the axis order: its largest strides go outermost,
// so writes are sequential whenever operand 0 is contiguous in any order.
template <size_t N>
LoopLayout<N> make_loop_layout(const Shape& shape, const std::array<const int64_t*, N>& strides) {
  const int nd = static_cast<int>(shape.size());
  std::vector<int> axes;
  for (int i = 0; i < nd; ++i) if (shape[i] != 1) axes.push_back(i);
  std::stable_sort(axes.begin(), axes.end(), [&](int a, int b) {
    return std::abs(strides[0][a]) > std::abs(strides[0][b]);
  });
  LoopLayout<N> out;
  for (int ax : axes) {
    if (!out.shape.empty()) {
      bool mergeable = true;
      for (size_t k = 0; k < N; ++k) {
        if (out.strides[k].back() != strides[k][ax] * shape[ax]) { mergeable = false; break; }
      }
      if (mergeable) {
        out.shape.back() *= shape[ax];
        for (size_t k = 0; k < N; ++k) out.strides[k].back() = strides[k][ax];
        continue;
      }
    }
    out.shape.push_back(shape[ax]);
    for (size_t k = 0; k < N; ++k) out.strides[k].push_back(strides[k][ax]);
  }
  if (out.shape.empty()) {  // 0-d or all-ones: one run of one element
    out.shape.push_back(1);
    for (size_t k = 0; k < N; ++k) out.strides[k].push_back(0);
  }
  return out;
}

// inner(ptrs, inner_strides, n) is called once per innermost run.
template <size_t N, class Inner>
void for_each_run(const Shape& shape, std::array<std::byte*, N> ptrs,
                  const std::array<const int64_t*, N>& strides, Inner&& inner) {
  for (int64_t d : shape) if (d == 0) return;
  LoopLayout<N> L = make_loop_layout<N>(shape, strides);
  const int nd = static_cast<int>(L.shape.size());
  const int64_t n = L.shape[nd - 1];
  std::array<int64_t, N> inner_strides;
  for (size_t k = 0; k < N; ++k) inner_strides[k] = L.strides[k][nd - 1];
  std::vector<int64_t> counter(nd, 0);
  while (true) {
    inner(ptrs, inner_strides, n);
    int d = nd - 2;
    for (; d >= 0; --d) {
      for (size_t k = 0; k < N; ++k) ptrs[k] += L.strides[k][d];
      if (++counter[d] < L.shape[d]) break;
      for (size_t k = 0; k < N; ++k) ptrs[k] -= L.strides[k][d] * L.shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace numfuse
