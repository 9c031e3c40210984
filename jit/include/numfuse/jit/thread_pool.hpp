// A fixed pool of worker threads for fused groups. parallel_for(n, fn) runs fn(0..n-1) with the
// calling thread taking part, and returns when all are done.
//
// The error path: a task may throw (a kernel meeting bad data, an allocation failing). The pool
// catches it on the thread that ran the task, keeps the first one, stops handing out tasks, and
// once every task already running has returned, rethrows that exception from parallel_for on
// the calling thread. Long tasks poll stop_requested() between blocks to return early.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace numfuse::jit {

class ThreadPool {
 public:
  static ThreadPool& instance();

  // Called from inside a task of any pool, runs the tasks inline on this thread (a pool runs one
  // job at a time). A throwing task ends the job early and its exception is rethrown here.
  void parallel_for(int tasks, const std::function<void(int)>& fn);
  int size() const;          // threads that run tasks, the caller included
  void resize(int threads);  // >= 1

  // True inside a task whose job has a failed task: the job's result is discarded, so the task
  // may return without finishing its work.
  static bool stop_requested();
  // The flag stop_requested() reads (never null), for loops that poll it every few hundred
  // elements: one thread-local lookup per task instead of one per poll.
  static const std::atomic<bool>& stop_flag();

  ThreadPool();
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  struct State;  // opaque: thread_pool.cpp

 private:
  State* state_;
};

}  // namespace numfuse::jit
