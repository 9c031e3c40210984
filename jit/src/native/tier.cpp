// The tier policy (native.hpp) and the background compiler thread.
#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>

#include "backend.hpp"
#include "numfuse/jit/native.hpp"
#include "stats.hpp"

namespace numfuse::jit {

namespace {

JitMode mode_from_environment() {
  const char* v = std::getenv("NUMFUSE_JIT");
  const std::string_view s = v ? v : "";
  if (s == "interp") return JitMode::Interp;
  if (s == "native") return JitMode::Native;
  return JitMode::Auto;
}

std::atomic<JitMode>& mode() {
  static std::atomic<JitMode> m{mode_from_environment()};
  return m;
}

// A child forked while the compiler thread held LLVM's locks could never take them: children
// keep the native code already linked and compile nothing more.
std::atomic<bool> compiling_allowed{true};
[[maybe_unused]] const int fork_guard = pthread_atfork(nullptr, nullptr, [] { compiling_allowed = false; });

// Compiles native code for one entry and publishes it in the entry's slot. The code objects are
// never freed: a running group may hold one, and a process compiles a bounded number of kernels.
void compile_into(KernelEntry& entry) {
  std::unique_ptr<CompiledKernel> code = native::build(entry);
  if (code) entry.native.store(code.release(), std::memory_order_release);
}

// One background thread compiles queued entries, oldest first. Its state is never destroyed
// (a process may exit while it compiles); an exit handler waits for the compilation in progress
// so that LLVM's static objects outlive it.
class BackgroundCompiler {
 public:
  static BackgroundCompiler& instance() {
    static BackgroundCompiler* compiler = new BackgroundCompiler;
    return *compiler;
  }

  void submit(std::shared_ptr<KernelEntry> entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (!started_) {
      started_ = true;
      std::atexit([] { instance().stop(); });
      std::thread([this] { work(); }).detach();
    }
    queue_.push_back(std::move(entry));
    wake_.notify_all();
  }

  void wait_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
  }

 private:
  void stop() {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
    wake_.notify_all();
    idle_.wait(lock, [this] { return !busy_; });
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      std::shared_ptr<KernelEntry> entry = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      try {
        compile_into(*entry);
      } catch (...) {  // a kernel that fails to compile stays on tier 1
      }
      lock.lock();
      busy_ = false;
      idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::shared_ptr<KernelEntry>> queue_;
  bool started_ = false, busy_ = false, stopping_ = false;
};

}  // namespace

JitMode jit_mode() { return mode().load(std::memory_order_relaxed); }

JitMode set_jit_mode(JitMode m) { return mode().exchange(m); }

bool native_available() { return native::available(); }

const CompiledKernel& select_tier(const std::shared_ptr<KernelEntry>& shared, int64_t elements, bool rerunnable) {
  KernelEntry& entry = *shared;
  const uint64_t runs = entry.runs.fetch_add(1, std::memory_order_relaxed) + 1;
  const JitMode m = jit_mode();
  if (m == JitMode::Interp || !rerunnable) return *entry.interpreter;
  const CompiledKernel* native = entry.native.load(std::memory_order_acquire);
  if (!native && !entry.native_requested.load(std::memory_order_relaxed) &&
      compiling_allowed.load(std::memory_order_relaxed)) {
    if (m == JitMode::Native) {
      if (!entry.native_requested.exchange(true)) {
        try {
          compile_into(entry);
        } catch (...) {  // stays on tier 1
        }
        native = entry.native.load(std::memory_order_acquire);
      }
    } else if (runs >= kNativeAfterRuns || elements >= kNativeLargeElements) {
      if (!entry.native_requested.exchange(true) && native::available()) {
        BackgroundCompiler::instance().submit(shared);
      }
    }
  }
  if (!native) return *entry.interpreter;
  native::counters().runs.fetch_add(1, std::memory_order_relaxed);
  return *native;
}

void wait_for_native_compiles() { BackgroundCompiler::instance().wait_idle(); }

NativeStats native_stats() {
  const auto& c = native::counters();
  NativeStats s;
  s.native_compiles = c.compiles.load();
  s.native_compile_seconds = c.compile_nanoseconds.load() * 1e-9;
  s.native_runs = c.runs.load();
  s.disk_cache_hits = c.disk_hits.load();
  s.native_summing_kernels = c.summing.load();
  return s;
}

void reset_native_stats() {
  auto& c = native::counters();
  c.compiles = 0;
  c.compile_nanoseconds = 0;
  c.runs = 0;
  c.disk_hits = 0;
  c.summing = 0;
}

std::vector<double> native_compile_times() { return native::counters().compile_times(); }

}  // namespace numfuse::jit
