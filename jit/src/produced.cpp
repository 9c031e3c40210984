// Produced nodes: pending 2-D results computed by a row callback (matrix products from linalg).
// They are never fused themselves; what they offer the scheduler is that their rows can be made
// a panel at a time, right before the elementwise group that reads them (evaluate.cpp).
#include "evaluate.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit {

Array produced(const Shape& shape, DType dtype, RowProducer produce_rows, int64_t min_panel_rows,
               const std::vector<Array>& reads) {
  if (shape.size() != 2) throw_value_error("produced: a 2-D shape is required");
  const int isz = itemsize(dtype);
  auto lock = detail::lock_graph();
  if (!lazy_enabled() || shape_size(shape) == 0) {
    Array out = Array::empty(shape, dtype);
    if (out.size() > 0) produce_rows(0, shape[0], out);
    return out;
  }
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::Produced;
  node->dtype = dtype;
  node->loop_dtype = dtype;
  node->shape = shape;
  node->produce_rows = std::move(produce_rows);
  node->min_panel_rows = std::max<int64_t>(1, min_panel_rows);
  // The callback reads these when it runs: a write into them must run it first.
  for (const Array& r : reads) r.buffer()->add_reader(node);
  ++detail::mutable_stats().nodes_recorded;
  auto buffer = Buffer::deferred(static_cast<size_t>(shape_size(shape) * isz), node);
  node->result = buffer;
  return Array(buffer, 0, shape, c_strides(shape, isz), dtype);
}

namespace detail {

void evaluate_produced(Node* n) {
  Array out = output_array(n);
  // We are computing it now: the callback's writes into it must not try to compute it again.
  if (out.buffer()->pending().get() == n) out.buffer()->clear_pending();
  // The callback is a BLAS call: long, and free of Python, so other threads may run meanwhile.
  run_released([&] { n->produce_rows(0, n->shape[0], out); });
  n->value = out;
  mark_stored(n);
  n->produce_rows = nullptr;  // drops the operands it held
}

}  // namespace detail

}  // namespace numfuse::jit
