#include "numfuse/jit/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "numfuse/ufuncs/fp_status.hpp"

namespace numfuse::jit {

struct ThreadPool::State {
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable finished;
  std::vector<std::thread> workers;
  const std::function<void(int)>* job = nullptr;
  int tasks = 0;
  std::atomic<int> next{0};
  int running = 0;          // workers inside the current job
  uint64_t generation = 0;  // bumped per job so a worker runs each job once
  bool stop = false;
  int threads = 1;
  // The current job's error path: the first exception a task threw (guarded by `mutex`), and a
  // flag the other tasks poll to stop early.
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  // The floating-point flags the workers' tasks raised (guarded by `mutex`): handed to the
  // calling thread's status, as if it had run every task itself.
  ufuncs::fp::Status fp;
};

namespace {

// The failure flag of the job whose task this thread is running (null outside any task).
thread_local const std::atomic<bool>* t_job_failed = nullptr;

// Takes tasks until none are left or one has failed. Exceptions never leave a worker thread
// (that would terminate the process): the first is kept for the caller of parallel_for.
void drain(ThreadPool::State* s, const std::function<void(int)>& fn, int tasks) {
  const std::atomic<bool>* outer = std::exchange(t_job_failed, &s->failed);
  for (int t = s->next.fetch_add(1); t < tasks && !s->failed.load(std::memory_order_relaxed);
       t = s->next.fetch_add(1)) {
    try {
      fn(t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(s->mutex);
      if (!s->error) s->error = std::current_exception();
      s->failed.store(true, std::memory_order_relaxed);
    }
  }
  t_job_failed = outer;
}

}  // namespace

const std::atomic<bool>& ThreadPool::stop_flag() {
  static const std::atomic<bool> never{false};
  return t_job_failed != nullptr ? *t_job_failed : never;
}

bool ThreadPool::stop_requested() { return stop_flag().load(std::memory_order_relaxed); }

ThreadPool::ThreadPool() : state_(new State) {
  unsigned hw = std::thread::hardware_concurrency();
  resize(hw ? static_cast<int>(hw) : 1);
}

ThreadPool::~ThreadPool() {
  resize(1);
  delete state_;
}

ThreadPool& ThreadPool::instance() {
  // Leaked on purpose: joining threads from a static destructor at exit can deadlock.
  static ThreadPool* pool = new ThreadPool;
  return *pool;
}

int ThreadPool::size() const { return state_->threads; }

void ThreadPool::resize(int threads) {
  threads = std::max(1, threads);
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
  }
  state_->wake.notify_all();
  for (auto& w : state_->workers) w.join();
  state_->workers.clear();
  state_->stop = false;
  state_->threads = threads;
  for (int i = 1; i < threads; ++i) {
    state_->workers.emplace_back([s = state_] {
      uint64_t seen = 0;
      std::unique_lock<std::mutex> lock(s->mutex);
      while (true) {
        s->wake.wait(lock, [&] { return s->stop || s->generation != seen; });
        if (s->stop) return;
        seen = s->generation;
        if (!s->job) continue;  // woke after the job had already finished
        const auto* job = s->job;
        int tasks = s->tasks;
        ++s->running;
        lock.unlock();
        ufuncs::fp::Status& fp = ufuncs::fp::current();
        fp = ufuncs::fp::Status{};
        ufuncs::fp::take_hardware_flags();
        drain(s, *job, tasks);
        // Flags no kernel collected (eager loops, reductions): charged to whoever reports.
        fp.note(ufuncs::fp::take_hardware_flags(), ufuncs::fp::kSourceUnknown);
        lock.lock();
        s->fp.merge(fp);
        if (--s->running == 0) s->finished.notify_all();
      }
    });
  }
}

void ThreadPool::parallel_for(int tasks, const std::function<void(int)>& fn) {
  if (tasks <= 0) return;
  State* s = state_;
  if (tasks == 1 || s->workers.empty() || t_job_failed != nullptr) {
    // Inline: the first exception ends the loop and goes straight to the caller.
    for (int t = 0; t < tasks && !stop_requested(); ++t) fn(t);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->job = &fn;
    s->tasks = tasks;
    s->next.store(0);
    s->error = nullptr;
    s->failed.store(false);
    ++s->generation;
  }
  s->wake.notify_all();
  drain(s, fn, tasks);
  std::unique_lock<std::mutex> lock(s->mutex);
  // Workers that woke late find no tasks left; wait for those still inside the job.
  s->finished.wait(lock, [&] { return s->running == 0; });
  s->job = nullptr;
  ufuncs::fp::current().merge(std::exchange(s->fp, ufuncs::fp::Status{}));
  if (std::exception_ptr error = std::exchange(s->error, nullptr)) {
    s->failed.store(false);
    lock.unlock();
    std::rethrow_exception(error);
  }
}

}  // namespace numfuse::jit
