// Kernel lookup for min, max, nanmin, nanmax, argmin, argmax: one kernel per input dtype, from
// the widest instruction set the CPU has (reduce_dispatch.hpp), the baseline build otherwise.
#include "numfuse/core/error.hpp"
#include "reduce_dispatch.hpp"
#include "reduce_extrema_isa.hpp"

namespace numfuse::reduction {

ReduceLoop extremum_loop(ReductionOp op, DType input) {
  ReduceLoop loop = widest_loop(
      [&](ReductionIsa isa) {
        return isa == ReductionIsa::Avx512f ? extremum_loop_avx512f(op, input) : extremum_loop_avx2(op, input);
      },
      [&] { return extremum_loop_for_isa<false>(op, input); });
  if (!loop) throw_value_error("extremum_loop: not a min/max reduction");
  return loop;
}

}  // namespace numfuse::reduction
