// The scheduler cuts the pending graph into a fused group: the maximal region of elementwise
// nodes that run in one pass over the group's iteration space.
#pragma once

#include <vector>

#include "numfuse/jit/graph.hpp"

namespace numfuse::jit {

struct Group {
  Shape shape;                // the iteration space (the roots' shape)
  std::vector<Node*> nodes;   // fused nodes, inputs before users (topological order)
  std::vector<Node*> leaves;  // materialized inputs, each once
  std::vector<Node*> outputs; // nodes whose values are stored: the roots, then live intermediates
  // A leaf that is a pending Produced node (a matrix product nobody else holds): its rows are
  // made panel by panel while the group runs (index into `leaves`, or -1).
  int producer = -1;
  std::vector<SmallVector<int, 3>> operands;  // per fused node: indices into `leaves` (>= 0) or
                                           // -(1 + index into `nodes`) for fused inputs
  // Every node the scheduler visited, owned from the moment it was reached: evaluating an input
  // group while scheduling (a reduction leaf) stores nodes and drops their inputs, which would
  // otherwise free nodes this group has already fused; storing this group's results does too.
  std::vector<NodePtr> held;
};

// The dtype a leaf is read as (a pending Produced leaf has no value yet).
inline DType leaf_dtype(const Node* n) {
  return n->kind == NodeKind::Produced ? n->dtype : n->value.dtype();
}

// Builds the group for `roots` (all pending, elementwise, of one shape). Inputs that cannot fuse
// (other shapes, reductions, destinations) are evaluated first and become leaves. Structurally
// equal subexpressions are merged (common subexpression elimination), so `t + t*c` computes t
// once.
// With `roots_stored` false (a root feeding a fused reduction), roots are computed but not stored.
Group schedule(const std::vector<Node*>& roots, bool roots_stored = true);

}  // namespace numfuse::jit
