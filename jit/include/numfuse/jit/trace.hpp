// Whole-function tracing for @nf.jit: a Tape is the list of lazy-API calls (ops, casts, fused
// reductions) one run of a Python function made on its array arguments, with every input named
// by its role (an argument, a Python scalar argument, an array captured by reference, an earlier
// step). Replaying the tape on new arguments calls the same lazy API again, so a call records
// its whole graph in C++ without running the Python body.
//
// Tracing runs the function on *placeholders*: pending arrays of the arguments' shapes and
// dtypes whose bytes do not exist. Recording needs no bytes; anything that reads them (a Python
// branch on a value, indexing, NumPy fallbacks, linalg, in-place writes into traced arrays) runs
// the placeholder's pending work, which throws TraceEscape: that trace cannot be replayed.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/core/small_vector.hpp"
#include "numfuse/jit/graph.hpp"
#include "numfuse/ufuncs/elementwise.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse::jit::trace {

// Thrown when code reads the values of a traced array while its function is being traced.
struct TraceEscape : std::exception {
  const char* what() const noexcept override { return "the values of a traced array were read"; }
};

enum class RefKind : uint8_t {
  Param,     // array argument `index`
  Scalar,    // Python scalar argument `index` (a weak operand: its value changes per call)
  Captured,  // Tape::captured[index], an array the function read that is not an argument
  Step,      // the result of Tape::steps[index]
  ParamView, // Tape::views[index]: a basic view (u[1:-1, ::2], u.T) of a C-contiguous argument
};

// A view of array argument `param`, as its placeholder's layout gave it: the same layout is
// the same view of the argument at replay (the key fixes its shape, dtype and C order).
struct ParamViewSpec {
  int32_t param = 0;
  int64_t offset = 0;  // bytes from the argument's first element
  Shape shape;
  Strides strides;
};

struct Ref {
  RefKind kind = RefKind::Param;
  ufuncs::Weak weak = ufuncs::Weak::None;
  int32_t index = 0;
};

enum class StepKind : uint8_t { Op, Cast, ReduceAll, ReduceAxes };

struct Step {
  StepKind kind = StepKind::Op;
  ufuncs::OpId op = ufuncs::OpId::none;  // Op
  DType dtype = DType::Float64;          // Cast: the target dtype
  ReductionOp reduction{};               // Reduce*
  std::vector<int> axes;                 // ReduceAxes: normalized, sorted
  bool keepdims = false;                 // ReduceAxes
  SmallVector<Ref, 3> inputs;
  // Python int arguments read by an integer loop must fit it (NEP 50): the dtype each Scalar
  // input of kind Int was converted to when traced (Bool where nothing is checked).
  SmallVector<DType, 3> int_targets;
  // Op, Cast: the traced node's op, dtypes and shape (a replay records its copy directly: the key
  // fixes dtypes and shapes) and, per input, the leaf of a Captured array as the node read it (a
  // weak constant already converted to the loop's dtype); null for other inputs.
  std::shared_ptr<const Node> pattern;
  std::vector<NodePtr> fixed_inputs;
  // The replay hands its result out as an array (an output, or the input of a reduction) in
  // slot `array_slot`; -1: it is a node nobody holds, which fuses into its readers.
  int32_t array_slot = -1;
};

struct ReplayPlan;  // trace_plan.cpp

// A tape's plan (trace_plan.cpp), made by one of its first replays and shared by the threads
// replaying it.
struct PlanSlot {
  std::mutex mutex;
  std::shared_ptr<const ReplayPlan> plan;
  int attempts = 0;                  // replays that tried to make it (a few, then no more)
  std::atomic<uint64_t> planned{0};  // replays that ran the plan
};

struct Tape {
  std::vector<Step> steps;
  std::vector<Array> captured;
  std::vector<ParamViewSpec> views;
  std::vector<Ref> outputs;
  // Outputs NumPy would hand back as scalars (0-d results of ops and reductions).
  std::vector<bool> output_is_scalar;
  // Per step: the steps whose value is not needed after it (dropped during a replay, so the
  // scheduler does not store intermediates nobody holds).
  std::vector<SmallVector<int32_t, 3>> release_after;
  int num_params = 0;
  int num_scalars = 0;
  int num_arrays = 0;  // steps with an array_slot
  // Whether the whole tape can run as one small fused group (only elementwise ops and casts over
  // the outputs' shape, none evaluated while recorded, fewer elements than one thread's share):
  // then replays run a plan of that group instead of recording nodes (trace_plan.cpp).
  bool plannable = false;
  std::shared_ptr<PlanSlot> plan = std::make_shared<PlanSlot>();
};

// Why a replay did not happen: the caller runs the Python function instead, which gives the
// right answer or NumPy's error (a Python int out of the range its loop reads).
struct ReplayDeclined {};

// The recorder of the thread that is tracing (at most one per thread).
class Recorder {
 public:
  Recorder();
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Installs / removes this recorder as the calling thread's.
  void start();
  void stop();

  // A placeholder for array argument `index` (in order, from 0): a pending C-ordered array of
  // `arg`'s shape and dtype.
  Array param(const Array& arg);
  // A fresh 0-d operand standing for Python scalar argument `index` (value `value`, which
  // gives the trace its dtype and NEP 50 checks).
  Array scalar(const Array& value);

  // Hooks from lazy.cpp (only while this recorder is the thread's).
  // `node` is the op's new node (its inputs are the operands' nodes, its input_types what
  // each operand was converted to).
  void record_op(const std::vector<ufuncs::Operand>& inputs, const NodePtr& node, bool has_out);
  void record_cast(const Array& input, const NodePtr& node);
  void record_reduction(ReductionOp op, const Array& input, const std::vector<int>* axes,
                        bool keepdims, const Array& result);
  void fail(std::string reason);

  // Ends the trace: the tape producing `outputs`, or nullptr when it cannot be replayed (reason()).
  std::shared_ptr<const Tape> finish(const std::vector<Array>& outputs);
  // After the function's own objects are gone: false (and reason()) if the tape captured an
  // array the function made itself (nf.zeros(n), random numbers): replaying would reuse it.
  bool validate();
  bool escaped() const;
  const std::string& reason() const;
  // Whether `node` is one of this trace's argument placeholders (input_node makes a leaf of a
  // view of one instead of computing it: the view becomes a ParamView input).
  bool is_placeholder(const Node* node) const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// The calling thread's recorder, or nullptr (cheap: one thread-local load).
Recorder* active();

// View `spec` of the replay's argument array.
Array param_view(const std::vector<Array>& params, const ParamViewSpec& spec);

// Runs the tape on new arguments through the lazy API; returns the outputs (pending arrays), or,
// for a plannable tape once its plan exists, runs the plan's kernel and returns the outputs'
// values. Throws ReplayDeclined when an argument's value needs the Python function (see above).
std::vector<Array> replay(const Tape& tape, const std::vector<Array>& params,
                          const std::vector<ufuncs::Operand>& scalars);

}  // namespace numfuse::jit::trace
