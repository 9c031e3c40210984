// Private: which build of the reduction kernels runs (reduce_isa.hpp), chosen once per process.
#pragma once

#include "reduce_loop.hpp"

namespace numfuse::reduction {

enum class ReductionIsa { Baseline, Avx2, Avx512f };

// The widest instruction set this CPU has that the kernels are built for.
// NUMFUSE_REDUCTION_ISA=baseline|avx2 caps the choice, so that tests can run the narrower builds
// on a machine that has wider units.
ReductionIsa best_reduction_isa();

// The loop of the widest build that has one for these types (`wide(isa)`), else `baseline()`.
template <class Wide, class Baseline>
ReduceLoop widest_loop(const Wide& wide, const Baseline& baseline) {
  const ReductionIsa isa = best_reduction_isa();
  ReduceLoop loop = isa == ReductionIsa::Baseline ? ReduceLoop{} : wide(isa);
  return loop ? loop : baseline();
}

}  // namespace numfuse::reduction
