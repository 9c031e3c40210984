// Floating-point error status: NumPy's divide/overflow/underflow/invalid flags, collected from the
// kernels of one evaluation and handed to a reporter (the Python layer: np.geterr() modes).
//
// Who raises what: after every kernel call the evaluator calls collect(op): the IEEE hardware
// flags, if any, are attributed to that op (when the op's kernels raise exactly NumPy's flags,
// fp_trusts_hardware in op_defs.hpp) and cleared. Ops whose kernels cannot raise NumPy's flags
// in hardware (integer division by zero, xsimd transcendentals with internal overflow tricks)
// compute them from their inputs instead (an fp_rule next to the op's definition) and note()
// them from inside the kernel. Worker threads hand their status to the thread that ran the job
// (jit's thread pool), so a status never depends on the thread count.
// An Evaluation scope on the calling thread starts clean and, outermost only, reports.
#pragma once

#include <cfenv>
#include <cstdint>
#include <utility>
#if defined(__x86_64__) || defined(__SSE__)
#include <xmmintrin.h>
#define NUMFUSE_FP_MXCSR 1
#endif

namespace numfuse::ufuncs::fp {

// NumPy's bits (NPY_FPE_DIVIDEBYZERO, _OVERFLOW, _UNDERFLOW, _INVALID) and its report order.
enum : int { kDivide = 1, kOverflow = 2, kUnderflow = 4, kInvalid = 8 };
inline constexpr int kNumFlags = 4;

// Who raised a flag: an OpId (>= 0) or one of these.
enum : int16_t { kSourceUnknown = -1, kSourceCast = -2, kSourceReduce = -3 };

// The flags of one evaluation by source, in the order the sources first raised something (NumPy
// reports op by op: log's divide by zero, then sqrt's invalid value, ...).
struct Status {
  struct Entry {
    int16_t source;
    uint8_t flags;
  };
  static constexpr int kMaxEntries = 8;  // beyond: charged to the last source
  int flags = 0;                          // all entries' flags together
  int count = 0;
  Entry entries[kMaxEntries] = {};

  void note(int f, int16_t src) {
    if (!f) return;
    flags |= f;
    for (int i = 0; i < count; ++i) {
      if (entries[i].source == src) {
        entries[i].flags = static_cast<uint8_t>(entries[i].flags | f);
        return;
      }
    }
    if (count == kMaxEntries) {
      entries[count - 1].flags = static_cast<uint8_t>(entries[count - 1].flags | f);
      return;
    }
    entries[count++] = {src, static_cast<uint8_t>(f)};
  }
  void merge(const Status& other) {
    for (int i = 0; i < other.count; ++i) note(other.entries[i].flags, other.entries[i].source);
  }
};

// This thread's status since its outermost Evaluation began.
inline Status& current() {
  thread_local Status status;
  return status;
}

#ifdef NUMFUSE_FP_MXCSR
// MXCSR: IE=0x01, ZE=0x04, OE=0x08, UE=0x10 (DE/PE, denormal and inexact, NumPy ignores).
inline constexpr unsigned kMxcsrFlags = 0x1D;
inline int from_mxcsr(unsigned c) {
  return ((c >> 2) & 1) * kDivide | ((c >> 3) & 1) * kOverflow | ((c >> 4) & 1) * kUnderflow |
         (c & 1) * kInvalid;
}
#endif

// Clears every floating-point exception flag, SSE and x87. glibc's feclearexcept saves and
// reloads the whole x87 environment (~50 ns, a few percent of a small group's evaluation); fnclex
// and one MXCSR write clear the same flags.
inline void clear_hardware_flags() {
#ifdef NUMFUSE_FP_MXCSR
  __asm__ volatile("fnclex");
  _mm_setcsr(_mm_getcsr() & ~0x3Fu);  // IE DE ZE OE UE PE: FE_ALL_EXCEPT's SSE bits
#else
  std::feclearexcept(FE_ALL_EXCEPT);
#endif
}

// The hardware flags (SSE; x87 too at scope boundaries), then clears them.
inline int take_hardware_flags() {
  const int x = std::fetestexcept(FE_DIVBYZERO | FE_OVERFLOW | FE_UNDERFLOW | FE_INVALID);
  clear_hardware_flags();
  return ((x & FE_DIVBYZERO) ? kDivide : 0) | ((x & FE_OVERFLOW) ? kOverflow : 0) |
         ((x & FE_UNDERFLOW) ? kUnderflow : 0) | ((x & FE_INVALID) ? kInvalid : 0);
}

// After one kernel call: the flags it raised in hardware, attributed to `source` if `trusted`,
// then cleared. One MXCSR read when nothing was raised (the hot path).
inline void collect(int16_t source, bool trusted) {
#ifdef NUMFUSE_FP_MXCSR
  const unsigned c = _mm_getcsr();
  if (c & kMxcsrFlags) [[unlikely]] {
    if (trusted) current().note(from_mxcsr(c), source);
    _mm_setcsr(c & ~kMxcsrFlags);
  }
#else
  const int f = take_hardware_flags();
  if (f && trusted) current().note(f, source);
#endif
}

// Whether any flag is up in hardware (one MXCSR read): a cheap check before collecting op by op.
inline bool hardware_raised() {
#ifdef NUMFUSE_FP_MXCSR
  return (_mm_getcsr() & kMxcsrFlags) != 0;
#else
  return std::fetestexcept(FE_DIVBYZERO | FE_OVERFLOW | FE_UNDERFLOW | FE_INVALID) != 0;
#endif
}

// Flags of a kernel with an fp_rule: its own hardware flags are not NumPy's, so they are
// dropped (by the caller's collect, untrusted) and the rule's noted instead.
inline void note(int flags, int16_t source) {
  if (flags) [[unlikely]] current().note(flags, source);
}

// Receives a non-empty status at the end of an outermost evaluation; may throw (mode 'raise').
// Returns false when it cannot report on this thread (no Python thread state holding the GIL):
// those flags are dropped, as nobody could be warned.
using Reporter = bool (*)(const Status& status, const char* default_source);
inline Reporter& reporter() {
  static Reporter r = nullptr;
  return r;
}

inline int& evaluation_depth() {
  thread_local int depth = 0;
  return depth;
}

// Brackets one evaluation (an eager kernel call, a lazy group run, a forced node). The outermost
// scope on a thread clears the hardware flags and this thread's status at its start; report()
// (on the normal path only: an exception already says what went wrong) hands what was collected
// to the reporter, naming `default_source` where no op is known.
class Evaluation {
 public:
  Evaluation() : outermost_(evaluation_depth()++ == 0) {
    if (outermost_) {
      clear_hardware_flags();
      current() = Status{};
    }
  }
  ~Evaluation() { --evaluation_depth(); }
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;

  void report(const char* default_source, int16_t leftover_source = kSourceUnknown) {
    if (!outermost_) return;
    // Flags raised outside any kernel's collect (eager loops of reductions) belong to the scope.
    const int rest = take_hardware_flags();
    if (rest) current().note(rest, leftover_source);
    if (current().flags == 0) return;
    --evaluation_depth();  // the reporter may evaluate (a callback reading arrays): its own scope
    const Status s = std::exchange(current(), Status{});
    try {
      if (reporter() != nullptr) reporter()(s, default_source);
    } catch (...) {
      ++evaluation_depth();
      throw;
    }
    ++evaluation_depth();
  }

 private:
  bool outermost_;
};

}  // namespace numfuse::ufuncs::fp
