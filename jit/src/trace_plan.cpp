// @nf.jit's planned replay. A tape whose whole graph is one small fused group, possibly folding its
// values into one full reduction (Tape::plannable), is recorded and scheduled as usual on one of
// its first replays; what the scheduler made of it (the group's leaves, each named by the
// argument, view, Python scalar or captured array it reads, the group's kernel and its sink)
// becomes the tape's plan. Later replays bind the call's arrays to that kernel
// and run it at once: no nodes, no scheduling, no kernel lookup. Their results are computed
// arrays, not pending ones (the plan is for small groups: one thread's share of work, where the
// per-call cost of recording is what a hot loop pays).
#include "trace_plan.hpp"

#include <algorithm>
#include <optional>

#include "evaluate.hpp"
#include "numfuse/jit/native.hpp"
#include "numfuse/jit/scheduler.hpp"
#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit::trace {

// A leaf of the plan's group: where a call finds its array.
struct PlanLeaf {
  LeafSource source;
  Array fixed;  // Captured: the array the group read (a captured array or a converted constant)
};

// A plan's fused full reduction: the group folds its root's values (the tape's only computed
// output is their reduction).
struct PlanSink {
  ReductionOp op{};
  DType input = DType::Float64;   // what the fold reads (the root's values cast to it)
  DType result = DType::Float64;
  reduction::ReduceLoop loop;
};

struct ReplayPlan {
  Shape shape;                       // the group's iteration space
  std::vector<PlanLeaf> leaves;      // in the kernel's leaf order
  std::vector<int32_t> output_step;  // per group output, in the kernel's order: its tape step
  std::optional<PlanSink> sink;      // with a sink the group stores no output
  std::shared_ptr<KernelEntry> entry;
  const char* fp_source = "";  // the name floating-point warnings give when no op claims them
  // The collapsed space of the call that made the plan and its leaves' strides: a call whose
  // leaves have the same strides has the same space at other addresses.
  IterationSpace space;
  std::vector<Strides> leaf_strides;
};

namespace {

// Replays that try to make a plan before the tape keeps recording for good.
constexpr int kPlanAttempts = 3;

bool same_view_spec(const ParamViewSpec& a, const ParamViewSpec& b) {
  return a.param == b.param && a.offset == b.offset && a.shape == b.shape && a.strides == b.strides;
}

// Whether two inputs that met in one leaf stay one array on every call. Captured arrays and
// constants are fixed; anything else must be the same argument, view or scalar.
bool same_source(const Tape& tape, const LeafSource& a, const LeafSource& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case RefKind::Captured: return true;
    case RefKind::ParamView: return same_view_spec(tape.views[a.index], tape.views[b.index]);
    default: return a.index == b.index;
  }
}

Array leaf_array(const PlanLeaf& leaf, const Tape& tape, const std::vector<Array>& params,
                 const std::vector<ufuncs::Operand>& scalars) {
  const LeafSource& s = leaf.source;
  switch (s.kind) {
    case RefKind::Param: return params[s.index];
    case RefKind::ParamView: return param_view(params, tape.views[s.index]);
    case RefKind::Scalar: return converted_scalar(tape.steps[s.step], s.input, scalars[s.index]);
    default: return leaf.fixed;
  }
}

// The plan of the group the recorded replay `outs` (with its leaves' `sources`) makes, or null
// where a later call could not run it as it is (nodes evaluated while recorded, two arguments
// that were one array in this call, outputs of different shapes, a reduction that did not fuse).
// Caller holds the graph lock.
std::shared_ptr<const ReplayPlan> make_plan(const Tape& tape, const std::vector<Array>& outs,
                                            const LeafSources& sources) {
  auto plan = std::make_shared<ReplayPlan>();
  std::vector<Node*> roots;
  for (size_t i = 0; i < tape.outputs.size(); ++i) {
    const Ref& r = tape.outputs[i];
    if (r.kind != RefKind::Step) continue;
    auto node = std::dynamic_pointer_cast<Node>(outs[i].buffer()->pending());
    if (!node || node->done) return nullptr;
    if (node->kind == NodeKind::Reduce) {  // the only computed output (Tape::plannable)
      const NodePtr& input = node->inputs.front();
      if (!node->reduce_axes.empty() || input->done) return nullptr;
      plan->sink = PlanSink{node->reduction, node->reduce_input, node->dtype, node->reduce_loop};
      plan->fp_source = fp_source_name(*node);
      roots = {input.get()};
      break;
    }
    if (std::find(roots.begin(), roots.end(), node.get()) != roots.end()) continue;
    if (!roots.empty() && node->shape != roots.front()->shape) return nullptr;
    roots.push_back(node.get());
    plan->output_step.push_back(r.index);
  }
  Group g = schedule(roots, /*roots_stored=*/!plan->sink);
  if (g.producer >= 0 || g.outputs.size() != plan->output_step.size() || g.leaves.empty()) return nullptr;
  for (Node* leaf : g.leaves) {
    auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.first.get() == leaf; });
    if (it == sources.end()) return nullptr;  // evaluated while recorded, or not the tape's
    plan->leaves.push_back({it->second, it->second.kind == RefKind::Captured ? leaf->value : Array()});
    plan->leaf_strides.push_back(leaf->value.strides());
  }
  for (const auto& [node, source] : sources) {
    auto it = std::find(g.leaves.begin(), g.leaves.end(), node.get());
    if (it == g.leaves.end()) {
      if (source.kind == RefKind::Captured) continue;
      return nullptr;  // merged into another leaf as the same view: not so on every call
    }
    if (!same_source(tape, plan->leaves[it - g.leaves.begin()].source, source)) return nullptr;
  }
  plan->shape = g.shape;
  std::vector<Array> operands;
  for (Node* n : g.outputs) operands.push_back(detail::broadcast_view(Array::empty(n->shape, n->dtype), g.shape));
  for (Node* leaf : g.leaves) operands.push_back(detail::broadcast_view(leaf->value, g.shape));
  plan->space = collapse(g.shape, operands);
  const auto layouts = detail::operand_layouts(plan->space, operands, g.outputs.size(), g.leaves.size());
  const SinkSpec sink = plan->sink ? SinkSpec{roots.front(), plan->sink->input, static_cast<int>(plan->sink->op)}
                                   : SinkSpec{};
  plan->entry = lookup_kernel(describe(g, layouts.leaves.data(), layouts.outputs.data(),
                                       static_cast<int>(plan->space.shape.size()), sink));
  if (!plan->sink) plan->fp_source = fp_source_name(*roots.front());
  return plan;
}

// The reduction's 0-d result from the partial states the group's ranges folded, combined in range
// order (as evaluate_reduction does).
Array folded(const PlanSink& sink, const ReductionSink& fold) {
  std::vector<std::byte> total(static_cast<size_t>(sink.loop.state_size));
  sink.loop.init(total.data());
  for (const auto& partial : fold.partials) sink.loop.combine(total.data(), partial.data());
  Array value = Array::empty({}, sink.result);
  reduction::FinalizeContext ctx;
  sink.loop.finalize(total.data(), value.data(), ctx);
  return value;
}

// Runs the plan on a call's arguments (none of them pending); nullopt when their strides change
// the kernel's layout classes.
std::optional<std::vector<Array>> run_plan(const ReplayPlan& plan, const Tape& tape,
                                           const std::vector<Array>& params,
                                           const std::vector<ufuncs::Operand>& scalars) {
  const size_t num_outputs = plan.output_step.size();
  const size_t num_leaves = plan.leaves.size();
  std::vector<Array> results;
  results.reserve(num_outputs);
  for (int32_t step : plan.output_step) {
    const Node& pattern = *tape.steps[step].pattern;
    results.push_back(Array::empty(pattern.shape, pattern.dtype));
  }
  std::vector<Array> leaves;
  leaves.reserve(num_leaves);
  bool same_strides = true;
  for (size_t k = 0; k < num_leaves; ++k) {
    Array a = leaf_array(plan.leaves[k], tape, params, scalars);
    a.data();  // a captured array some later op made pending: computed now
    same_strides = same_strides && a.strides() == plan.leaf_strides[k];
    leaves.push_back(std::move(a));
  }
  IterationSpace space;
  if (same_strides) {
    space = plan.space;
    for (size_t k = 0; k < num_outputs; ++k) space.base[k] = results[k].buffer()->storage();
    for (size_t k = 0; k < num_leaves; ++k) {
      space.base[num_outputs + k] = leaves[k].buffer()->storage() + leaves[k].offset();
    }
  } else {
    // Other strides (a strided argument): collapse anew; the kernel fits if the layout classes do.
    std::vector<Array> operands;
    for (const Array& r : results) operands.push_back(detail::broadcast_view(r, plan.shape));
    for (const Array& a : leaves) operands.push_back(detail::broadcast_view(a, plan.shape));
    space = collapse(plan.shape, operands);
    const FusedKernel& kernel = plan.entry->kernel;
    if (static_cast<int>(space.shape.size()) != kernel.rank) return std::nullopt;
    const auto layouts = detail::operand_layouts(space, operands, num_outputs, num_leaves);
    for (size_t k = 0; k < num_outputs; ++k) {
      if (layouts.outputs[k] != kernel.outputs[k].layout) return std::nullopt;
    }
    for (size_t k = 0; k < num_leaves; ++k) {
      if (layouts.leaves[k] != kernel.leaves[k].layout) return std::nullopt;
    }
  }
  ufuncs::fp::Evaluation fp_scope;
  {
    auto lock = detail::lock_graph();
    ReductionSink fold;
    if (plan.sink) {
      fold.loop = &plan.sink->loop;
      fold.fp_trusted = reduction_reports_fp_flags(plan.sink->op);
    }
    // Fresh outputs never overlap a leaf: the block may rerun (to attribute flags). Not timed in
    // run_seconds: two clock reads are a tenth of such a call.
    run_program(select_tier(plan.entry, shape_size(plan.shape), /*rerunnable=*/true), space,
                ThreadPool::instance().size(), plan.sink ? &fold : nullptr, /*rerunnable=*/true);
    ++detail::mutable_stats().groups_run;
    if (plan.sink) results.push_back(folded(*plan.sink, fold));
  }
  fp_scope.report(plan.fp_source, plan.sink ? ufuncs::fp::kSourceReduce : ufuncs::fp::kSourceUnknown);
  return tape_outputs(tape, params, scalars, [&](int32_t step) {
    if (plan.sink) return results.front();
    return results[std::find(plan.output_step.begin(), plan.output_step.end(), step) - plan.output_step.begin()];
  });
}

}  // namespace

std::vector<Array> replay_planned(const Tape& tape, const std::vector<Array>& params,
                                  const std::vector<ufuncs::Operand>& scalars) {
  // A pending argument's work fuses into a recorded replay's group: such calls always record.
  if (std::any_of(params.begin(), params.end(), [](const Array& p) { return p.buffer()->is_pending(); })) {
    return replay_direct(tape, params, scalars, nullptr);
  }
  PlanSlot& slot = *tape.plan;
  std::shared_ptr<const ReplayPlan> plan;
  bool attempt = false;
  {
    std::lock_guard lock(slot.mutex);
    plan = slot.plan;
    attempt = !plan && slot.attempts < kPlanAttempts;
    slot.attempts += attempt ? 1 : 0;
  }
  if (!plan && attempt) {
    LeafSources sources;
    std::vector<Array> recorded = replay_direct(tape, params, scalars, &sources);
    std::shared_ptr<const ReplayPlan> made;
    {
      auto lock = detail::lock_graph();
      made = make_plan(tape, recorded, sources);
    }
    if (!made) return recorded;
    std::lock_guard lock(slot.mutex);
    if (!slot.plan) slot.plan = made;
    plan = slot.plan;
    // `recorded` is dropped unevaluated: the plan computes this call's results.
  }
  if (plan) {
    if (auto outputs = run_plan(*plan, tape, params, scalars)) {
      slot.planned.fetch_add(1, std::memory_order_relaxed);
      return std::move(*outputs);
    }
  }
  return replay_direct(tape, params, scalars, nullptr);
}

}  // namespace numfuse::jit::trace
