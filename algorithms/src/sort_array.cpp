// sort, argsort and lexsort of whole arrays: lane by lane along the axis, through the typed
// kernels of sort_kernels.hpp (one instantiation per dtype, here only).
#include <memory>
#include <numeric>

#include "numfuse/algorithms/sort.hpp"
#include "numfuse/algorithms/sort_kernels.hpp"
#include "numfuse/algorithms/sort_lanes.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

Array sort(const Array& a, int64_t axis_arg) {
  const int axis = normalize_axis(axis_arg, a.ndim());
  Array out = Array::empty(a.shape(), a.dtype());
  const LaneLayout in = lanes_of(a, axis), to = lanes_of(out, axis);
  const std::byte* src = a.data();
  std::byte* dst = out.data();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool direct = to.stride == int64_t(sizeof(T));
    for_lane_ranges(in.count, in.length, [&](int64_t first, int64_t last, bool threaded) {
      std::unique_ptr<T[]> buf(direct ? nullptr : new T[in.length]);
      for (int64_t lane = first; lane < last; ++lane) {
        std::byte* lane_dst = dst + to.offset(lane);
        T* work = direct ? reinterpret_cast<T*>(lane_dst) : buf.get();
        sort_values(src + in.offset(lane), in.stride, in.length, work, threaded);
        if (!direct) scatter(work, in.length, lane_dst, to.stride);
      }
    });
  });
  return out;
}

Array argsort(const Array& a, int64_t axis_arg) {
  const int axis = normalize_axis(axis_arg, a.ndim());
  Array out = Array::empty(a.shape(), DType::Int64);
  const LaneLayout in = lanes_of(a, axis), to = lanes_of(out, axis);
  const std::byte* src = a.data();
  std::byte* dst = out.data();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool direct = to.stride == 8;
    for_lane_ranges(in.count, in.length, [&](int64_t first, int64_t last, bool threaded) {
      std::unique_ptr<int64_t[]> indices(direct ? nullptr : new int64_t[in.length]);
      for (int64_t lane = first; lane < last; ++lane) {
        std::byte* lane_dst = dst + to.offset(lane);
        int64_t* idx = direct ? reinterpret_cast<int64_t*>(lane_dst) : indices.get();
        argsort_values<T>(src + in.offset(lane), in.stride, in.length, idx, threaded);
        if (!direct) scatter(idx, in.length, lane_dst, to.stride);
      }
    });
  });
  return out;
}

Array lexsort(const std::vector<Array>& keys, int64_t axis_arg) {
  if (keys.empty()) throw_type_error("need sequence of keys with len > 0 in lexsort");
  const Array& first_key = keys.front();
  for (const Array& k : keys) {
    if (k.shape() != first_key.shape()) throw_value_error("all keys need to be the same shape");
  }
  const int axis = normalize_axis(axis_arg, first_key.ndim());
  Array out = Array::empty(first_key.shape(), DType::Int64);
  const LaneLayout to = lanes_of(out, axis);
  std::vector<LaneLayout> layouts;
  std::vector<const std::byte*> bases;
  for (const Array& k : keys) {
    layouts.push_back(lanes_of(k, axis));
    bases.push_back(k.data());
  }
  const int64_t n = to.length;
  std::byte* dst = out.data();
  for_lane_ranges(to.count, n, [&](int64_t first, int64_t last, bool threaded) {
    std::unique_ptr<int64_t[]> perm(new int64_t[n]), order(new int64_t[n]), next(new int64_t[n]);
    for (int64_t lane = first; lane < last; ++lane) {
      std::iota(perm.get(), perm.get() + n, int64_t(0));
      // Stable sorts by each key in turn, the last key last: it ends up the primary one.
      for (size_t k = 0; k < keys.size(); ++k) {
        const std::byte* key_lane = bases[k] + layouts[k].offset(lane);
        const int64_t stride = layouts[k].stride;
        visit_dtype(keys[k].dtype(), [&](auto tag) {
          using T = decltype(tag);
          std::unique_ptr<T[]> values(new T[n]);
          for (int64_t j = 0; j < n; ++j) values[j] = load<T>(key_lane + perm[j] * stride);
          argsort_values<T>(reinterpret_cast<const std::byte*>(values.get()), sizeof(T), n, order.get(), threaded);
        });
        for (int64_t j = 0; j < n; ++j) next[j] = perm[order[j]];
        std::swap(perm, next);
      }
      scatter(perm.get(), n, dst + to.offset(lane), to.stride);
    }
  });
  return out;
}

}  // namespace numfuse::algorithms
