#include "numfuse/jit/scheduler.hpp"

#include <map>
#include <tuple>
#include <unordered_map>

namespace numfuse::jit {

namespace {

// Identity of a leaf's value: the same memory seen the same way.
using LeafKey = std::tuple<const std::byte*, Shape, Strides, DType>;
// Identity of an elementwise node's value: op, result dtype, loop dtype and canonical inputs.
using NodeKey = std::tuple<int, int, int, std::vector<int>>;

class Builder {
 public:
  explicit Builder(const Shape& shape) { group_.shape = shape; }

  // Returns the operand code of `n` (see Group::operands). Roots are always fused.
  int visit(Node* n, bool is_root = false) {
    if (auto it = seen_.find(n); it != seen_.end()) return it->second;
    int code = (is_root || fusible(n)) ? fuse(n) : leaf(n);
    seen_[n] = code;
    return code;
  }

  Group finish() { return std::move(group_); }

 private:
  bool fusible(Node* n) const {
    return !n->done && n->kind == NodeKind::Elementwise && !n->destination &&
           shape_size(n->shape) == shape_size(group_.shape);
  }

  int leaf(Node* n) {
    if (!n->done && n->kind != NodeKind::Leaf) n->run();  // a separate group, evaluated first
    const Array& a = n->value;
    // data() runs any work still pending on the leaf's buffer (a view of another lazy result).
    LeafKey key{a.data(), a.shape(), a.strides(), a.dtype()};
    if (auto it = leaf_ids_.find(key); it != leaf_ids_.end()) return it->second;
    int id = static_cast<int>(group_.leaves.size());
    group_.leaves.push_back(n);
    leaf_ids_.emplace(std::move(key), id);
    return id;
  }

  int fuse(Node* n) {
    std::vector<int> ops;
    for (auto& in : n->inputs) ops.push_back(visit(in.get()));
    NodeKey key{static_cast<int>(n->op), static_cast<int>(n->dtype), static_cast<int>(n->loop_dtype), ops};
    // A duplicate reuses the first computation, unless someone holds its result (then it must
    // be stored, and computing it again in registers is cheaper than tracking aliases).
    const bool held = !n->result.expired();
    if (auto it = node_ids_.find(key); it != node_ids_.end() && !held) return it->second;
    int code = -1 - static_cast<int>(group_.nodes.size());
    group_.nodes.push_back(n);
    group_.operands.push_back(std::move(ops));
    node_ids_.try_emplace(std::move(key), code);
    return code;
  }

 private:
  Group group_;
  std::unordered_map<Node*, int> seen_;
  std::map<LeafKey, int> leaf_ids_;
  std::map<NodeKey, int> node_ids_;
};

}  // namespace

Group schedule(const std::vector<Node*>& roots) {
  Builder b(roots.front()->shape);
  for (Node* r : roots) b.visit(r, true);
  Group g = b.finish();
  // Outputs: the roots first, then intermediates whose buffers are still held by someone.
  for (Node* r : roots) g.outputs.push_back(r);
  for (Node* n : g.nodes) {
    bool is_root = false;
    for (Node* r : roots) is_root = is_root || r == n;
    if (!is_root && !n->result.expired()) g.outputs.push_back(n);
  }
  return g;
}

}  // namespace numfuse::jit
