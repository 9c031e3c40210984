#include "evaluate.hpp"

#include <chrono>

#include "numfuse/jit/interpreter.hpp"
#include "numfuse/jit/program.hpp"
#include "numfuse/jit/scheduler.hpp"
#include "numfuse/jit/thread_pool.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit::detail {

namespace {

std::function<void(const std::function<void()>&)>& blocking_section() {
  static std::function<void(const std::function<void()>&)> fn =
      [](const std::function<void()>& f) { f(); };
  return fn;
}

// `a` seen with the iteration space's shape: size-1 and missing leading axes get stride 0.
Array broadcast_view(const Array& a, const Shape& shape) {
  const int nd = static_cast<int>(shape.size());
  const int off = nd - a.ndim();
  Strides strides(nd, 0);
  for (int i = 0; i < a.ndim(); ++i) strides[off + i] = a.shape()[i] == 1 ? 0 : a.strides()[i];
  return a.with_layout(a.offset(), shape, strides);
}

// The array an output node's value is written to.
Array output_array(Node* n) {
  if (n->destination) return *n->destination;
  if (auto buffer = n->result.lock()) {
    buffer->allocate_storage();
    return Array(buffer, 0, n->shape, c_strides(n->shape, itemsize(n->dtype)), n->dtype);
  }
  return Array::empty(n->shape, n->dtype);  // forced after its holder let go (a write hazard)
}

}  // namespace

std::recursive_mutex& graph_mutex() {
  static std::recursive_mutex m;
  return m;
}

JitStats& mutable_stats() {
  static JitStats s;
  return s;
}

std::unique_lock<std::recursive_mutex> lock_graph() {
  std::unique_lock<std::recursive_mutex> lock(graph_mutex(), std::try_to_lock);
  if (!lock.owns_lock()) blocking_section()([&] { lock.lock(); });
  return lock;
}

void set_blocking_section_impl(std::function<void(const std::function<void()>&)> fn) {
  blocking_section() = std::move(fn);
}

void evaluate_group(const std::vector<Node*>& roots) {
  Group g = schedule(roots);
  // Storing results drops inputs, which may free nodes of this group: hold them until the end.
  std::vector<NodePtr> keep;
  for (Node* n : g.nodes) keep.push_back(n->shared_from_this());
  for (Node* n : g.leaves) keep.push_back(n->shared_from_this());
  std::vector<Array> operands;
  for (Node* n : g.outputs) {
    Array out = output_array(n);
    // Fresh outputs hold the node's own shape, which may lack leading length-1 axes.
    operands.push_back(broadcast_view(out, g.shape));
    n->value = out;
  }
  for (Node* leaf : g.leaves) operands.push_back(broadcast_view(leaf->value, g.shape));

  IterationSpace space = collapse(g.shape, operands);
  std::vector<LayoutClass> leaf_layouts, output_layouts;
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    output_layouts.push_back(layout_class(space, k, operands[k].itemsize()));
  }
  for (size_t k = 0; k < g.leaves.size(); ++k) {
    size_t op = g.outputs.size() + k;
    leaf_layouts.push_back(layout_class(space, op, operands[op].itemsize()));
  }
  const std::string sig = signature(g, leaf_layouts, output_layouts, static_cast<int>(space.shape.size()));
  auto program = cached_program(g, sig);

  auto start = std::chrono::steady_clock::now();
  const int threads = ThreadPool::instance().size();
  blocking_section()([&] { run_program(*program, space, g.outputs.size(), threads); });
  auto& st = mutable_stats();
  ++st.groups_run;
  st.run_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (Node* n : g.outputs) {
    n->done = true;
    if (auto buffer = n->result.lock(); buffer && buffer->pending().get() == n) buffer->clear_pending();
    n->inputs.clear();  // the value is stored: inputs may now be freed
  }
}

}  // namespace numfuse::jit::detail
