#include "numfuse/jit/lazy.hpp"

#include <array>
#include <map>
#include <span>
#include <unordered_map>
#include <utility>
#include <string>

#include "evaluate.hpp"
#include "node_alloc.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/graph.hpp"
#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/jit/trace.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/kernels.hpp"
#include "numfuse/ufuncs/promotion.hpp"
#include "numfuse/ufuncs/reduce.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit {

namespace detail {
void set_blocking_section_impl(std::function<void(const std::function<void()>&)> fn);
}

namespace {

bool g_lazy = true;

// Every node recorded since the last evaluate_all(), weakly (guarded by the graph lock): what
// nf.errstate evaluates on entry and exit. Forgotten entries are dropped as the list grows.
std::vector<std::weak_ptr<Node>>& recorded() {
  static std::vector<std::weak_ptr<Node>> nodes;
  return nodes;
}

// While a function is traced for @nf.jit (trace.hpp) its nodes are recorded, never evaluated:
// the placeholders they read have no bytes. So they are neither remembered nor run at the bound.
bool past_bound(const Node& n) { return n.pending_size > kMaxPendingNodes && !trace::active(); }

void remember(const NodePtr& n) {
  if (trace::active()) return;
  static size_t limit = 64;
  auto& nodes = recorded();
  if (nodes.size() >= limit) {
    std::erase_if(nodes, [](const std::weak_ptr<Node>& w) {
      auto p = w.lock();
      return !p || p->done;
    });
    limit = std::max<size_t>(64, 2 * nodes.size());
  }
  nodes.push_back(n);
}

// True if evaluating `n` in place into `out` could read an element of `out` after writing it:
// some leaf overlaps `out` without being exactly `out` (a[1:] += a[:-1]).
bool reads_out_unsafely(const Node& n, const Array& out) {
  for (const auto& in : n.inputs) {
    if (in->kind == NodeKind::Leaf || in->done) {
      const Array& a = in->value;
      if (a.may_share_memory(out) &&
          !(a.buffer() == out.buffer() && a.offset() == out.offset() && a.strides() == out.strides() &&
            a.shape() == out.shape())) {
        return true;
      }
    } else if (reads_out_unsafely(*in, out)) {
      return true;
    }
  }
  return false;
}

void check_out(ufuncs::OpId op, const Array& out, const Shape& shape, DType result) {
  if (out.shape() != shape) {
    throw_value_error("non-broadcastable output operand with shape " + shape_repr(out.shape()) +
                      " doesn't match the broadcast shape " + shape_repr(shape));
  }
  if (!out.writeable()) throw_value_error("output array is read-only");
  if (!ufuncs::can_cast_same_kind(result, out.dtype())) {
    throw_type_error("Cannot cast ufunc '" + std::string(ufuncs::op_info(op).name) +
                     "' output from dtype('" + std::string(name(result)) + "') to dtype('" +
                     std::string(name(out.dtype())) + "') with casting rule 'same_kind'");
  }
}

// The broadcast shape of the inputs (and out=). Most ops combine arrays of one shape: that case
// copies nothing; anything else goes through the general rule and its error message.
Shape broadcast_shape(const std::vector<ufuncs::Operand>& inputs, const std::optional<Array>& out) {
  const Shape& first = inputs.front().array.shape();
  bool same = !out || out->shape() == first;
  for (size_t k = 1; k < inputs.size() && same; ++k) same = inputs[k].array.shape() == first;
  if (same) return first;
  std::vector<Shape> shapes;
  shapes.reserve(inputs.size() + 1);
  for (const auto& o : inputs) shapes.push_back(o.array.shape());
  if (out) shapes.push_back(out->shape());
  return broadcast_shapes(shapes);
}

// resolve_dtypes, memoized: the answer depends only on the op, the input dtypes and which inputs
// are weak Python scalars, and a hot loop asks the same question for every op it records.
// Guarded by the graph lock.
ufuncs::LoopTypes loop_types(ufuncs::OpId op, const std::vector<ufuncs::Operand>& inputs) {
  static std::unordered_map<uint64_t, ufuncs::LoopTypes> memo;
  uint64_t key = static_cast<uint64_t>(op);
  std::array<ufuncs::OperandType, 3> types{};
  for (size_t k = 0; k < inputs.size(); ++k) {
    types[k] = {inputs[k].array.dtype(), inputs[k].weak};
    key = (key << 6) | (static_cast<uint64_t>(types[k].dtype) << 2) | static_cast<uint64_t>(types[k].weak);
  }
  key = (key << 2) | inputs.size();
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  const ufuncs::LoopTypes lt = ufuncs::resolve_dtypes(op, std::span(types.data(), inputs.size()));
  if (!ufuncs::find_kernel(op, lt.loop)) {
    throw_type_error("ufunc '" + std::string(ufuncs::op_info(op).name) + "' has no loop for dtype " +
                     std::string(name(lt.loop)));
  }
  memo.emplace(key, lt);
  return lt;
}

// The node reads its inputs: writes into them run it first.
void register_reads(const NodePtr& node) {
  for (const auto& in : node->inputs) {
    if (in->kind == NodeKind::Leaf) in->value.buffer()->add_reader(node);
    // A fused input's result can be written too (y = x + 1; x[0] = 5): y must run first.
    else if (auto held = in->result.lock()) held->add_reader(node);
  }
}

// A recorded node's result: a pending C-ordered array (run at once past the bound).
Array pending_result(const NodePtr& node) {
  const int isz = itemsize(node->dtype);
  auto buffer = Buffer::deferred(static_cast<size_t>(shape_size(node->shape) * isz), node);
  node->result = buffer;
  Array result(buffer, 0, node->shape, c_strides(node->shape, isz), node->dtype);
  if (past_bound(*node) || result.size() == 0) node->run();
  return result;
}

Array eager(ufuncs::OpId op, const std::vector<ufuncs::Operand>& inputs, const std::optional<Array>& out) {
  ++detail::mutable_stats().eager_fallbacks;
  if (out) out->buffer()->prepare_write();
  return ufuncs::apply_elementwise(op, inputs, out);
}

}  // namespace

Array apply(ufuncs::OpId op, const std::vector<ufuncs::Operand>& inputs, const std::optional<Array>& out) {
  auto lock = detail::lock_graph();
  if (!g_lazy) return eager(op, inputs, out);

  // Dtype and shape errors are raised here, at the line that wrote the op.
  const ufuncs::LoopTypes lt = loop_types(op, inputs);
  const Shape shape = broadcast_shape(inputs, out);
  if (out) check_out(op, *out, shape, lt.output);

  auto node = detail::new_node();
  node->kind = NodeKind::Elementwise;
  node->op = op;
  node->dtype = lt.output;
  node->loop_dtype = lt.loop;
  node->input_types = lt.inputs;
  node->shape = shape;
  for (size_t k = 0; k < inputs.size(); ++k) {
    Array a = inputs[k].array;
    // Weak scalars are converted once, now, to the dtype the loop reads.
    if (inputs[k].weak != ufuncs::Weak::None && a.dtype() != lt.inputs[k]) {
      // One element: convert it directly rather than through the general copy machinery.
      std::array<std::byte, 16> converted{};
      cast_function(a.dtype(), lt.inputs[k])(a.data(), 0, converted.data(), 0, 1);
      a = constant(lt.inputs[k], converted.data());
    }
    NodePtr in = input_node(a);
    if (!in->done) node->pending_size += in->pending_size;
    node->inputs.push_back(std::move(in));
  }
  ++detail::mutable_stats().nodes_recorded;
  remember(node);
  if (auto* recorder = trace::active()) recorder->record_op(inputs, node, out.has_value());

  if (out) {
    if (out->size() == 0 || reads_out_unsafely(*node, *out)) return eager(op, inputs, out);
    out->buffer()->prepare_write();  // earlier lazy readers of out see its old values
    node->destination = *out;
  }
  register_reads(node);
  if (out) {
    out->buffer()->set_pending(node);
    // Another Buffer over these bytes (a second wrap, an export wrapped back) reads them without
    // looking at this one's pending work: write now.
    if (past_bound(*node) || out->buffer()->has_aliases()) node->run();
    return *out;
  }
  return pending_result(node);
}

NodePtr record_like(const Node& pattern, std::span<NodePtr> inputs, uint32_t counted_inputs,
                    Array* result) {
  auto node = detail::new_node();
  node->copy_op_from(pattern);
  node->pending_size = pattern.pending_size;
  node->inputs.reserve(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    NodePtr& in = inputs[k];
    if (!in->done && !((counted_inputs >> k) & 1)) node->pending_size += in->pending_size;
    node->inputs.push_back(std::move(in));
  }
  ++detail::mutable_stats().nodes_recorded;
  register_reads(node);
  if (result) {
    remember(node);  // evaluate_all runs held results only: an intermediate is never one
    *result = pending_result(node);
  } else if (past_bound(*node)) {
    node->run();  // nobody holds its result: it is stored for the nodes that read it
  }
  return node;
}

Array cast(const Array& a, DType dtype) {
  auto lock = detail::lock_graph();
  if (!g_lazy || a.size() == 0) return numfuse::astype(a, dtype, MemoryOrder::C);
  auto node = detail::new_node();
  node->kind = NodeKind::Cast;
  node->dtype = dtype;
  node->loop_dtype = dtype;
  node->input_types[0] = a.dtype();
  node->shape = a.shape();
  NodePtr in = input_node(a);
  if (!in->done) node->pending_size += in->pending_size;
  if (in->kind == NodeKind::Leaf) in->value.buffer()->add_reader(node);
  else if (auto held = in->result.lock()) held->add_reader(node);  // as in apply()
  node->inputs.push_back(std::move(in));
  ++detail::mutable_stats().nodes_recorded;
  remember(node);
  if (auto* recorder = trace::active()) recorder->record_cast(a, node);
  const int isz = itemsize(dtype);
  auto buffer = Buffer::deferred(static_cast<size_t>(shape_size(a.shape()) * isz), node);
  node->result = buffer;
  Array result(buffer, 0, a.shape(), c_strides(a.shape(), isz), dtype);
  if (past_bound(*node)) node->run();
  return result;
}

namespace {

// Records a Reduce node over `reduced` axes (empty: all) with result `shape`; nullopt when the
// reduction is not one that fuses or the input is not pending work.
std::optional<Array> record_reduction(ReductionOp op, const Array& input, std::vector<bool> reduced,
                                      const Shape& shape) {
  auto lock = detail::lock_graph();
  switch (op) {  // the folds whose finalize cannot warn and whose state is position-free
    case ReductionOp::sum: case ReductionOp::prod: case ReductionOp::nansum:
    case ReductionOp::mean: case ReductionOp::min: case ReductionOp::max:
    case ReductionOp::any: case ReductionOp::all:
      break;
    default:
      return std::nullopt;
  }
  if (!g_lazy || input.size() == 0) return std::nullopt;
  NodePtr in = input_node(input);
  if (in->done || (in->kind != NodeKind::Elementwise && in->kind != NodeKind::Cast)) return std::nullopt;
  FullReductionPlan plan = plan_full_reduction(op, input.dtype());
  if (!plan.loop) return std::nullopt;

  auto node = detail::new_node();
  node->kind = NodeKind::Reduce;
  node->reduction = op;
  node->reduce_input = plan.kernel_input;
  node->reduce_loop = plan.loop;
  node->reduce_axes = std::move(reduced);
  node->dtype = plan.result;
  node->shape = shape;
  node->pending_size = 1 + in->pending_size;
  node->inputs.push_back(std::move(in));
  ++detail::mutable_stats().nodes_recorded;
  remember(node);
  const int isz = itemsize(plan.result);
  auto buffer = Buffer::deferred(static_cast<size_t>(shape_size(shape) * isz), node);
  node->result = buffer;
  Array result(buffer, 0, shape, c_strides(shape, isz), plan.result);
  if (past_bound(*node)) node->run();
  return result;
}

}  // namespace

namespace {

// While tracing, a view of an argument (u[1:], u.T) to be reduced becomes a pending identity
// cast of it, which records (a ParamView input) and fuses; a reduction of the view itself, a
// leaf, would read the placeholder's bytes.
Array traced_view_as_pending(const Array& input) {
  const trace::Recorder* recorder = trace::active();
  if (!recorder || !input.buffer()->is_pending()) return input;
  auto node = std::dynamic_pointer_cast<Node>(input.buffer()->pending());
  if (!node || !recorder->is_placeholder(node.get())) return input;
  const bool whole = input.offset() == 0 && input.shape() == node->shape &&
                     input.strides() == c_strides(node->shape, itemsize(node->dtype));
  return whole ? input : cast(input, input.dtype());
}

}  // namespace

std::optional<Array> reduce_all(ReductionOp op, const Array& traced_or_input) {
  const Array input = traced_view_as_pending(traced_or_input);
  auto result = record_reduction(op, input, {}, {});
  if (auto* recorder = trace::active(); recorder && result) {
    recorder->record_reduction(op, input, nullptr, false, *result);
  }
  return result;
}

std::optional<Array> reduce_axes(ReductionOp op, const Array& traced_or_input, const std::vector<int>& axes,
                                 bool keepdims) {
  const Array input = traced_view_as_pending(traced_or_input);
  std::vector<bool> reduced(input.ndim(), false);
  for (int ax : axes) reduced[ax] = true;
  Shape shape;
  for (int d = 0; d < input.ndim(); ++d) {
    if (!reduced[d]) shape.push_back(input.shape()[d]);
    else if (keepdims) shape.push_back(1);
  }
  if (shape_size(shape) == 0) return std::nullopt;
  auto result = !keepdims && shape.empty() ? record_reduction(op, input, {}, {})
                                           : record_reduction(op, input, std::move(reduced), shape);
  if (auto* recorder = trace::active(); recorder && result) {
    recorder->record_reduction(op, input, &axes, keepdims, *result);
  }
  return result;
}

namespace {
void evaluate_locked(const std::vector<Array>& arrays);
}  // namespace

void evaluate(const std::vector<Array>& arrays) {
  if (arrays.size() == 1) {
    arrays.front().data();  // reading the bytes runs whatever they wait for
    return;
  }
  ufuncs::fp::Evaluation fp_scope;  // one report for all of them, after the lock is released
  evaluate_locked(arrays);
  fp_scope.report("cast");
}

void evaluate_all() {
  ufuncs::fp::Evaluation fp_scope;
  {
    auto lock = detail::lock_graph();
    std::vector<NodePtr> pending;
    for (const auto& w : std::exchange(recorded(), {})) {
      auto n = w.lock();
      if (n && !n->done && !n->failed() && (n->destination || !n->result.expired())) {
        pending.push_back(std::move(n));
      }
    }
    for (const NodePtr& n : pending) {
      try {
        n->run();
      } catch (...) {
        if (!n->failed()) throw;  // a node's own error stays with it, for whoever reads it
      }
    }
  }
  fp_scope.report("cast");
}

namespace {

void evaluate_locked(const std::vector<Array>& arrays) {
  auto lock = detail::lock_graph();
  // Pending whole results of one shape are computed together in one pass.
  std::map<Shape, std::vector<Node*>> by_shape;
  std::vector<NodePtr> keep;
  for (const Array& a : arrays) {
    NodePtr n = input_node(a);
    if (n->done || n->failed() || n->kind == NodeKind::Reduce || n->kind == NodeKind::Produced) {
      a.data();  // a view of pending work, or nothing to do (or a failed node's error)
      continue;
    }
    auto& roots = by_shape[n->shape];
    bool seen = false;
    for (Node* r : roots) seen = seen || r == n.get();
    if (!seen) roots.push_back(n.get());
    keep.push_back(std::move(n));
  }
  for (auto& [shape, roots] : by_shape) {
    if (roots.size() == 1) {
      roots.front()->run();
    } else {
      detail::evaluate_group(roots);
    }
  }
}

}  // namespace

bool lazy_enabled() { return g_lazy; }
void set_lazy_enabled(bool enabled) {
  auto lock = detail::lock_graph();
  g_lazy = enabled;
}

JitStats stats() {
  auto lock = detail::lock_graph();
  return detail::mutable_stats();
}

void reset_stats() {
  auto lock = detail::lock_graph();
  detail::mutable_stats() = JitStats{};
}

void set_num_threads(int n) {
  if (n < 1) throw_value_error("number of threads must be at least 1");
  auto lock = detail::lock_graph();
  ThreadPool::instance().resize(n);
}

int num_threads() { return ThreadPool::instance().size(); }

void set_blocking_section(std::function<void(const std::function<void()>&)> run_released) {
  detail::set_blocking_section_impl(std::move(run_released));
}

}  // namespace numfuse::jit
