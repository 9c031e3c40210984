// Tier 1: the block interpreter. Runs a Program over the group's iteration space block by block
// (blocks small enough that every slot of a block stays in L1/L2), spreading blocks over the
// thread pool. Only leaves are read from memory and only outputs are written.
#pragma once

#include <memory>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/jit/program.hpp"
#include "numfuse/ufuncs/reduce_loop.hpp"

namespace numfuse::jit {

// Elements per block: every slot of a block (leaves, temps, outputs) stays in L1. 256 float64
// are 2 KiB a slot; 1024 spilled a five-op chain to L2 and cost 40% more per op.
inline constexpr int64_t kBlockElements = 256;
// Below this many elements a group runs on the calling thread only.
inline constexpr int64_t kMinParallelElements = 1 << 16;

// The collapsed loop nest over which a group runs: operands are the outputs then the leaves.
struct IterationSpace {
  Shape shape;                    // collapsed; innermost last; never empty
  std::vector<Strides> strides;   // per operand, matching shape
  std::vector<std::byte*> base;   // per operand
};

// `operands` are already broadcast to `shape` (outputs first, then leaves).
IterationSpace collapse(const Shape& shape, const std::vector<Array>& operands);

LayoutClass layout_class(const IterationSpace& space, size_t operand, int itemsize);

// A fused reduction's accumulation: each thread folds the sink slot of every block it runs into
// its own partial (blocks merged pairwise, so float sums keep pairwise accuracy); partials come
// back in range order, for the caller to combine in that order (deterministic results).
struct ReductionSink {
  const reduction::ReduceLoop* loop = nullptr;
  std::vector<std::vector<std::byte>> partials;  // filled by run_program, one per range

  // Reductions over some axes: operand `state_operand` of the space addresses the state of each
  // element's result (stride 0 along reduced axes); range t uses the states at
  // base + t * state_task_stride. Blocks fold into those states directly (no partials).
  int state_operand = -1;
  int64_t state_task_stride = 0;
  int max_tasks = 1 << 30;  // state arrays are per range: big ones limit the ranges
  int tasks_used = 0;       // set by run_program
  bool fp_trusted = true;  // the fold's IEEE flags are NumPy's (reduction_reports_fp_flags)
};

// The last-level cache's size in bytes (sysconf; 32 MiB when unknown).
int64_t last_level_cache_bytes();

// Tier 1 as a CompiledKernel: runs the program's instructions on each block.
std::unique_ptr<CompiledKernel> make_interpreter(std::shared_ptr<const Program> program);

// Runs `kernel` (either tier) over the space, block by block on `threads` threads.
// `rerunnable`: no output overlaps a leaf, so a block may run twice (the cheap way to learn
// which op raised a floating-point flag: interpreter.cpp).
void run_program(const CompiledKernel& kernel, const IterationSpace& space, int threads,
                 ReductionSink* sink = nullptr, bool rerunnable = false);

}  // namespace numfuse::jit
