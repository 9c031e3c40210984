// The lazy expression graph. Elementwise ops on arrays do not run when written: they record a
// Node and hand back an Array whose Buffer is *deferred* (core/buffer.hpp) with the node as its
// pending work. Reading the bytes, writing into an array the node reads, or an explicit eval()
// runs the node, which evaluates its whole fusible group in one pass (scheduler.hpp,
// interpreter.hpp).
#pragma once

#include <array>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/core/buffer.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "numfuse/ufuncs/reduce_loop.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse::jit {

enum class NodeKind : uint8_t {
  Leaf,         // an existing array (already materialized)
  Elementwise,  // an op-table op over its inputs, broadcast to `shape`
  Cast,         // its single input converted to `dtype` (astype)
  Reduce,       // a reduction of its single input over all axes or the axes in reduce_axes
  Produced,     // a 2-D result whose rows a callback computes (a matrix product): not fused, but
                // an elementwise group reading it can run panel by panel as the rows appear
};

// Fills `rows` (C-contiguous, rows [first, end) of the result) with those rows' values.
using RowProducer = std::function<void(int64_t first, int64_t end, Array& rows)>;

class Node final : public PendingWork, public std::enable_shared_from_this<Node> {
 public:
  NodeKind kind = NodeKind::Leaf;
  ufuncs::OpId op = ufuncs::OpId::none;
  DType dtype = DType::Float64;        // the value's dtype
  DType loop_dtype = DType::Float64;   // Elementwise: the kernel's dtype
  std::array<DType, 3> input_types{};  // Elementwise: what each input is cast to
  Shape shape;
  std::vector<std::shared_ptr<Node>> inputs;

  // A node is pending, then either stored (`done`, its value in `value`) or failed (`error`).
  // Leaf: the array. Other kinds: the result, once evaluated (then `done`).
  Array value;
  bool done = false;
  // Failed: its evaluation threw (a kernel met bad data, memory ran out). The error is kept and
  // rethrown by every later run(), i.e. whenever its result is observed or used as an input;
  // value, inputs and callback are released, so a failed node holds no memory and reads nothing
  // (a writer that runs it as a reader gets the error back and ignores it: prepare_write).
  std::exception_ptr error;
  // The buffer handed to the user for this node's value while it is pending (fresh results).
  std::weak_ptr<Buffer> result;
  // out= / in-place: the value is written here instead of a fresh buffer.
  std::optional<Array> destination;
  // Reduce: the block kernel folding the input, which is cast to reduce_input first if needed.
  ReductionOp reduction{};
  DType reduce_input = DType::Float64;
  reduction::ReduceLoop reduce_loop;
  std::vector<bool> reduce_axes;  // per input axis: reduced? (empty: every axis, a 0-d result)
  // Produced: the rows' callback, and the shortest panel worth computing on its own (below it,
  // recomputation overheads of the callback exceed what a panel saves).
  RowProducer produce_rows;
  int64_t min_panel_rows = 1;
  // Pending nodes in this node's graph (bounded: past the cap the node is evaluated at once).
  int pending_size = 1;

  bool failed() const { return error != nullptr; }
  // Copies what `other` computes (kind, op, dtypes, shape), not its inputs or state: @nf.jit's
  // replay makes its nodes so (trace.cpp, record_like).
  void copy_op_from(const Node& other) {
    kind = other.kind;
    op = other.op;
    dtype = other.dtype;
    loop_dtype = other.loop_dtype;
    input_types = other.input_types;
    shape = other.shape;
  }
  // Evaluates this node's group (idempotent). Throws the node's error if it failed, now or before.
  void run() override;
};

using NodePtr = std::shared_ptr<Node>;

// The node to use for an array as an input: the pending node itself when the array is exactly
// that node's whole result (so the op fuses with it), otherwise a leaf over the array.
NodePtr input_node(const Array& a);

// What NumPy would name as the source of a floating-point flag no kernel of n's evaluation claimed.
const char* fp_source_name(const Node& n);

// Largest number of pending nodes one expression may accumulate before it is evaluated.
inline constexpr int kMaxPendingNodes = 48;

}  // namespace numfuse::jit
