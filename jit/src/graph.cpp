#include "numfuse/jit/graph.hpp"
#include "numfuse/jit/trace.hpp"

#include "evaluate.hpp"
#include "node_alloc.hpp"
#include "numfuse/ufuncs/fp_status.hpp"

namespace numfuse::jit {

namespace {

bool is_whole_result(const Node& n, const Array& a) {
  if (n.destination) {
    const Array& d = *n.destination;
    return a.buffer() == d.buffer() && a.offset() == d.offset() && a.shape() == d.shape() &&
           a.strides() == d.strides() && a.dtype() == d.dtype();
  }
  return a.offset() == 0 && a.shape() == n.shape && a.dtype() == n.dtype &&
         a.strides() == c_strides(n.shape, itemsize(n.dtype));
}

}  // namespace

NodePtr input_node(const Array& a) {
  if (a.buffer()->is_pending()) {
    auto node = std::dynamic_pointer_cast<Node>(a.buffer()->pending());
    if (node && node->failed()) std::rethrow_exception(node->error);  // using it observes it
    if (node && !node->done && !node->destination && is_whole_result(*node, a)) return node;
    // While tracing, a view of an argument's placeholder stays a view (trace.hpp: ParamView).
    const trace::Recorder* recorder = trace::active();
    if (!(recorder && node && recorder->is_placeholder(node.get()))) a.data();  // a view of pending work is computed now: a group being built must never force
               // work it has already fused (x + x[::-1] would run x twice and free its inputs)
  }
  // Leaves are immutable, so the last one made for this buffer is reused when it describes the
  // same view: a hot loop reads the same arrays op after op.
  auto& cache = a.buffer()->lazy_cache();
  if (auto cached = std::static_pointer_cast<Node>(cache.lock())) {
    const Array& v = cached->value;
    if (v.offset() == a.offset() && v.dtype() == a.dtype() && v.writeable() == a.writeable() &&
        v.shape() == a.shape() && v.strides() == a.strides()) {
      return cached;
    }
  }
  auto leaf = detail::new_node();
  leaf->kind = NodeKind::Leaf;
  leaf->dtype = a.dtype();
  leaf->shape = a.shape();
  leaf->value = a;
  leaf->done = true;
  leaf->pending_size = 0;
  cache = leaf;
  return leaf;
}

const char* fp_source_name(const Node& n) {
  switch (n.kind) {
    case NodeKind::Elementwise: return ufuncs::op_info(n.op).name.data();
    case NodeKind::Reduce: return "reduce";
    case NodeKind::Produced: return "matmul";
    default: return "cast";
  }
}

void Node::run() {
  // Flags are reported once the graph lock is released: the reporter runs Python code.
  ufuncs::fp::Evaluation fp_scope;
  const char* fp_source = fp_source_name(*this);
  {
    auto lock = detail::lock_graph();
    if (done) return;
    if (error) std::rethrow_exception(error);
    auto self = shared_from_this();  // evaluation may drop the last other reference
    if (destination && destination->buffer()->pending().get() == this) {
      destination->buffer()->clear_pending();  // we are running it now: reading it is no recursion
    }
    try {
      if (kind == NodeKind::Reduce) {
        detail::evaluate_reduction(this);
      } else if (kind == NodeKind::Produced) {
        detail::evaluate_produced(this);
      } else {
        detail::evaluate_group({this});
      }
    } catch (...) {
      // Whatever failed (this group's kernels, an input's own group, an allocation), this node's
      // value cannot be had: it keeps the error. The group itself was rolled back (run_group).
      detail::mark_failed(this, std::current_exception());
      throw;
    }
  }
  try {
    fp_scope.report(fp_source, kind == NodeKind::Reduce ? ufuncs::fp::kSourceReduce : ufuncs::fp::kSourceUnknown);
  } catch (...) {
    // FloatingPointError (mode 'raise'), or the warning made an error: as with NumPy, whose op
    // never returns then, this result cannot be had: every read raises it (NumPy's own
    // conversion of our arrays retries another protocol after a failed one, which would
    // otherwise find the value). A write into an existing array (out=, +=) keeps its values.
    auto lock = detail::lock_graph();
    if (!destination && !error) {
      done = false;
      detail::mark_failed(this, std::current_exception());
    }
    throw;
  }
}

}  // namespace numfuse::jit
