// A fused group compiled for the block interpreter: a short list of kernel calls over value
// slots. Programs depend only on the group's structure (ops, dtypes, input layout classes, rank),
// never on sizes or data, so they are cached by that signature and reused across calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "numfuse/core/copy.hpp"
#include "numfuse/jit/scheduler.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/kernels.hpp"

namespace numfuse::jit {

// Where a slot's block of values lives while a block runs.
struct Slot {
  enum class Place : uint8_t { Leaf, Output, Temp };
  Place place;
  int index;   // leaf index, output index, or physical temp buffer
  DType dtype;
};

struct Instruction {
  ufuncs::Kernel kernel = nullptr;  // an op ...
  CastFn cast = nullptr;            // ... or a dtype conversion (then one input)
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
  // The slot holding the final value of each output; outputs whose instruction did not write
  // them in place get a trailing copy/cast instruction, so after `code` all outputs are stored.
};

// Layout class of an operand along the innermost axis, part of the signature.
enum class LayoutClass : char { Contiguous = 'c', Scalar = 's', Strided = 'x' };

// The structural signature of a group, given each leaf's and output's layout class and the rank
// of the collapsed iteration space.
std::string signature(const Group& g, const std::vector<LayoutClass>& leaf_layouts,
                      const std::vector<LayoutClass>& output_layouts, int rank);

// What a fused reduction reads: the value of `node` (a root of the group) as `dtype`.
struct SinkSpec {
  const Node* node = nullptr;
  DType dtype = DType::Float64;
};

// Builds the program for a group (called on a kernel-cache miss).
std::shared_ptr<const Program> build_program(const Group& g, const SinkSpec& sink = {});

// Signature -> program; thread-safe. Counts hits and misses in the JIT statistics. The
// signature must include the sink when there is one.
std::shared_ptr<const Program> cached_program(const Group& g, const std::string& sig,
                                              const SinkSpec& sink = {});

}  // namespace numfuse::jit
