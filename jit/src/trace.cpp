// @nf.jit's tape: recording one traced run of a function (hooks called by lazy.cpp) and
// replaying it on new arguments through the lazy API.
#include "numfuse/jit/trace.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "numfuse/core/copy.hpp"
#include "evaluate.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/interpreter.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/reduce.hpp"
#include "trace_plan.hpp"

namespace numfuse::jit::trace {

namespace {
thread_local Recorder* t_active = nullptr;
}  // namespace

Recorder* active() { return t_active; }

struct Recorder::State {
  // The nodes of the trace that stand for something the tape names: placeholders and steps.
  std::unordered_map<const Node*, Ref> refs;
  std::unordered_map<const Buffer*, int32_t> scalar_buffers;
  std::unordered_map<const Buffer*, int32_t> param_buffers;  // placeholders' bytes -> argument
  std::vector<bool> param_c_contiguous;                       // per argument, as the caller passed it
  std::vector<NodePtr> held;  // keeps those nodes (and so their addresses) alive until finish
  Tape tape;
  std::shared_ptr<const Tape> result;  // the tape, once finished
  bool escaped = false;
  bool finished = false;
  bool failed = false;
  std::string reason;
};

namespace {

// The pending work of a placeholder's bytes: there are none.
class NoValues final : public PendingWork {
 public:
  explicit NoValues(std::weak_ptr<Recorder::State> state) : state_(std::move(state)) {}
  void run() override {
    auto state = state_.lock();
    if (state && !state->finished) {
      state->escaped = true;
      if (state->reason.empty()) state->reason = "the values of a traced array were read";
      throw TraceEscape();
    }
    throw_type_error(
        "this array was made while a function was traced under nf.jit and has no values (a "
        "traced value was kept outside the function: return it instead)");
  }

 private:
  std::weak_ptr<Recorder::State> state_;
};

// A pending node over `input` whose result (C-ordered, fresh) is handed out as an Array.
Array pending_result(const NodePtr& node) {
  const int isz = itemsize(node->dtype);
  auto buffer = Buffer::deferred(static_cast<size_t>(shape_size(node->shape) * isz), node);
  node->result = buffer;
  return Array(buffer, 0, node->shape, c_strides(node->shape, isz), node->dtype);
}

bool is_whole_result(const Array& a, const Node& n) {
  return a.offset() == 0 && a.shape() == n.shape && a.dtype() == n.dtype &&
         a.strides() == c_strides(n.shape, itemsize(n.dtype));
}

// NEP 50: may a Python int (an int64 or uint64 0-d array) be converted to `target`?
bool int_fits(const Array& value, DType target) {
  if (!is_integer(target)) return true;
  const int bits = itemsize(target) * 8;
  if (value.dtype() == DType::UInt64) return bits == 64 && kind(target) == DTypeKind::UnsignedInt;
  const int64_t v = *value.data_as<int64_t>();
  if (kind(target) == DTypeKind::UnsignedInt) {
    return v >= 0 && (bits == 64 || static_cast<uint64_t>(v) < (uint64_t{1} << bits));
  }
  return bits == 64 || (v >= -(int64_t{1} << (bits - 1)) && v < (int64_t{1} << (bits - 1)));
}

Array eager_reduce(ReductionOp op, const Array& input, const std::vector<int>* axes, bool keepdims) {
  ReduceOptions options;
  if (axes) options.axes = std::vector<int64_t>(axes->begin(), axes->end());
  options.keepdims = keepdims;
  ufuncs::fp::Evaluation fp_scope;
  Array result = reduce(op, input, options).value;
  fp_scope.report("reduce");
  return result;
}

}  // namespace

Recorder::Recorder() : state_(std::make_shared<State>()) {}

Recorder::~Recorder() {
  if (t_active == this) t_active = nullptr;
  state_->finished = true;
}

void Recorder::start() {
  if (t_active) throw_value_error("a function is already being traced on this thread");
  t_active = this;
}

void Recorder::stop() {
  if (t_active == this) t_active = nullptr;
}

Array Recorder::param(const Array& arg) {
  State& s = *state_;
  const int32_t index = s.tape.num_params++;
  const int isz = itemsize(arg.dtype());
  auto bytes = Buffer::deferred(static_cast<size_t>(arg.size() * isz), std::make_shared<NoValues>(state_));
  auto leaf = std::make_shared<Node>();
  leaf->kind = NodeKind::Leaf;
  leaf->dtype = arg.dtype();
  leaf->shape = arg.shape();
  leaf->value = Array(bytes, 0, arg.shape(), c_strides(arg.shape(), isz), arg.dtype());
  leaf->done = true;
  leaf->pending_size = 0;
  // The placeholder is a pending copy of that leaf: ops on it fuse (record) like on any result.
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::Cast;
  node->dtype = node->loop_dtype = node->input_types[0] = arg.dtype();
  node->shape = arg.shape();
  node->inputs.push_back(leaf);
  s.refs[node.get()] = Ref{RefKind::Param, ufuncs::Weak::None, index};
  s.held.push_back(std::move(leaf));
  s.held.push_back(node);
  Array placeholder = pending_result(node);
  s.param_buffers[placeholder.buffer().get()] = index;
  s.param_c_contiguous.push_back(arg.is_c_contiguous());
  return placeholder;
}

bool Recorder::is_placeholder(const Node* node) const {
  auto it = state_->refs.find(node);
  return it != state_->refs.end() && it->second.kind == RefKind::Param;
}

Array param_view(const std::vector<Array>& params, const ParamViewSpec& spec) {
  const Array& arg = params[spec.param];
  return arg.with_layout(arg.offset() + spec.offset, spec.shape, spec.strides);
}

Array Recorder::scalar(const Array& value) {
  State& s = *state_;
  Array fresh = Array::empty({}, value.dtype());
  std::memcpy(fresh.data(), value.data(), static_cast<size_t>(itemsize(value.dtype())));
  s.scalar_buffers[fresh.buffer().get()] = s.tape.num_scalars++;
  return fresh;
}

void Recorder::fail(std::string reason) {
  State& s = *state_;
  if (!s.failed) s.reason = std::move(reason);
  s.failed = true;
}

namespace {

Ref ref_of(Recorder::State& s, Recorder& rec, const ufuncs::Operand& in, const Node* in_node) {
  if (auto it = s.scalar_buffers.find(in.array.buffer().get()); it != s.scalar_buffers.end()) {
    return Ref{RefKind::Scalar, in.weak, it->second};
  }
  if (auto it = s.refs.find(in_node); it != s.refs.end()) return Ref{it->second.kind, in.weak, it->second.index};
  if (auto it = s.param_buffers.find(in.array.buffer().get()); it != s.param_buffers.end()) {
    // A view of an argument (input_node left it uncomputed: Recorder::is_placeholder).
    if (!s.param_c_contiguous[it->second]) rec.fail("a view of an argument that is not C-contiguous");
    s.tape.views.push_back({it->second, in.array.offset(), in.array.shape(), in.array.strides()});
    return Ref{RefKind::ParamView, in.weak, static_cast<int32_t>(s.tape.views.size() - 1)};
  }
  if (!in_node->done) rec.fail("an input is lazy work made outside the trace's own ops");
  s.tape.captured.push_back(in.array);
  return Ref{RefKind::Captured, in.weak, static_cast<int32_t>(s.tape.captured.size() - 1)};
}

// The replay's copy of a traced node (see Step::pattern).
void set_pattern(Step& step, const Node& node) {
  auto pattern = std::make_shared<Node>();
  pattern->copy_op_from(node);
  step.pattern = std::move(pattern);
  for (size_t k = 0; k < step.inputs.size(); ++k) {
    const NodePtr& in = node.inputs[k];
    NodePtr fixed;
    if (step.inputs[k].kind == RefKind::Captured && in->done) {
      fixed = in->kind == NodeKind::Leaf ? in : input_node(in->value);  // under apply's lock
    }
    step.fixed_inputs.push_back(std::move(fixed));
  }
}

void add_step(Recorder::State& s, Step step, const NodePtr& node) {
  if (step.kind == StepKind::Op || step.kind == StepKind::Cast) set_pattern(step, *node);
  s.refs[node.get()] = Ref{RefKind::Step, ufuncs::Weak::None, static_cast<int32_t>(s.tape.steps.size())};
  s.tape.steps.push_back(std::move(step));
  s.held.push_back(node);
}

// The exact number of pending nodes below each replayed node (lazy.cpp's running count adds
// the inputs' counts, so a shared subexpression counts once per path: `u = u + 0.1*(v - u)`
// doubles it per step and a 10-step loop would be cut into groups of 4). Simulates the bound:
// a node past it is evaluated when recorded and counts as nothing for later ones. Returns
// whether no step passes the bound.
bool count_pending(Tape& t) {
  bool within = true;
  const size_t n = t.steps.size();
  const size_t words = (n + 63) / 64;
  std::vector<std::vector<uint64_t>> below(n);  // bit sets of steps; empty: evaluated or dropped
  for (size_t i = 0; i < n; ++i) {
    auto& set = below[i];
    set.assign(words, 0);
    set[i / 64] |= uint64_t{1} << (i % 64);
    for (const Ref& r : t.steps[i].inputs) {
      if (r.kind != RefKind::Step) continue;
      const auto& in = below[r.index];
      for (size_t w = 0; w < in.size(); ++w) set[w] |= in[w];
    }
    int count = 0;
    for (uint64_t w : set) count += std::popcount(w);
    if (t.steps[i].pattern) std::const_pointer_cast<Node>(t.steps[i].pattern)->pending_size = count;
    if (count > kMaxPendingNodes) {
      below[i] = {};
      within = false;
    }
    for (int32_t j : t.release_after[i]) below[j] = {};
  }
  return within;
}

// Tape::plannable, given that no step passes the pending-node bound: elementwise steps over one
// element count, fewer than one thread's share, that either make the computed outputs or feed one
// full reduction, then the only computed output and read by no step (the group's sink).
bool is_plannable(const Tape& t) {
  int32_t reduction = -1;
  const Step* elementwise = nullptr;
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const Step& step = t.steps[i];
    if (step.pattern) {
      elementwise = &step;
      continue;
    }
    if (reduction >= 0 || step.kind != StepKind::ReduceAll || step.inputs[0].kind != RefKind::Step) return false;
    reduction = static_cast<int32_t>(i);
  }
  bool step_output = false;
  for (const Ref& r : t.outputs) {
    if (r.kind != RefKind::Step) continue;
    if (reduction >= 0 && r.index != reduction) return false;
    step_output = true;
  }
  if (!step_output || !elementwise) return false;
  const int64_t elements = shape_size(elementwise->pattern->shape);
  if (elements <= 0 || elements >= kMinParallelElements) return false;
  for (const Step& step : t.steps) {
    if (step.pattern && shape_size(step.pattern->shape) != elements) return false;
    for (const Ref& r : step.inputs) {
      if (r.kind == RefKind::Step && r.index == reduction) return false;
    }
  }
  return true;
}

}  // namespace

void Recorder::record_op(const std::vector<ufuncs::Operand>& inputs, const NodePtr& node, bool has_out) {
  if (has_out) fail("an in-place op or out= (write the result into a new array instead)");
  State& s = *state_;
  Step step;
  step.kind = StepKind::Op;
  step.op = node->op;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Ref r = ref_of(s, *this, inputs[k], node->inputs[k].get());
    step.inputs.push_back(r);
    const bool checked = r.kind == RefKind::Scalar && r.weak == ufuncs::Weak::Int;
    step.int_targets.push_back(checked ? node->input_types[k] : DType::Bool);
  }
  add_step(s, std::move(step), node);
}

void Recorder::record_cast(const Array& input, const NodePtr& node) {
  State& s = *state_;
  Step step;
  step.kind = StepKind::Cast;
  step.dtype = node->dtype;
  step.inputs.push_back(ref_of(s, *this, {input, ufuncs::Weak::None}, node->inputs[0].get()));
  add_step(s, std::move(step), node);
}

void Recorder::record_reduction(ReductionOp op, const Array& input, const std::vector<int>* axes,
                                bool keepdims, const Array& result) {
  State& s = *state_;
  auto node = std::dynamic_pointer_cast<Node>(result.buffer()->pending());
  if (!node || node->inputs.empty()) {
    fail("a reduction was evaluated during the trace");
    return;
  }
  Step step;
  step.kind = axes ? StepKind::ReduceAxes : StepKind::ReduceAll;
  step.reduction = op;
  if (axes) step.axes = *axes;
  step.keepdims = keepdims;
  step.inputs.push_back(ref_of(s, *this, {input, ufuncs::Weak::None}, node->inputs[0].get()));
  add_step(s, std::move(step), node);
}

std::shared_ptr<const Tape> Recorder::finish(const std::vector<Array>& outputs) {
  stop();
  State& s = *state_;
  s.finished = true;
  for (const Array& out : outputs) {
    if (s.failed || s.escaped) break;
    if (auto it = s.scalar_buffers.find(out.buffer().get()); it != s.scalar_buffers.end()) {
      s.tape.outputs.push_back(Ref{RefKind::Scalar, ufuncs::Weak::None, it->second});
      s.tape.output_is_scalar.push_back(false);
      continue;
    }
    auto node = std::dynamic_pointer_cast<Node>(out.buffer()->pending());
    if (!node) {  // an array that exists (a global, a constant): returned as it is
      s.tape.captured.push_back(out);
      s.tape.outputs.push_back(Ref{RefKind::Captured, ufuncs::Weak::None,
                                   static_cast<int32_t>(s.tape.captured.size() - 1)});
      s.tape.output_is_scalar.push_back(false);
      continue;
    }
    auto it = s.refs.find(node.get());
    if (it == s.refs.end() || !is_whole_result(out, *node)) {
      fail("the function returns a view of a traced array, or lazy work the trace did not record");
      break;
    }
    s.tape.outputs.push_back(it->second);
    const Step* step = it->second.kind == RefKind::Step ? &s.tape.steps[it->second.index] : nullptr;
    const bool scalar = step && out.ndim() == 0 &&
                        ((step->kind == StepKind::Op && step->op != ufuncs::OpId::where) ||
                         step->kind == StepKind::ReduceAll || step->kind == StepKind::ReduceAxes);
    s.tape.output_is_scalar.push_back(scalar);
  }
  s.refs.clear();
  s.held.clear();
  if (s.failed || s.escaped) return nullptr;
  // Last uses: a step's value is dropped after the last step reading it, unless it is an output.
  Tape& t = s.tape;
  std::vector<int32_t> last(t.steps.size(), -1);
  for (size_t i = 0; i < t.steps.size(); ++i) {
    for (const Ref& r : t.steps[i].inputs) {
      if (r.kind == RefKind::Step) last[r.index] = static_cast<int32_t>(i);
    }
  }
  for (const Ref& r : t.outputs) {
    if (r.kind == RefKind::Step) last[r.index] = -1;
  }
  t.release_after.assign(t.steps.size(), {});
  for (size_t j = 0; j < t.steps.size(); ++j) {
    if (last[j] >= 0) t.release_after[last[j]].push_back(static_cast<int32_t>(j));
  }
  const bool within_bound = count_pending(t);
  t.plannable = within_bound && is_plannable(t);
  auto give_array = [&t](const Ref& r) {
    if (r.kind == RefKind::Step && t.steps[r.index].array_slot < 0) t.steps[r.index].array_slot = t.num_arrays++;
  };
  for (Step& step : t.steps) {
    if (!step.pattern) {  // a reduction: its input, and its own result, are arrays
      give_array(step.inputs[0]);
      give_array(Ref{RefKind::Step, ufuncs::Weak::None, static_cast<int32_t>(&step - t.steps.data())});
    }
  }
  for (const Ref& r : t.outputs) give_array(r);
  s.result = std::make_shared<const Tape>(std::move(t));
  return s.result;
}

bool Recorder::validate() {
  State& s = *state_;
  if (!s.result) return false;
  const Tape& tape = *s.result;
  std::unordered_map<const Buffer*, long> uses;
  for (const Array& a : tape.captured) ++uses[a.buffer().get()];
  for (const Step& step : tape.steps) {
    for (const NodePtr& leaf : step.fixed_inputs) {
      if (leaf) ++uses[leaf->value.buffer().get()];
    }
  }
  for (const Array& a : tape.captured) {
    // Only the tape holds it, it is writable numfuse memory: the function made it.
    if (a.buffer()->pooled() && a.writeable() && a.buffer().use_count() <= uses[a.buffer().get()]) {
      fail("the function makes an array that does not come from its arguments (create it outside, "
           "or pass it in)");
      return false;
    }
  }
  return true;
}

bool Recorder::escaped() const { return state_->escaped; }
const std::string& Recorder::reason() const { return state_->reason; }

namespace {

// A reduction step: fused into its input's pass when the input is pending, else computed now.
Array reduced(const Step& step, const Array& input) {
  if (step.kind == StepKind::ReduceAll) {
    auto fused = reduce_all(step.reduction, input);
    return fused ? *fused : eager_reduce(step.reduction, input, nullptr, false);
  }
  auto fused = reduce_axes(step.reduction, input, step.axes, step.keepdims);
  return fused ? *fused : eager_reduce(step.reduction, input, &step.axes, step.keepdims);
}

}  // namespace

Array converted_scalar(const Step& step, size_t k, const ufuncs::Operand& scalar) {
  const DType target = step.pattern->input_types[k];
  if (step.int_targets[k] != DType::Bool) {
    if (!int_fits(scalar.array, target)) throw ReplayDeclined{};
    if (step.op == ufuncs::OpId::power && k == 1 && is_integer(target) &&
        scalar.array.dtype() == DType::Int64 && *scalar.array.data_as<int64_t>() < 0) {
      throw ReplayDeclined{};
    }
  }
  if (step.inputs[k].weak == ufuncs::Weak::None || scalar.array.dtype() == target) return scalar.array;
  std::array<std::byte, 16> converted{};
  cast_function(scalar.array.dtype(), target)(scalar.array.data(), 0, converted.data(), 0, 1);
  return constant(target, converted.data());
}

std::vector<Array> replay(const Tape& tape, const std::vector<Array>& params,
                          const std::vector<ufuncs::Operand>& scalars) {
  // Tracing another function (a jitted function called by one being traced): through the API
  // the recorder hooks. Laziness off: apply() runs ops eagerly.
  if (lazy_enabled() && !active()) {
    if (tape.plannable) return replay_planned(tape, params, scalars);
    return replay_direct(tape, params, scalars, nullptr);
  }
  std::vector<Array> values(tape.steps.size());
  std::vector<ufuncs::Operand> operands;
  auto operand = [&](const Ref& r) -> ufuncs::Operand {
    switch (r.kind) {
      case RefKind::Param: return {params[r.index], r.weak};
      case RefKind::Scalar: return {scalars[r.index].array, r.weak};
      case RefKind::Captured: return {tape.captured[r.index], r.weak};
      case RefKind::Step: return {values[r.index], r.weak};
      case RefKind::ParamView: return {param_view(params, tape.views[r.index]), r.weak};
    }
    return {};
  };
  for (size_t i = 0; i < tape.steps.size(); ++i) {
    const Step& step = tape.steps[i];
    switch (step.kind) {
      case StepKind::Op: {
        operands.clear();
        for (size_t k = 0; k < step.inputs.size(); ++k) {
          operands.push_back(operand(step.inputs[k]));
          const DType target = step.int_targets[k];
          if (target == DType::Bool) continue;
          const Array& v = operands.back().array;
          // Python's own error (OverflowError, integer ** negative) comes from the function.
          if (!int_fits(v, target)) throw ReplayDeclined{};
          if (step.op == ufuncs::OpId::power && k == 1 && is_integer(target) &&
              v.dtype() == DType::Int64 && *v.data_as<int64_t>() < 0) {
            throw ReplayDeclined{};
          }
        }
        values[i] = apply(step.op, operands, std::nullopt);
        break;
      }
      case StepKind::Cast:
        values[i] = cast(operand(step.inputs[0]).array, step.dtype);
        break;
      case StepKind::ReduceAll:
      case StepKind::ReduceAxes:
        values[i] = reduced(step, operand(step.inputs[0]).array);
        break;
    }
    for (int32_t j : tape.release_after[i]) values[j] = Array();
  }
  std::vector<Array> outputs;
  outputs.reserve(tape.outputs.size());
  for (const Ref& r : tape.outputs) outputs.push_back(operand(r).array);
  return outputs;
}

std::vector<Array> replay_direct(const Tape& tape, const std::vector<Array>& params,
                                 const std::vector<ufuncs::Operand>& scalars, LeafSources* sources) {
  auto lock = detail::lock_graph();
  const size_t n = tape.steps.size();
  std::vector<NodePtr> nodes(n);
  std::vector<Array> arrays(static_cast<size_t>(tape.num_arrays));  // by Step::array_slot
  std::vector<NodePtr> param_nodes(params.size());
  auto step_node = [&](int32_t j) -> NodePtr {
    const NodePtr& node = nodes[j];
    if (node->failed()) std::rethrow_exception(node->error);
    return node->done ? input_node(node->value) : node;  // evaluated at the bound: now a leaf
  };
  for (size_t i = 0; i < n; ++i) {
    const Step& step = tape.steps[i];
    if (!step.pattern) {
      const Ref& r = step.inputs[0];
      const Array input = r.kind == RefKind::Param       ? params[r.index]
                          : r.kind == RefKind::Captured  ? tape.captured[r.index]
                          : r.kind == RefKind::ParamView ? param_view(params, tape.views[r.index])
                                                         : arrays[tape.steps[r.index].array_slot];
      Array& result = arrays[step.array_slot];
      result = reduced(step, input);
      nodes[i] = input_node(result);
    } else {
      std::array<NodePtr, 3> in;
      uint32_t from_tape = 0;
      for (size_t k = 0; k < step.inputs.size(); ++k) {
        const Ref& r = step.inputs[k];
        switch (r.kind) {
          case RefKind::Param:
            if (!param_nodes[r.index]) param_nodes[r.index] = input_node(params[r.index]);
            in[k] = param_nodes[r.index];
            break;
          case RefKind::Scalar: in[k] = input_node(converted_scalar(step, k, scalars[r.index])); break;
          case RefKind::Captured:
            in[k] = step.fixed_inputs[k] ? step.fixed_inputs[k] : input_node(tape.captured[r.index]);
            break;
          case RefKind::Step:
            in[k] = step_node(r.index);
            from_tape |= 1u << k;
            break;
          case RefKind::ParamView: in[k] = input_node(param_view(params, tape.views[r.index])); break;
        }
        if (sources && r.kind != RefKind::Step) {
          sources->push_back({in[k], LeafSource{r.kind, r.index, static_cast<int32_t>(i), static_cast<int32_t>(k)}});
        }
      }
      nodes[i] = record_like(*step.pattern, std::span<NodePtr>(in.data(), step.inputs.size()),
                             from_tape, step.array_slot >= 0 ? &arrays[step.array_slot] : nullptr);
    }
    for (int32_t j : tape.release_after[i]) {
      nodes[j].reset();
      if (tape.steps[j].array_slot >= 0) arrays[tape.steps[j].array_slot] = Array();
    }
  }
  return tape_outputs(tape, params, scalars, [&](int32_t step) { return arrays[tape.steps[step].array_slot]; });
}

}  // namespace numfuse::jit::trace
