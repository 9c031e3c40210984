// Counters of the native tier, updated from the compiler thread and the group runners.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace numfuse::jit::native {

struct Counters {
  std::atomic<uint64_t> compiles{0};
  std::atomic<uint64_t> compile_nanoseconds{0};
  std::atomic<uint64_t> runs{0};
  std::atomic<uint64_t> disk_hits{0};
  std::atomic<uint64_t> summing{0};  // kernels built with a summing entry

  void add_compile(double seconds) {
    compiles.fetch_add(1);
    compile_nanoseconds.fetch_add(static_cast<uint64_t>(seconds * 1e9));
    std::lock_guard<std::mutex> lock(mutex_);
    times_.push_back(seconds);
  }
  std::vector<double> compile_times() {
    std::lock_guard<std::mutex> lock(mutex_);
    return times_;
  }

 private:
  std::mutex mutex_;
  std::vector<double> times_;
};

inline Counters& counters() {
  static Counters* c = new Counters;  // never destroyed: the compiler thread may outlive statics
  return *c;
}

}  // namespace numfuse::jit::native
