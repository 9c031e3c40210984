// A fused kernel compiled for the block interpreter (tier 1): a short list of kernel calls over
// value slots, built from a FusedKernel (kernel_ir.hpp), and the kernel cache: FusedKernel ->
// entry holding the tier-1 program and, once compiled, native code (tier 2).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "numfuse/core/copy.hpp"
#include "numfuse/jit/kernel_ir.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/kernels.hpp"

namespace numfuse::jit {

// Where a slot's block of values lives while a block runs: its role.
struct Slot {
  enum class Place : uint8_t { Leaf, Output, Temp };
  Place place;
  int index;   // leaf index, output index, or physical temp buffer
  DType dtype;
};

struct Instruction {
  ufuncs::Kernel kernel = nullptr;  // an op ...
  CastFn cast = nullptr;            // ... or a dtype conversion (then one input)
  ufuncs::OpId op = ufuncs::OpId::none;  // the op (none: a conversion) and its loop dtype, or
  DType dtype = DType::Float64;          // a conversion's source dtype (the target is out's)
  int nin = 0;
  int in[3] = {0, 0, 0};            // slot indices
  int out = 0;                      // slot index
  // Floating-point flags (ufuncs/fp_status.hpp): whom the flags raised here are charged to,
  // whether the kernel's hardware flags are NumPy's, and the op's rule where they are not.
  int16_t fp_source = ufuncs::fp::kSourceCast;
  bool fp_trusted = true;
  ufuncs::FpRule fp_rule = nullptr;
};

struct Program {
  std::vector<Slot> slots;
  std::vector<Instruction> code;
  int num_temps = 0;  // physical block buffers a thread needs
  int sink = -1;      // slot a fused reduction folds after each block (-1: none)
  int num_outputs = 0;  // operands of the space before the leaves
  // The slot holding the final value of each output; outputs whose instruction did not write
  // them in place get a trailing copy/cast instruction, so after `code` all outputs are stored.
};

// Builds the tier-1 program of a kernel (called on a kernel-cache miss).
std::shared_ptr<const Program> build_program(const FusedKernel& kernel);

// Where a block's sink values are after it ran (the fused reduction folds them).
struct SinkValues {
  const std::byte* values = nullptr;
  int64_t stride = 0;
  // run_full_block_summing: `values` holds one element, the block's pairwise sum.
  bool summed = false;
};

// The backend seam: code that runs one block of a kernel. Operand k's block is at ptr[k] with
// stride stride[k] (outputs first, then leaves, then operands the caller adds). The interpreter
// (interpreter.hpp) and native code (native.hpp) are its two implementations.
class CompiledKernel {
 public:
  virtual ~CompiledKernel() = default;
  // Runs the block of m <= kBlockElements elements. `rerunnable`: no output overlaps a leaf, so
  // the block may run twice (interpreter.cpp: how floating-point flags are attributed).
  virtual SinkValues run_block(const std::byte* const* ptr, const int64_t* stride, int64_t m,
                               bool rerunnable) const = 0;
  // A block of exactly kBlockElements elements whose fused reduction takes block sums
  // (ReduceLoop::add_block_sum): code that can hands back the sink's pairwise sum (summed), other
  // code its values.
  virtual SinkValues run_full_block_summing(const std::byte* const* ptr, const int64_t* stride,
                                            bool rerunnable) const;
};

// A kernel-cache entry: the kernel, its tier-1 program and interpreter, and a slot that native
// code fills once it is compiled (calls then switch to it); `runs` counts the groups it ran.
struct KernelEntry {
  FusedKernel kernel;
  std::shared_ptr<const Program> program;
  std::unique_ptr<CompiledKernel> interpreter;
  std::atomic<const CompiledKernel*> native{nullptr};  // owned by the native backend, never freed
  std::atomic<uint64_t> runs{0};
  std::atomic<bool> native_requested{false};  // compilation queued or done (or refused)
};

// FusedKernel -> entry; thread-safe. Builds the entry on a miss. Counts hits and misses in the
// JIT statistics; with NUMFUSE_DUMP=1 prints each new kernel to stderr.
std::shared_ptr<KernelEntry> lookup_kernel(const FusedKernel& kernel);

}  // namespace numfuse::jit
