// Private to the eager reduction engine (reduce.cpp): the walk that feeds an input to its states,
// cut into tasks for the threads that ufuncs/parallel.hpp offers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numfuse/core/array.hpp"
#include "numfuse/ufuncs/reduce_loop.hpp"

namespace numfuse::reduction {

// Folds every element of `a` into its state: `state_strides` are the states seen with a's shape
// (0 along the reduced axes). The result is bit for bit what one walk over `a` in memory order
// gives (runs along reduced axes -> accumulate, runs along a kept axis -> accumulate_rows),
// whatever the number of threads:
//   - runs along a kept axis are cut into one range of columns per thread, each walked down all
//     rows (disjoint states, each updated in the same row order);
//   - runs along reduced axes are dealt out by a kept outer axis (disjoint states);
//   - a full reduction of one long run is cut as loop.run_split allows (NumPy's pairwise tree
//     for float sums) and the partial states are combined as one accumulate() would have.
// Large inputs only (kMinParallelElements); smaller ones stay on the calling thread.
void fold_into_states(const ReduceLoop& loop, const Array& a, const int64_t* state_strides,
                      std::byte* states);

inline constexpr int64_t kMinParallelElements = int64_t{1} << 16;

}  // namespace numfuse::reduction
