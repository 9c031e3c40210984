#include "numfuse/jit/scheduler.hpp"

#include <utility>

namespace numfuse::jit {

namespace {

// Groups are small (at most kMaxPendingNodes nodes), so duplicates are found by linear scans:
// cheaper than hashing shapes for every op of a hot loop.
bool same_view(const Array& a, const Array& b) {
  return a.data() == b.data() && a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.strides() == b.strides();
}

// Same op, dtypes and (canonical) inputs: the same value.
bool same_computation(const Node& a, const SmallVector<int, 3>& a_ops, const Node& b,
                      const SmallVector<int, 3>& b_ops) {
  return a.kind == b.kind && a.op == b.op && a.dtype == b.dtype && a.loop_dtype == b.loop_dtype &&
         a.input_types == b.input_types && a_ops == b_ops;
}

class Builder {
 public:
  Builder(const Shape& shape, bool allow_producer) : allow_producer_(allow_producer) {
    group_.shape = shape;
    // Sized for a typical expression: growing these vector by vector costs more than the scan.
    seen_.reserve(16);
    group_.held.reserve(16);
    group_.nodes.reserve(8);
    group_.operands.reserve(8);
    group_.leaves.reserve(4);
  }

  // Returns the operand code of `n` (see Group::operands). Roots are always fused.
  int visit(Node* n, bool is_root = false) {
    for (const auto& [node, code] : seen_) {
      if (node == n) return code;
    }
    group_.held.push_back(n->shared_from_this());  // n is alive now: its user's inputs hold it
    int code = (is_root || fusible(n)) ? fuse(n) : leaf(n);
    seen_.emplace_back(n, code);
    return code;
  }

  Group finish() { return std::move(group_); }

 private:
  bool fusible(Node* n) const {
    return !n->done && !n->failed() && (n->kind == NodeKind::Elementwise || n->kind == NodeKind::Cast) &&
           !n->destination && shape_size(n->shape) == shape_size(group_.shape);
  }

  int leaf(Node* n) {
    // A temporary product with the group's shape is left pending: run_group makes its rows in
    // panels and runs the group over each panel while it is in cache.
    if (allow_producer_ && group_.producer < 0 && n->kind == NodeKind::Produced && !n->done &&
        n->result.expired() && n->shape == group_.shape) {
      group_.leaves.push_back(n);
      group_.producer = static_cast<int>(group_.leaves.size()) - 1;
      return group_.producer;
    }
    // A separate group, evaluated first (a failed input throws its error: the group fails too).
    if (!n->done && n->kind != NodeKind::Leaf) n->run();
    n->value.data();  // runs any work still pending on the leaf's buffer (a view of a lazy result)
    for (size_t i = 0; i < group_.leaves.size(); ++i) {
      if (static_cast<int>(i) != group_.producer && same_view(group_.leaves[i]->value, n->value)) {
        return static_cast<int>(i);
      }
    }
    group_.leaves.push_back(n);
    return static_cast<int>(group_.leaves.size()) - 1;
  }

  int fuse(Node* n) {
    SmallVector<int, 3> ops;
    for (auto& in : n->inputs) ops.push_back(visit(in.get()));
    // A duplicate reuses the first computation, unless someone holds its result (then it must
    // be stored, and computing it again in registers is cheaper than tracking aliases).
    if (n->result.expired()) {
      for (size_t i = 0; i < group_.nodes.size(); ++i) {
        if (same_computation(*group_.nodes[i], group_.operands[i], *n, ops)) return -1 - static_cast<int>(i);
      }
    }
    int code = -1 - static_cast<int>(group_.nodes.size());
    group_.nodes.push_back(n);
    group_.operands.push_back(std::move(ops));
    return code;
  }

 private:
  Group group_;
  bool allow_producer_;
  std::vector<std::pair<Node*, int>> seen_;  // small: a linear scan beats hashing
};

}  // namespace

Group schedule(const std::vector<Node*>& roots, bool roots_stored) {
  // Panels of a product only where the group stores its results (no fused reduction).
  for (Node* r : roots) {
    if (r->failed()) std::rethrow_exception(r->error);
  }
  Builder b(roots.front()->shape, /*allow_producer=*/roots_stored && roots.front()->shape.size() == 2);
  for (Node* r : roots) b.visit(r, true);
  Group g = b.finish();
  // Outputs: the roots first, then intermediates whose buffers are still held by someone.
  // A root that only feeds a fused reduction is not stored even if its handle is alive: in
  // `(a*b).sum()` the temporary a*b is alive during the call, and writing it would double the
  // memory traffic. Should its value be wanted later, reading it computes it then.
  if (roots_stored) g.outputs = roots;
  for (Node* n : g.nodes) {
    bool is_root = false;
    for (Node* r : roots) is_root = is_root || r == n;
    // (A node an input group stored meanwhile, while this one was scheduled, is computed here in
    // registers only: its buffer already holds the value.)
    if (!is_root && !n->done && !n->result.expired()) g.outputs.push_back(n);
  }
  return g;
}

}  // namespace numfuse::jit
