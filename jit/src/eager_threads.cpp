// The runner behind ufuncs::parallel_for. The pool runs one job at a time, and the lazy engine
// only uses it under the graph lock; an eager kernel takes that lock too, but never waits for it:
// if another thread is evaluating (or running an eager kernel), the tasks run on the calling
// thread (and inside a pool task, the pool itself runs nested tasks inline). The kernels cut their work the same way
// either way, so that only changes the speed, never the result.
#include "numfuse/jit/eager_threads.hpp"

#include <mutex>

#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/ufuncs/parallel.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit {

namespace {

int pool_threads() { return ThreadPool::instance().size(); }

void run_inline(int tasks, ufuncs::TaskFn task, void* context) {
  for (int t = 0; t < tasks; ++t) task(context, t);
}

// A task that throws: the pool stops the others and rethrows the first error here, on the
// calling thread (the contract of ufuncs::ParallelRunner::run).
void run_on_pool(int tasks, ufuncs::TaskFn task, void* context) {
  std::unique_lock<std::recursive_mutex> lock(detail::graph_mutex(), std::try_to_lock);
  if (!lock.owns_lock()) return run_inline(tasks, task, context);
  ThreadPool::instance().parallel_for(tasks, [&](int t) { task(context, t); });
}

}  // namespace

void lend_thread_pool_to_eager_kernels() {
  ufuncs::set_parallel_runner({&pool_threads, &run_on_pool});
}

}  // namespace numfuse::jit
