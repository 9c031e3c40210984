// The native backend as tier.cpp sees it (no LLVM here: LLVM lives in a module loaded on first
// use, jit/src/native/llvm_module.cpp, so importing numfuse never pays for loading it).
#pragma once

#include <memory>

#include "numfuse/jit/program.hpp"

namespace numfuse::jit::native {

// Whether the backend module loads and works in this process (tried once).
bool available();

// Native code for the entry's kernel, compiled or loaded from the on-disk cache; nullptr when
// the kernel stays on tier 1 (an op or a layout the backend does not take) or the backend is
// unavailable. Thread-safe; may take milliseconds.
std::unique_ptr<CompiledKernel> build(const KernelEntry& entry);

}  // namespace numfuse::jit::native
