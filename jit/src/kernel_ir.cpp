#include "numfuse/jit/kernel_ir.hpp"

#include <cstdio>

#include "numfuse/jit/scheduler.hpp"

#ifndef NUMFUSE_VERSION_STRING
#define NUMFUSE_VERSION_STRING "unknown"
#endif

namespace numfuse::jit {

const char* numfuse_version() { return NUMFUSE_VERSION_STRING; }

namespace {

int16_t node_index(const Group& g, const Node* n) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i] == n) return static_cast<int16_t>(i);
  }
  return -1;
}

// Visits every field of a kernel in one fixed order: serialize() and hash() both walk it, so a
// field added to the struct and to this walk is in both.
template <class F>
void visit_fields(const FusedKernel& k, F&& put) {
  put(k.rank);
  put(static_cast<int>(k.leaves.size()));
  for (const auto& l : k.leaves) {
    put(static_cast<int>(l.dtype));
    put(static_cast<int>(l.layout));
  }
  put(static_cast<int>(k.ops.size()));
  for (const auto& op : k.ops) {
    put(static_cast<int>(op.op));
    put(static_cast<int>(op.loop_dtype));
    put(static_cast<int>(op.dtype));
    put(op.nin);
    for (int i = 0; i < op.nin; ++i) {
      put(op.in[i]);
      put(static_cast<int>(op.in_types[i]));
    }
  }
  put(static_cast<int>(k.outputs.size()));
  for (const auto& o : k.outputs) {
    put(o.op);
    put(static_cast<int>(o.dtype));
    put(static_cast<int>(o.layout));
  }
  put(k.sink_op);
  put(static_cast<int>(k.sink_dtype));
  put(k.sink_reduction);
}

std::string operand_name(int code) {
  std::string s(1, code >= 0 ? 'l' : 't');
  s += std::to_string(code >= 0 ? code : -1 - code);
  return s;
}

}  // namespace

bool FusedKernel::operator==(const FusedKernel& other) const {
  return rank == other.rank && leaves == other.leaves && ops == other.ops && outputs == other.outputs &&
         sink_op == other.sink_op && sink_dtype == other.sink_dtype && sink_reduction == other.sink_reduction;
}

size_t FusedKernel::hash() const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the fields
  visit_fields(*this, [&h](int v) {
    h ^= static_cast<uint64_t>(static_cast<uint32_t>(v));
    h *= 1099511628211ull;
  });
  return static_cast<size_t>(h);
}

std::string FusedKernel::serialize() const {
  std::string s = "numfuse-kernel/" + std::to_string(kFormatVersion) + "/" + numfuse_version() + "/";
  visit_fields(*this, [&s](int v) {
    // Little-endian 32-bit fields: the same bytes on every run of every build of this version.
    for (int b = 0; b < 4; ++b) s.push_back(static_cast<char>((static_cast<uint32_t>(v) >> (8 * b)) & 0xff));
  });
  return s;
}

std::string FusedKernel::dump() const {
  std::string s = "fused kernel, rank " + std::to_string(rank) + "\n";
  for (size_t i = 0; i < leaves.size(); ++i) {
    s += "  l" + std::to_string(i) + ": leaf " + std::string(name(leaves[i].dtype)) + " (" +
         static_cast<char>(leaves[i].layout) + ")\n";
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    s += "  t" + std::to_string(i) + " = ";
    if (op.is_cast()) {
      s += "cast " + operand_name(op.in[0]) + " -> " + std::string(name(op.dtype)) + "\n";
      continue;
    }
    s += std::string(ufuncs::op_info(op.op).name) + "[" + std::string(name(op.loop_dtype)) + "](";
    for (int k = 0; k < op.nin; ++k) {
      s += (k ? ", " : "") + operand_name(op.in[k]) + " as " + std::string(name(op.in_types[k]));
    }
    s += ") -> " + std::string(name(op.dtype)) + "\n";
  }
  for (size_t o = 0; o < outputs.size(); ++o) {
    s += "  out" + std::to_string(o) + " <- t" + std::to_string(outputs[o].op) + " as " +
         std::string(name(outputs[o].dtype)) + " (" + static_cast<char>(outputs[o].layout) + ")\n";
  }
  if (sink_op >= 0) {
    s += "  sink <- t" + std::to_string(sink_op) + " as " + std::string(name(sink_dtype)) + " (reduction " +
         std::to_string(sink_reduction) + ")\n";
  }
  return s;
}

FusedKernel describe(const Group& g, const LayoutClass* leaf_layouts, const LayoutClass* output_layouts,
                     int rank, const SinkSpec& sink) {
  FusedKernel k;
  k.rank = static_cast<int8_t>(rank);
  for (size_t i = 0; i < g.leaves.size(); ++i) k.leaves.push_back({leaf_dtype(g.leaves[i]), leaf_layouts[i]});
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node* n = g.nodes[i];
    FusedKernel::Op op;
    op.nin = static_cast<uint8_t>(g.operands[i].size());
    for (int j = 0; j < op.nin; ++j) op.in[j] = static_cast<int16_t>(g.operands[i][j]);
    op.dtype = n->dtype;
    if (n->kind == NodeKind::Cast) {
      op.op = ufuncs::OpId::none;
      const int code = op.in[0];
      op.loop_dtype = code >= 0 ? k.leaves[code].dtype : k.ops[-1 - code].dtype;
      op.in_types[0] = op.loop_dtype;
    } else {
      op.op = n->op;
      op.loop_dtype = n->loop_dtype;
      for (int j = 0; j < op.nin; ++j) op.in_types[j] = n->input_types[j];
    }
    k.ops.push_back(op);
  }
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const Node* n = g.outputs[o];
    k.outputs.push_back({node_index(g, n), n->destination ? n->destination->dtype() : n->dtype, output_layouts[o]});
  }
  if (sink.node) {
    k.sink_op = node_index(g, sink.node);
    k.sink_dtype = sink.dtype;
    k.sink_reduction = static_cast<int16_t>(sink.reduction);
  }
  return k;
}

}  // namespace numfuse::jit
