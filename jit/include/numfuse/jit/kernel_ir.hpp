// The kernel IR: a fused group as a value. A FusedKernel names what one pass over a group's
// iteration space computes (ops by OpId, casts by dtype pair, each leaf's and output's dtype and
// layout class, the rank of the collapsed space, the fused reduction's sink) and nothing that
// depends on sizes, data or live nodes. It is the kernel cache's key (==, hash), the input of
// both backends (tier 1's Program, tier 2's native code) and, serialized, the on-disk cache's key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "numfuse/core/dtype.hpp"
#include "numfuse/core/small_vector.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::jit {

struct Group;
class Node;

// Layout class of an operand along the innermost axis of the collapsed iteration space.
enum class LayoutClass : char { Contiguous = 'c', Scalar = 's', Strided = 'x' };

// What a fused reduction reads: the value of `node` (a root of the group) as `dtype`, folded by
// the reduction `reduction` (a ReductionOp's value; -1 when unknown).
struct SinkSpec {
  const Node* node = nullptr;
  DType dtype = DType::Float64;
  int reduction = -1;
};

struct FusedKernel {
  // Bumped whenever the meaning of a serialized kernel changes (the disk cache drops old entries).
  static constexpr uint32_t kFormatVersion = 1;

  struct Leaf {
    DType dtype;
    LayoutClass layout;
    bool operator==(const Leaf&) const = default;
  };
  // An op over earlier ops and leaves; `op == OpId::none` is a cast of in[0] to `dtype`.
  struct Op {
    ufuncs::OpId op = ufuncs::OpId::none;
    DType loop_dtype = DType::Float64;       // the kernel's dtype (a cast: its source dtype)
    DType dtype = DType::Float64;            // the result's dtype
    uint8_t nin = 0;
    int16_t in[3] = {0, 0, 0};               // >= 0: leaf index; < 0: -(1 + op index)
    DType in_types[3] = {DType::Bool, DType::Bool, DType::Bool};  // each input converted to first
    bool is_cast() const { return op == ufuncs::OpId::none; }
    bool operator==(const Op&) const = default;
  };
  struct Output {
    int16_t op;          // the op whose value is stored
    DType dtype;         // the stored dtype (out= may differ from the op's)
    LayoutClass layout;
    bool operator==(const Output&) const = default;
  };

  int8_t rank = 1;  // of the collapsed iteration space
  SmallVector<Leaf, 8> leaves;
  SmallVector<Op, 8> ops;  // topological: inputs before users
  SmallVector<Output, 4> outputs;
  int16_t sink_op = -1;  // the op whose value a fused reduction folds (-1: none)
  DType sink_dtype = DType::Float64;
  int16_t sink_reduction = -1;

  bool operator==(const FusedKernel& other) const;
  size_t hash() const;
  // Stable bytes: format version, numfuse version, then every field (no pointers, no sizes of
  // data). The on-disk cache adds the CPU it compiled for.
  std::string serialize() const;
  // One line per op, for people (NUMFUSE_DUMP=1 prints each new kernel to stderr).
  std::string dump() const;
};

struct FusedKernelHash {
  size_t operator()(const FusedKernel& k) const { return k.hash(); }
};

// The kernel computed by group `g` when its leaves and outputs have these layout classes over a
// collapsed space of `rank` axes, with `sink` folded after each block when it names a node.
FusedKernel describe(const Group& g, const LayoutClass* leaf_layouts, const LayoutClass* output_layouts,
                     int rank, const SinkSpec& sink);

// The version string of this build (part of serialize()).
const char* numfuse_version();

}  // namespace numfuse::jit
