// The registered runner of parallel.hpp. Function pointers in atomics: registration happens once
// at startup, reads happen on every large kernel call from any thread.
#include "numfuse/ufuncs/parallel.hpp"

#include <atomic>

namespace numfuse::ufuncs {

namespace {

std::atomic<int (*)()> g_threads{nullptr};
std::atomic<void (*)(int, TaskFn, void*)> g_run{nullptr};

}  // namespace

void set_parallel_runner(ParallelRunner runner) {
  // Clear the runner before swapping the pair so that no caller sees a half-installed one.
  g_run.store(nullptr);
  g_threads.store(runner.threads);
  g_run.store(runner.threads ? runner.run : nullptr);
}

int parallel_threads() {
  auto threads = g_threads.load();
  if (threads == nullptr || g_run.load() == nullptr) return 1;
  const int n = threads();
  return n < 1 ? 1 : n;
}

void parallel_run(int tasks, TaskFn task, void* context) {
  if (tasks <= 0) return;
  auto run = g_run.load();
  if (run != nullptr && tasks > 1) {
    run(tasks, task, context);
    return;
  }
  for (int t = 0; t < tasks; ++t) task(context, t);
}

}  // namespace numfuse::ufuncs
