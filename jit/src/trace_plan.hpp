// Internal to jit/: the recording replay (trace.cpp) and the planned one (trace_plan.cpp).
#pragma once

#include <utility>
#include <vector>

#include "numfuse/jit/trace.hpp"

namespace numfuse::jit::trace {

// What the recording replay made an input node from: input `input` of step `step`, which reads
// Ref (kind, index) (a Param, ParamView, Scalar or Captured one).
struct LeafSource {
  RefKind kind = RefKind::Param;
  int32_t index = 0;
  int32_t step = 0;
  int32_t input = 0;
};
using LeafSources = std::vector<std::pair<NodePtr, LeafSource>>;

// Records the tape's ops and casts as copies of the traced nodes (record_like) under one hold of
// the graph lock: no dtype resolution, no broadcasting, no weak-scalar conversion of constants,
// no result arrays for intermediates. With `sources`, notes what each input node came from.
std::vector<Array> replay_direct(const Tape& tape, const std::vector<Array>& params,
                                 const std::vector<ufuncs::Operand>& scalars, LeafSources* sources);

// A Python scalar argument as the loop of `step`'s input k reads it (NEP 50 checks: may throw
// ReplayDeclined).
Array converted_scalar(const Step& step, size_t k, const ufuncs::Operand& scalar);

// The tape's outputs for a call, `step_value(index)` giving the value of a step.
template <class StepValue>
std::vector<Array> tape_outputs(const Tape& tape, const std::vector<Array>& params,
                                const std::vector<ufuncs::Operand>& scalars, const StepValue& step_value) {
  std::vector<Array> outputs;
  outputs.reserve(tape.outputs.size());
  for (const Ref& r : tape.outputs) {
    switch (r.kind) {
      case RefKind::Param: outputs.push_back(params[r.index]); break;
      case RefKind::Scalar: outputs.push_back(scalars[r.index].array); break;
      case RefKind::Captured: outputs.push_back(tape.captured[r.index]); break;
      case RefKind::Step: outputs.push_back(step_value(r.index)); break;
      case RefKind::ParamView: outputs.push_back(param_view(params, tape.views[r.index])); break;
    }
  }
  return outputs;
}

// The replay of a plannable tape: runs its plan (making it on one of the first replays), or
// records as replay_direct when this call's arguments do not fit the plan.
std::vector<Array> replay_planned(const Tape& tape, const std::vector<Array>& params,
                                  const std::vector<ufuncs::Operand>& scalars);

}  // namespace numfuse::jit::trace
