// Kernel lookup for min, max, nanmin, nanmax, argmin, argmax: one kernel per input dtype, from
// the widest instruction set the CPU has (checked once), the baseline build otherwise.
#include <cstdlib>
#include <cstring>

#include "numfuse/core/error.hpp"
#include "reduce_extrema_isa.hpp"

namespace numfuse::reduction {

namespace {

enum class Isa { Baseline, Avx2, Avx512f };

// NUMFUSE_REDUCTION_ISA=baseline|avx2 caps the choice, so that tests can run the narrower
// builds on a machine that has wider units.
Isa best_isa() {
  static const Isa isa = [] {
    const char* cap = std::getenv("NUMFUSE_REDUCTION_ISA");
    if (cap != nullptr && std::strcmp(cap, "baseline") == 0) return Isa::Baseline;
    const bool allow_avx512 = cap == nullptr || std::strcmp(cap, "avx2") != 0;
    __builtin_cpu_init();
    if (allow_avx512 && __builtin_cpu_supports("avx512f")) return Isa::Avx512f;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
    return Isa::Baseline;
  }();
  return isa;
}

}  // namespace

ReduceLoop extremum_loop(ReductionOp op, DType input) {
  ReduceLoop loop;
  switch (best_isa()) {
    case Isa::Avx512f: loop = extremum_loop_avx512f(op, input); break;
    case Isa::Avx2: loop = extremum_loop_avx2(op, input); break;
    case Isa::Baseline: break;
  }
  if (!loop) loop = extremum_loop_for_isa<false>(op, input);
  if (!loop) throw_value_error("extremum_loop: not a min/max reduction");
  return loop;
}

}  // namespace numfuse::reduction
