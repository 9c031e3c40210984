// Lends jit's thread pool to the eager kernels of ufuncs (eager reductions today), which cannot
// see jit: ufuncs holds a runner hook (ufuncs/parallel.hpp) and this registers the pool there.
// Called once when the Python module loads; C++ programs call it themselves if they want it.
#pragma once

namespace numfuse::jit {

void lend_thread_pool_to_eager_kernels();

}  // namespace numfuse::jit
