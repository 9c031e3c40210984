// Order statistics and partitioning over lanes: a 2-D array (lanes, n) whose rows are the
// slices being reduced (Python moves the reduced axes last). Values in NumPy's order, NaN last.
#pragma once

#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

struct OrderStatistics {
  Array values;      // (lanes, k) in the input dtype: values[l, i] has rank ranks[l, i] in lane l
  Array nan_counts;  // (lanes,) int64: NaNs in each lane
};

// `ranks`: int64 (lanes, k) or (1, k) for the same ranks in every lane, each in [0, n) or, with
// skip_nan, in [0, n - nans of the lane) (the ranks among the lane's numbers). Without skip_nan,
// lanes holding NaN return NaN values (the caller reports NaN, as NumPy). A single long lane is
// not copied: one threaded pass brackets every rank between two values of a sample and collects
// only the values between them, which are then selected.
OrderStatistics order_statistics(const Array& lanes, const Array& ranks, bool skip_nan);

// NumPy's partition / argpartition of each row of `lanes` (2-D) at the sorted, distinct ranks:
// a new C-contiguous (lanes, n) array of values (arg = false) or int64 indices (arg = true).
Array partition_lanes(const Array& lanes, const std::vector<int64_t>& ranks, bool arg);

}  // namespace numfuse::algorithms

namespace numfuse::algorithms {

// The sliding dot product behind correlate/convolve: out[j] = sum_i a[i + k] * w[i] with lag
// k = first_lag + j, over the i where both indices are in range; `count` outputs. `a` and `w`
// are 1-D arrays (any stride) of the same dtype, which is the result's.
Array sliding_dot(const Array& a, const Array& w, int64_t first_lag, int64_t count);

}  // namespace numfuse::algorithms
