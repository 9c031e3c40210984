// Evaluation of fused groups, shared by graph.cpp (Node::run) and lazy.cpp (nf.eval).
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "numfuse/jit/graph.hpp"
#include "numfuse/jit/interpreter.hpp"
#include "numfuse/jit/kernel_ir.hpp"

namespace numfuse::jit::detail {

// Takes the graph lock; while waiting for another thread's evaluation the GIL is released, so
// a thread holding the lock can always get the GIL back.
std::unique_lock<std::recursive_mutex> lock_graph();

// Schedules, compiles (or finds in the cache) and runs the group rooted at `roots` (pending
// elementwise nodes of one shape), then stores their values. Caller holds the graph lock.
void evaluate_group(const std::vector<Node*>& roots);

// The array a node's value goes to: its destination (out=), the memory of the result handed to the
// user (allocated now), or fresh memory when nobody holds that result any more.
Array output_array(Node* n);

// Marks a node whose value is now in n->value (or its destination) as done: its result stops
// being pending and its inputs are released.
void mark_stored(Node* n);

// Marks a pending node as failed with `error` (graph.hpp): releases its value, inputs and
// callback; a destination (out=, in place) stays pending on the failed node, so reading it raises
// the error instead of showing half-written values.
void mark_failed(Node* n, std::exception_ptr error);

// `a` seen with the iteration space's shape: size-1 and missing leading axes get stride 0.
Array broadcast_view(const Array& a, const Shape& shape);

// The layout classes of a group's operands (outputs first, then leaves) over its collapsed space:
// with the group, they name its kernel (describe).
struct OperandLayouts {
  SmallVector<LayoutClass, 8> outputs, leaves;
};
OperandLayouts operand_layouts(const IterationSpace& space, const std::vector<Array>& operands,
                               size_t num_outputs, size_t num_leaves);

// Runs f with the GIL released (f must not touch Python).
void run_released(const std::function<void()>& f);

// Evaluates a Produced node on its own: all rows into its result's memory.
void evaluate_produced(Node* produced);

// Evaluates a Reduce node: its input's group runs with the reduction folded into the same pass.
void evaluate_reduction(Node* reduce);

}  // namespace numfuse::jit::detail
