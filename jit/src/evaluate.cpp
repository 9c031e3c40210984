#include "evaluate.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <utility>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/jit/interpreter.hpp"
#include "numfuse/jit/native.hpp"
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

// Whether the bytes two arrays span overlap. storage(), not data(): outputs are still pending.
bool bytes_overlap(const Array& a, const Array& b) {
  auto extent = [](const Array& x) {
    const std::byte* base = x.buffer()->storage() + x.offset();
    int64_t low = 0, high = x.itemsize();
    for (int d = 0; d < x.ndim(); ++d) {
      const int64_t span = (x.shape()[d] - 1) * x.strides()[d];
      (span < 0 ? low : high) += span;
    }
    return std::pair{base + low, base + high};
  };
  if (a.size() == 0 || b.size() == 0) return false;
  const auto [a_first, a_end] = extent(a);
  const auto [b_first, b_end] = extent(b);
  return a_first < b_end && b_first < a_end;
}

// Rows [first, end) of a 2-D array, as a view.
Array rows_of(const Array& a, int64_t first, int64_t end) {
  return a.with_layout(a.offset() + first * a.strides()[0], {end - first, a.shape()[1]}, a.strides());
}

std::atomic<int64_t>& panel_budget() {
  static std::atomic<int64_t> bytes = last_level_cache_bytes() / 4;
  return bytes;
}

// How a Produced leaf is made: panels of `rows` rows into `scratch`. A panel is sized to a quarter
// of the last-level cache (the producer's own working set shares it) so that the group reads it
// from there; panels shorter than the producer's
// min_panel_rows would cost more to make than they save (for a product: repacking the right
// operand per panel, against one round trip of the product through memory), so then the whole
// product is one panel: made, then read at once while the cache still holds what it can.
struct PanelPlan {
  int64_t rows = 0;
  Array scratch;
};

PanelPlan plan_panels(const Node& product, const Shape& shape) {
  const int64_t row_bytes = std::max<int64_t>(1, shape[1] * itemsize(product.dtype));
  const int64_t fit = std::max<int64_t>(1, panel_budget().load(std::memory_order_relaxed) / row_bytes);
  PanelPlan plan;
  plan.rows = fit < shape[0] && fit >= product.min_panel_rows ? fit : shape[0];
  plan.scratch = Array::empty({plan.rows, shape[1]}, product.dtype);
  return plan;
}

}  // namespace

Array broadcast_view(const Array& a, const Shape& shape) {
  if (a.shape() == shape) return a;  // the common case: nothing to broadcast
  const int nd = static_cast<int>(shape.size());
  const int off = nd - a.ndim();
  Strides strides(nd, 0);
  for (int i = 0; i < a.ndim(); ++i) strides[off + i] = a.shape()[i] == 1 ? 0 : a.strides()[i];
  return a.with_layout(a.offset(), shape, strides);
}

OperandLayouts operand_layouts(const IterationSpace& space, const std::vector<Array>& operands,
                               size_t num_outputs, size_t num_leaves) {
  OperandLayouts layouts;
  for (size_t k = 0; k < num_outputs; ++k) {
    layouts.outputs.push_back(layout_class(space, k, operands[k].itemsize()));
  }
  for (size_t k = 0; k < num_leaves; ++k) {
    const size_t op = num_outputs + k;
    layouts.leaves.push_back(layout_class(space, op, operands[op].itemsize()));
  }
  return layouts;
}

Array output_array(Node* n) {
  if (n->destination) return *n->destination;
  if (auto buffer = n->result.lock()) {
    buffer->allocate_storage();
    return Array(buffer, 0, n->shape, c_strides(n->shape, itemsize(n->dtype)), n->dtype);
  }
  return Array::empty(n->shape, n->dtype);  // forced after its holder let go (a write hazard)
}

void mark_stored(Node* n) {
  n->done = true;
  if (auto buffer = n->result.lock(); buffer && buffer->pending().get() == n) buffer->clear_pending();
  n->inputs.clear();  // the value is stored: inputs may now be freed
}

void mark_failed(Node* n, std::exception_ptr error) {
  n->error = std::move(error);
  n->value = Array();  // a fresh result's buffer holds this node: no cycle may remain
  // Whoever holds the result (fresh, or the destination) gets the error, never half-written bytes.
  auto self = n->shared_from_this();
  auto result = n->result.lock();
  for (Buffer* b : {result.get(), n->destination ? n->destination->buffer().get() : nullptr}) {
    if (b && !b->is_pending()) b->set_pending(self);
  }
  n->destination.reset();
  n->inputs.clear();
  n->produce_rows = nullptr;
}

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

namespace {

// The passes of one group's evaluation: schedule (scheduler.cpp) -> bind -> collapse -> lookup
// -> execute -> store (run_group).

// bind: the arrays the pass reads and writes, each seen with the group's shape: the outputs'
// memory (allocated now; outputs first), the leaves, and the per-element reduction states.
struct Bound {
  std::vector<Array> operands;
  std::vector<Array> full_operands;  // with a producer: the whole arrays (operands: the first panel)
  PanelPlan panels;
};

Bound bind(const Group& g, ReductionSink* sink, const Array* states) {
  Bound b;
  std::vector<Array>& operands = b.operands;
  operands.reserve(g.outputs.size() + g.leaves.size() + 1);
  for (Node* n : g.outputs) {
    Array out = output_array(n);
    // Fresh outputs hold the node's own shape, which may lack leading length-1 axes.
    operands.push_back(broadcast_view(out, g.shape));
    n->value = out;
  }
  // A product made in panels: the rows of one panel at a time, in a scratch array the first
  // panel's operands point at (the kernel is looked up for that layout).
  if (g.producer >= 0) b.panels = plan_panels(*g.leaves[g.producer], g.shape);
  for (size_t i = 0; i < g.leaves.size(); ++i) {
    const bool product = static_cast<int>(i) == g.producer;
    operands.push_back(product ? b.panels.scratch : broadcast_view(g.leaves[i]->value, g.shape));
  }
  if (g.producer >= 0) {
    b.full_operands = operands;
    for (size_t k = 0; k < operands.size(); ++k) {
      if (k != g.outputs.size() + g.producer) operands[k] = rows_of(operands[k], 0, b.panels.rows);
    }
  }
  if (operands.empty()) {
    // A reduction of an expression nobody holds and that reads no array (all scalars): iterate
    // over a zero-stride view so the space still has the group's shape.
    operands.push_back(broadcast_view(Array::empty({}, DType::Bool), g.shape));
  }
  if (states) {
    sink->state_operand = static_cast<int>(operands.size());
    operands.push_back(*states);
  }
  return b;
}

// collapse: the iteration space, and the kernel it needs (layout classes of the collapsed space).
FusedKernel collapse_and_describe(const Group& g, const Bound& b, const SinkSpec& spec, IterationSpace& space) {
  const std::vector<Array>& operands = b.operands;
  space = collapse(g.producer >= 0 ? b.panels.scratch.shape() : g.shape, operands);
  const OperandLayouts layouts = operand_layouts(space, operands, g.outputs.size(), g.leaves.size());
  return describe(g, layouts.leaves.data(), layouts.outputs.data(), static_cast<int>(space.shape.size()), spec);
}

// Outputs are fresh buffers unless an op writes into an existing array (a += b): only then
// may a block's second run (interpreter.cpp) read what its first wrote.
bool outputs_disjoint_from_inputs(const Group& g, const std::vector<Array>& operands) {
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    for (size_t j = g.outputs.size(); j < operands.size(); ++j) {
      if (bytes_overlap(operands[k], operands[j])) return false;
    }
  }
  return true;
}

// execute: runs the kernel over the space (over each panel's rows with a producer), without the
// GIL unless the work is too small to be worth handing it over.
void execute(const Group& g, Bound& b, const CompiledKernel& kernel, const IterationSpace& space,
             ReductionSink* sink, bool rerunnable) {
  const int threads = ThreadPool::instance().size();
  int64_t elements = 1;
  for (int64_t d : space.shape) elements *= d;
  if (g.producer >= 0) {
    // Each panel's rows, then the group over them while they are in cache. Without Python.
    blocking_section()([&] {
      Node& product = *g.leaves[g.producer];
      const size_t slot = g.outputs.size() + g.producer;
      const int64_t total_rows = g.shape[0];
      std::vector<Array> panel_operands(b.operands.size());
      for (int64_t first = 0; first < total_rows; first += b.panels.rows) {
        const int64_t end = std::min(total_rows, first + b.panels.rows);
        Array rows = rows_of(b.panels.scratch, 0, end - first);
        product.produce_rows(first, end, rows);
        for (size_t k = 0; k < b.operands.size(); ++k) {
          panel_operands[k] = k == slot ? rows : rows_of(b.full_operands[k], first, end);
        }
        run_program(kernel, collapse(rows.shape(), panel_operands), threads, sink, rerunnable);
      }
    });
  } else if (elements < kMinParallelElements) {
    // Microseconds of work: handing the GIL over and back would cost more than it frees.
    run_program(kernel, space, threads, sink, rerunnable);
  } else {
    blocking_section()([&] { run_program(kernel, space, threads, sink, rerunnable); });
  }
}

// Runs the scheduled group g into its outputs' values (set here, not yet marked stored).
void run_scheduled(const Group& g, const SinkSpec& spec, ReductionSink* sink, const Array* states) {
  Bound bound = bind(g, sink, states);
  IterationSpace space;
  const FusedKernel kernel = collapse_and_describe(g, bound, spec, space);
  std::shared_ptr<KernelEntry> entry = lookup_kernel(kernel);
  const bool rerunnable = outputs_disjoint_from_inputs(g, bound.operands);
  int64_t elements = 1;
  for (int64_t d : g.shape) elements *= d;
  // Panels of a product are run with the kernel looked up for the first panel's layout: native
  // code is specialized to layout classes, tier 1 takes any strides.
  const CompiledKernel& code = g.producer >= 0 ? *entry->interpreter : select_tier(entry, elements, rerunnable);
  auto start = std::chrono::steady_clock::now();
  execute(g, bound, code, space, sink, rerunnable);
  auto& st = mutable_stats();
  ++st.groups_run;
  st.run_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs the group of `roots`; with a sink, folds the sink node's values into sink->partials, or
// (with `states`, a view of per-element reduction states over the roots' shape) into states.
void run_group(const std::vector<Node*>& roots, const SinkSpec& spec, ReductionSink* sink,
               const Array* states = nullptr) {
  // g.held keeps every node of the group alive until the end (storing results drops inputs).
  Group g = schedule(roots, /*roots_stored=*/sink == nullptr);
  try {
    run_scheduled(g, spec, sink, states);
  } catch (...) {
    // Rolled back: nothing of the group is stored, its nodes stay pending with their inputs (the
    // node being run keeps the error: Node::run). Dropping the outputs' values also breaks the
    // cycle node -> value -> result buffer -> node, which would leak both.
    for (Node* n : g.outputs) n->value = Array();
    throw;
  }
  for (Node* n : g.outputs) mark_stored(n);
}

}  // namespace

void evaluate_group(const std::vector<Node*>& roots) { run_group(roots, {}, nullptr); }

void run_released(const std::function<void()>& f) { blocking_section()(f); }

}  // namespace numfuse::jit::detail

namespace numfuse::jit {

int64_t set_product_panel_bytes(int64_t bytes) { return detail::panel_budget().exchange(bytes); }

}  // namespace numfuse::jit

namespace numfuse::jit::detail {

namespace {

// A reduction over some axes: per-element states over the input's shape (stride 0 along the
// reduced axes), one state array per thread range, combined in range order, then finalized.
void evaluate_axis_reduction(Node* r) {
  NodePtr input = r->inputs.front();
  const auto& loop = r->reduce_loop;
  const Shape& in_shape = input->shape;
  Shape kept;
  for (size_t d = 0; d < in_shape.size(); ++d) if (!r->reduce_axes[d]) kept.push_back(in_shape[d]);
  const int64_t n_out = shape_size(kept);
  const int64_t ss = loop.state_size;
  Strides state_strides(in_shape.size(), 0);
  int64_t step = ss;
  for (size_t d = in_shape.size(); d-- > 0;) {
    if (!r->reduce_axes[d]) {
      state_strides[d] = step;
      step *= in_shape[d];
    }
  }
  const int threads = ThreadPool::instance().size();
  ReductionSink sink;
  sink.loop = &loop;
  sink.fp_trusted = reduction_reports_fp_flags(r->reduction);
  sink.state_task_stride = n_out * ss;
  // Thread ranges each need their own states: keep that memory small next to the input.
  sink.max_tasks = n_out * ss * threads <= (int64_t{64} << 20) ? threads : 1;
  std::vector<std::byte> states(static_cast<size_t>(n_out * ss * std::max(1, std::min(threads, sink.max_tasks))));
  for (int64_t j = 0; j < static_cast<int64_t>(states.size()) / ss; ++j) loop.init(states.data() + j * ss);
  auto holder = Buffer::external(states.data(), states.size(), nullptr);
  Array state_view(holder, 0, in_shape, state_strides, DType::UInt8);
  if (input->done) {
    // Evaluated meanwhile (someone read it): fold its stored values on this thread.
    Array v = input->value.dtype() == r->reduce_input ? input->value
                                                      : numfuse::astype(input->value, r->reduce_input);
    std::array<std::byte*, 2> ptrs{v.data(), states.data()};
    std::array<const int64_t*, 2> strides{v.strides().data(), state_strides.data()};
    for_each_run<2>(v.shape(), ptrs, strides, [&](auto& p, auto& s, int64_t n) {
      if (s[1] == 0) loop.accumulate(p[1], p[0], s[0], n);
      else loop.accumulate_rows(p[1], s[1], p[0], s[0], n);
    });
    sink.tasks_used = 1;
  } else {
    run_group({input.get()}, SinkSpec{input.get(), r->reduce_input, static_cast<int>(r->reduction)}, &sink,
              &state_view);
  }
  for (int t = 1; t < sink.tasks_used; ++t) {
    for (int64_t j = 0; j < n_out; ++j) {
      loop.combine(states.data() + j * ss, states.data() + t * n_out * ss + j * ss);
    }
  }
  const int isz = itemsize(r->dtype);
  Array out = output_array(r);
  reduction::FinalizeContext ctx;
  std::byte* dst = out.buffer()->storage() + out.offset();
  for (int64_t j = 0; j < n_out; ++j) loop.finalize(states.data() + j * ss, dst + j * isz, ctx);
  r->value = out;
  mark_stored(r);
}

}  // namespace

void evaluate_reduction(Node* r) {
  if (!r->reduce_axes.empty()) {
    evaluate_axis_reduction(r);
    return;
  }
  NodePtr input = r->inputs.front();
  const auto& loop = r->reduce_loop;
  std::vector<std::byte> total(static_cast<size_t>(loop.state_size));
  loop.init(total.data());
  if (input->done) {
    // Evaluated meanwhile (someone read it): fold its stored values.
    // (Full reductions keep one state; see evaluate_axis_reduction for the per-element case.)
    Array v = input->value.dtype() == r->reduce_input ? input->value
                                                      : numfuse::astype(input->value, r->reduce_input);
    std::array<std::byte*, 1> ptrs{v.data()};
    std::array<const int64_t*, 1> strides{v.strides().data()};
    for_each_run<1>(v.shape(), ptrs, strides, [&](auto& p, auto& s, int64_t n) {
      loop.accumulate(total.data(), p[0], s[0], n);
    });
  } else {
    ReductionSink sink;
    sink.loop = &loop;
    sink.fp_trusted = reduction_reports_fp_flags(r->reduction);
    run_group({input.get()}, SinkSpec{input.get(), r->reduce_input, static_cast<int>(r->reduction)}, &sink);
    for (auto& partial : sink.partials) loop.combine(total.data(), partial.data());
  }
  Array out = output_array(r);
  reduction::FinalizeContext ctx;
  loop.finalize(total.data(), out.buffer()->storage() + out.offset(), ctx);
  r->value = out;
  mark_stored(r);
}

}  // namespace numfuse::jit::detail
