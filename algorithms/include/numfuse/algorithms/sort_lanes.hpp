// The 1-D lanes of an array along one axis (what sort, argsort, lexsort and searchsorted work
// on), and a runner that spreads many small lanes over the parallel runner.
#pragma once

#include <algorithm>
#include <cstdint>

#include "numfuse/core/array.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms {

struct LaneLayout {
  int64_t count = 0;   // lanes (the product of the other axes)
  int64_t length = 0;  // elements per lane
  int64_t stride = 0;  // bytes between a lane's elements
  Shape outer_shape;   // the other axes, in order
  Strides outer_strides;

  // Byte offset of lane `lane`'s first element from the array's data pointer.
  int64_t offset(int64_t lane) const {
    int64_t off = 0;
    for (int d = int(outer_shape.size()) - 1; d >= 0; --d) {
      off += (lane % outer_shape[d]) * outer_strides[d];
      lane /= outer_shape[d];
    }
    return off;
  }
};

inline LaneLayout lanes_of(const Array& a, int axis) {
  LaneLayout l;
  l.length = a.shape()[axis];
  l.stride = a.strides()[axis];
  l.count = 1;
  for (int d = 0; d < a.ndim(); ++d) {
    if (d == axis) continue;
    l.outer_shape.push_back(a.shape()[d]);
    l.outer_strides.push_back(a.strides()[d]);
    l.count *= a.shape()[d];
  }
  if (l.length == 0) l.count = 0;
  return l;
}

// fn(first, last, threaded) over lane ranges. One lane gets the whole runner (threaded = true:
// the lane's own sort may split); many lanes are split into tasks that each run serially.
template <class Fn>
void for_lane_ranges(int64_t lanes, int64_t length, Fn&& fn) {
  if (lanes <= 0) return;
  if (lanes == 1 || lanes * length < (int64_t(1) << 15)) {
    fn(int64_t(0), lanes, lanes == 1);
    return;
  }
  const int tasks = int(std::min<int64_t>(lanes, 64));
  ufuncs::parallel_for(tasks, [&](int t) { fn(lanes * t / tasks, lanes * (t + 1) / tasks, false); });
}

}  // namespace numfuse::algorithms
