#include "reduce_dispatch.hpp"

#include <cstdlib>
#include <cstring>

namespace numfuse::reduction {

ReductionIsa best_reduction_isa() {
  static const ReductionIsa isa = [] {
    const char* cap = std::getenv("NUMFUSE_REDUCTION_ISA");
    if (cap != nullptr && std::strcmp(cap, "baseline") == 0) return ReductionIsa::Baseline;
    const bool allow_avx512 = cap == nullptr || std::strcmp(cap, "avx2") != 0;
    __builtin_cpu_init();
    if (allow_avx512 && __builtin_cpu_supports("avx512f")) return ReductionIsa::Avx512f;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ReductionIsa::Avx2;
    return ReductionIsa::Baseline;
  }();
  return isa;
}

}  // namespace numfuse::reduction
