// Placeholder until the LLVM module lands: no native backend, every kernel stays on tier 1.
#include "backend.hpp"

namespace numfuse::jit::native {

bool available() { return false; }

std::unique_ptr<CompiledKernel> build(const KernelEntry&) { return nullptr; }

}  // namespace numfuse::jit::native
