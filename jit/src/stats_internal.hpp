// The JIT's counters, shared by the files of jit/ (read through lazy.hpp's stats()).
#pragma once

#include <mutex>

#include "numfuse/jit/lazy.hpp"

namespace numfuse::jit::detail {

// All graph recording and evaluation runs under this lock (recursive: evaluating one group
// may evaluate the groups it depends on).
std::recursive_mutex& graph_mutex();
JitStats& mutable_stats();  // guarded by graph_mutex()

}  // namespace numfuse::jit::detail
