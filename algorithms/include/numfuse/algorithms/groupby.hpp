// nf.groupby_reduce: one reduction per distinct key, keys sorted (pandas' groupby(...).op()).
#pragma once

#include <cstdint>
#include <string>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

enum class GroupOp { Sum, Mean, Min, Max, Count, Var };
GroupOp group_op_from_name(const std::string& name);  // ValueError for others

struct GroupResult {
  Array keys;    // sorted distinct keys, in the keys' dtype
  Array values;  // one per key (dtype: see groupby_reduce)
};

// keys: 1-D int64 or float64 (NaN keys are dropped, -0.0 groups with 0.0, like pandas); values:
// 1-D of the same length, any real dtype. NaN values are skipped as pandas does (count counts
// the rest; an all-NaN group sums to 0 and has NaN mean/min/max/var). Result dtypes: sum int64
// for signed/bool values, uint64 for unsigned, float64 for floats; mean and var float64; count
// int64; min/max the values' dtype. Small key ranges index a dense table, others a hash map;
// per-chunk partial tables are merged in chunk order, so results do not depend on threads.
GroupResult groupby_reduce(const Array& keys, const Array& values, GroupOp op, double ddof);

}  // namespace numfuse::algorithms
