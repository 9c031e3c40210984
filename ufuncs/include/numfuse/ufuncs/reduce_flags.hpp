// What a reduction kernel reports besides its result: the conditions NumPy turns into
// RuntimeWarnings, and the finalize parameters. Kept outside the kernels' per-ISA namespace
// (reduce_isa.hpp) because every ISA's kernels share them with the engine.
#pragma once

namespace numfuse::reduction {

// Conditions NumPy reports as RuntimeWarnings; the kernels only record them.
struct ReduceFlags {
  bool empty_slice = false;       // mean/nanmean of no (non-NaN) values
  bool all_nan_slice = false;     // nanmin/nanmax of only NaNs
  bool nonpositive_dof = false;   // var/std with count - ddof <= 0
};

struct FinalizeContext {
  double ddof = 0;
  ReduceFlags flags;
};

}  // namespace numfuse::reduction
