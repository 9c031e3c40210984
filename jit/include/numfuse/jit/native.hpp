// Tier 2: native code for hot kernels (jit/src/native/), and the policy choosing between tiers.
// NUMFUSE_JIT=interp|native|auto (read at the first group run; default auto):
//   interp: tier 1 only;
//   native: a kernel is compiled the first time it runs, synchronously (tests use this);
//   auto:   kernels run on tier 1 and are compiled on a background thread once they have run
//           kNativeAfterRuns times or cover kNativeLargeElements elements; calls switch to the
//           native code when it is ready.
// Kernels the native backend does not take (native.cpp: supports()) stay on tier 1 in every mode.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "numfuse/jit/program.hpp"

namespace numfuse::jit {

enum class JitMode : uint8_t { Interp, Native, Auto };

inline constexpr uint64_t kNativeAfterRuns = 3;
inline constexpr int64_t kNativeLargeElements = int64_t{1} << 20;

JitMode jit_mode();
JitMode set_jit_mode(JitMode mode);  // returns the previous mode

// The code to run `entry` with for a group of `elements` elements: its native code when
// compiled (compiling it first in mode native, queueing it in mode auto once hot), else tier 1.
// `rerunnable` as in run_program: groups writing into their own inputs stay on tier 1 (their
// floating-point flags are collected instruction by instruction).
const CompiledKernel& select_tier(const std::shared_ptr<KernelEntry>& entry, int64_t elements, bool rerunnable);

// Whether the native backend (LLVM, loaded on first use) can be used in this process.
bool native_available();

struct NativeStats {
  uint64_t native_compiles = 0;        // kernels compiled by LLVM
  double native_compile_seconds = 0;   // time spent compiling them
  uint64_t native_runs = 0;            // groups run with native code
  uint64_t disk_cache_hits = 0;        // kernels loaded from the on-disk cache
  uint64_t native_summing_kernels = 0;  // of the kernels built, those that sum blocks in registers
};
NativeStats native_stats();
void reset_native_stats();
// Compile time of each kernel compiled so far (seconds), for benchmarks.
std::vector<double> native_compile_times();
// Waits until no background compilation is queued or running (tests, benchmarks).
void wait_for_native_compiles();

}  // namespace numfuse::jit
