// The eager kernels' way to more threads. ufuncs sits below jit, and the thread pool belongs to
// jit, so ufuncs only holds a runner that jit registers at startup (jit/eager_threads.hpp, called
// when the Python module loads). Until one is registered, or when it declines (its pool is busy
// with another caller), tasks run one after another on the calling thread. Callers therefore split
// work the same way whatever runs it: results never depend on the thread count.
#pragma once

#include <memory>
#include <type_traits>

namespace numfuse::ufuncs {

using TaskFn = void (*)(void* context, int task);

// Tasks per thread where work can be cut finely: threads claim tasks as they finish, so a core
// slowed by other load delays only its share of the remaining tasks instead of half the job.
inline constexpr int kTasksPerThread = 4;

struct ParallelRunner {
  int (*threads)() = nullptr;  // threads that would run tasks, the caller included
  // Runs task(context, t) for every t in [0, tasks) and returns when all are done; must also
  // work when called again from inside a task (running those tasks inline is fine). A task may
  // throw: run then skips the tasks not yet started and, once the running ones have returned,
  // rethrows the first exception on the calling thread (never lets it escape a worker thread).
  void (*run)(int tasks, TaskFn task, void* context) = nullptr;
};

// Installs `runner` (an empty runner: back to the calling thread only).
void set_parallel_runner(ParallelRunner runner);

// Threads the registered runner offers (1 without a runner).
int parallel_threads();

// fn(t) for t in [0, tasks), on the runner's threads; returns when all are done. If fn throws, the
// first exception comes out here, on the calling thread.
void parallel_run(int tasks, TaskFn task, void* context);

template <class Fn>
void parallel_for(int tasks, Fn&& fn) {
  using F = std::remove_reference_t<Fn>;
  parallel_run(tasks, [](void* f, int t) { (*static_cast<F*>(f))(t); },
               const_cast<void*>(static_cast<const void*>(std::addressof(fn))));
}

}  // namespace numfuse::ufuncs
