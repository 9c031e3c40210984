// A fixed pool of worker threads for fused groups. parallel_for(n, fn) runs fn(0..n-1) with the
// calling thread taking part, and returns when all are done.
#pragma once

#include <cstdint>
#include <functional>

namespace numfuse::jit {

class ThreadPool {
 public:
  static ThreadPool& instance();

  void parallel_for(int tasks, const std::function<void(int)>& fn);
  int size() const;          // threads that run tasks, the caller included
  void resize(int threads);  // >= 1

  ThreadPool();
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

 private:
  struct State;
  State* state_;
};

}  // namespace numfuse::jit
