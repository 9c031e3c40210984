#include "numfuse/jit/interpreter.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <numeric>

#include "numfuse/jit/thread_pool.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::jit {

IterationSpace collapse(const Shape& shape, const std::vector<Array>& operands) {
  const size_t nops = operands.size();
  const int nd = static_cast<int>(shape.size());
  // Axis order: by the first operand's (an output's) strides, largest outermost, so that writes
  // run sequentially whatever the output's memory order.
  std::vector<int> axes;
  for (int i = 0; i < nd; ++i) if (shape[i] != 1) axes.push_back(i);
  const Strides& key = operands[0].strides();
  std::stable_sort(axes.begin(), axes.end(),
                   [&](int a, int b) { return std::abs(key[a]) > std::abs(key[b]); });
  IterationSpace s;
  s.strides.resize(nops);
  // storage(), not data(): output buffers are still marked pending (we are producing them now);
  // leaves were forced by the scheduler.
  for (size_t k = 0; k < nops; ++k) s.base.push_back(operands[k].buffer()->storage() + operands[k].offset());
  for (int ax : axes) {
    if (!s.shape.empty()) {
      bool mergeable = true;
      for (size_t k = 0; k < nops && mergeable; ++k) {
        mergeable = s.strides[k].back() == operands[k].strides()[ax] * shape[ax];
      }
      if (mergeable) {
        s.shape.back() *= shape[ax];
        for (size_t k = 0; k < nops; ++k) s.strides[k].back() = operands[k].strides()[ax];
        continue;
      }
    }
    s.shape.push_back(shape[ax]);
    for (size_t k = 0; k < nops; ++k) s.strides[k].push_back(operands[k].strides()[ax]);
  }
  if (s.shape.empty()) {
    s.shape.push_back(1);
    for (auto& st : s.strides) st.push_back(0);
  }
  return s;
}

LayoutClass layout_class(const IterationSpace& space, size_t operand, int itemsize) {
  int64_t inner = space.strides[operand].back();
  if (inner == 0) return LayoutClass::Scalar;
  return inner == itemsize ? LayoutClass::Contiguous : LayoutClass::Strided;
}

namespace {

struct alignas(64) BlockBuffer {
  std::byte bytes[kBlockElements * 16];  // room for one block of the widest dtype
};

// Runs the program on one block of m elements: ptr[k]/stride[k] locate operand k's block.
// Floating-point flags: with `rerunnable` (no output overlaps a leaf, so running the block again
// gives the same values) one flag check per block; in the rare block that raised any, the flags
// are cleared and the block runs again collecting them op by op (ufuncs/fp_status.hpp).
// Otherwise (an in-place update) they are collected after every instruction.
class Interpreter final : public CompiledKernel {
 public:
  explicit Interpreter(std::shared_ptr<const Program> program) : program_(std::move(program)) {}

  SinkValues run_block(const std::byte* const* ptr, const int64_t* stride, int64_t m,
                       bool rerunnable) const override {
    const Program& p = *program_;
    // Block buffers are reused across calls: allocating them per group costs more than a small
    // group's whole computation.
    thread_local std::vector<BlockBuffer> temp_storage;
    if (static_cast<int>(temp_storage.size()) < p.num_temps) temp_storage.resize(p.num_temps);
    BlockBuffer* temps = temp_storage.data();
    auto locate = [&](int slot, std::byte*& at, int64_t& step) {
      const Slot& s = p.slots[slot];
      switch (s.place) {
        case Slot::Place::Leaf: {
          size_t k = static_cast<size_t>(p.num_outputs + s.index);
          at = const_cast<std::byte*>(ptr[k]);
          step = stride[k];
          return;
        }
        case Slot::Place::Output:
          at = const_cast<std::byte*>(ptr[s.index]);
          step = stride[s.index];
          return;
        case Slot::Place::Temp:
          at = temps[s.index].bytes;
          step = itemsize(s.dtype);
          return;
      }
    };
    auto run_code = [&](bool collect_each) {
      for (const Instruction& ins : p.code) {
        const std::byte* in[3];
        int64_t in_stride[3];
        for (int k = 0; k < ins.nin; ++k) {
          std::byte* at = nullptr;
          locate(ins.in[k], at, in_stride[k]);
          in[k] = at;
        }
        std::byte* out = nullptr;
        int64_t out_stride = 0;
        locate(ins.out, out, out_stride);
        if (ins.kernel) {
          if (ins.fp_rule) ins.fp_rule(in, in_stride, m);
          ins.kernel(in, in_stride, out, out_stride, m);
        } else {
          ins.cast(in[0], in_stride[0], out, out_stride, m);
        }
        if (collect_each) ufuncs::fp::collect(ins.fp_source, ins.fp_trusted);
      }
    };
    if (!rerunnable) {
      run_code(true);
    } else {
      run_code(false);
      if (ufuncs::fp::hardware_raised()) [[unlikely]] {
        ufuncs::fp::take_hardware_flags();
        run_code(true);
      }
    }
    SinkValues sink;
    if (p.sink >= 0) {
      std::byte* at = nullptr;
      locate(p.sink, at, sink.stride);
      sink.values = at;
    }
    return sink;
  }

 private:
  std::shared_ptr<const Program> program_;
};

// Folds block partials pairwise: a stack of states where each level holds twice the blocks of
// the one above it, merged as a binary counter. Earlier blocks stay below later ones, so every
// combine() gets its operands in order.
class Cascade {
 public:
  explicit Cascade(const reduction::ReduceLoop& loop)
      : loop_(loop), storage_(static_cast<size_t>(kMaxLevels + 1) * loop.state_size) {}

  // Whether blocks may come as their sums (SinkValues::summed).
  bool takes_block_sums() const { return loop_.add_block_sum != nullptr; }

  void add_block(const SinkValues& sink, int64_t m) {
    // The new block's state is built in the slot above the stack, then merged downwards while
    // the level below holds as many blocks as it does. No allocation per block.
    std::byte* fresh = slot(count_);
    loop_.init(fresh);
    if (sink.summed) loop_.add_block_sum(fresh, sink.values, m);
    else loop_.accumulate(fresh, sink.values, sink.stride, m);
    int level = 0;
    while (count_ > 0 && levels_[count_ - 1] == level) {
      loop_.combine(slot(count_ - 1), fresh);
      fresh = slot(--count_);
      ++level;
    }
    levels_[count_++] = level;
  }

  std::vector<std::byte> finish() {
    std::vector<std::byte> total(static_cast<size_t>(loop_.state_size));
    loop_.init(total.data());
    for (int i = 0; i < count_; ++i) loop_.combine(total.data(), slot(i));
    return total;
  }

 private:
  static constexpr int kMaxLevels = 62;  // 2^62 blocks: more than any array has
  std::byte* slot(int i) { return storage_.data() + static_cast<size_t>(i) * loop_.state_size; }

  const reduction::ReduceLoop& loop_;
  std::vector<std::byte> storage_;
  int levels_[kMaxLevels + 1] = {};
  int count_ = 0;
};

// Walks the elements [begin, end) of the flattened iteration space (C order over the collapsed
// shape), in blocks that never cross an innermost run.
void run_range(const CompiledKernel& kernel, const IterationSpace& s, int64_t begin, int64_t end,
               Cascade* cascade, const ReductionSink* rows, bool fold_fp_trusted, bool rerunnable) {
  const size_t nops = s.base.size();
  const int nd = static_cast<int>(s.shape.size());
  const int64_t inner = s.shape[nd - 1];
  // Per-call scratch on the stack (small vectors): this runs for every group, however small.
  SmallVector<int64_t, 8> index(nd, 0);
  int64_t rest = begin / inner;
  for (int d = nd - 2; d >= 0; --d) {
    index[d] = rest % s.shape[d];
    rest /= s.shape[d];
  }
  SmallVector<std::byte*, 8> row(nops);
  SmallVector<const std::byte*, 8> ptr(nops);
  SmallVector<int64_t, 8> step(nops);
  for (size_t k = 0; k < nops; ++k) step[k] = s.strides[k][nd - 1];
  int64_t pos = begin;
  int64_t offset_in_run = begin % inner;
  const std::atomic<bool>& stop = ThreadPool::stop_flag();
  const bool block_sums = cascade && cascade->takes_block_sums();
  while (pos < end) {
    for (size_t k = 0; k < nops; ++k) {
      std::byte* b = s.base[k];
      for (int d = 0; d < nd - 1; ++d) b += index[d] * s.strides[k][d];
      row[k] = b;
    }
    const int64_t run_end = std::min(inner, offset_in_run + (end - pos));
    for (int64_t i = offset_in_run; i < run_end; i += kBlockElements) {
      // Another range's kernel threw: the group's result is discarded, so stop here.
      if (stop.load(std::memory_order_relaxed)) return;
      const int64_t m = std::min(kBlockElements, run_end - i);
      for (size_t k = 0; k < nops; ++k) ptr[k] = row[k] + i * step[k];
      const SinkValues sink = block_sums && m == kBlockElements
                                  ? kernel.run_full_block_summing(ptr.data(), step.data(), rerunnable)
                                  : kernel.run_block(ptr.data(), step.data(), m, rerunnable);
      if (cascade || rows) {
        const std::byte* values = sink.values;
        const int64_t value_step = sink.stride;
        if (cascade) {
          cascade->add_block(sink, m);
        } else {
          // One state for the whole block when the inner axis is reduced, else a row of states.
          std::byte* state = const_cast<std::byte*>(ptr[rows->state_operand]);
          const int64_t state_step = step[rows->state_operand];
          if (state_step == 0) {
            rows->loop->accumulate(state, values, value_step, m);
          } else {
            rows->loop->accumulate_rows(state, state_step, values, value_step, m);
          }
        }
        ufuncs::fp::collect(ufuncs::fp::kSourceReduce, fold_fp_trusted);
      }
    }
    pos += run_end - offset_in_run;
    offset_in_run = 0;
    for (int d = nd - 2; d >= 0; --d) {
      if (++index[d] < s.shape[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

int64_t last_level_cache_bytes() {
  static const int64_t bytes = [] {
    long llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (llc <= 0) llc = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return llc > 0 ? static_cast<int64_t>(llc) : int64_t{32} << 20;
  }();
  return bytes;
}

SinkValues CompiledKernel::run_full_block_summing(const std::byte* const* ptr, const int64_t* stride,
                                                  bool rerunnable) const {
  return run_block(ptr, stride, kBlockElements, rerunnable);
}

std::unique_ptr<CompiledKernel> make_interpreter(std::shared_ptr<const Program> program) {
  return std::make_unique<Interpreter>(std::move(program));
}

void run_program(const CompiledKernel& kernel, const IterationSpace& s, int threads, ReductionSink* sink,
                 bool rerunnable) {
  const int64_t total = std::accumulate(s.shape.begin(), s.shape.end(), int64_t{1}, std::multiplies<>());
  if (total == 0) return;
  int tasks = 1;
  if (threads > 1 && total >= kMinParallelElements) tasks = threads;
  // Large groups: ufuncs::kTasksPerThread ranges a thread, claimed as threads finish (measured
  // under a competing process: a*b+c at 10^7 17.8 -> 14.4 ms, medians of 6 alternating runs).
  if (tasks > 1 && total >= kMinParallelElements * threads * ufuncs::kTasksPerThread) {
    tasks = threads * ufuncs::kTasksPerThread;
  }
  if (sink) {
    tasks = std::min(tasks, sink->max_tasks);
    sink->tasks_used = tasks;
  }
  if (sink && sink->state_operand < 0) sink->partials.assign(tasks, {});
  auto run_task = [&](int t, int64_t lo, int64_t hi) {
    if (!sink) {
      run_range(kernel, s, lo, hi, nullptr, nullptr, true, rerunnable);
      return;
    }
    if (sink->state_operand >= 0) {
      IterationSpace local = s;  // this range's own state array
      local.base[sink->state_operand] += t * sink->state_task_stride;
      if (lo < hi) run_range(kernel, local, lo, hi, nullptr, sink, sink->fp_trusted, rerunnable);
      return;
    }
    Cascade cascade(*sink->loop);
    if (lo < hi) run_range(kernel, s, lo, hi, &cascade, nullptr, sink->fp_trusted, rerunnable);
    sink->partials[t] = cascade.finish();
  };
  if (tasks == 1) {
    run_task(0, 0, total);
    return;
  }
  // Equal contiguous ranges rounded to whole blocks: the split depends only on the size and the
  // thread count, so results are reproducible.
  int64_t chunk = (total + tasks - 1) / tasks;
  chunk = (chunk + kBlockElements - 1) / kBlockElements * kBlockElements;
  ThreadPool::instance().parallel_for(tasks, [&](int t) {
    int64_t lo = std::min(total, t * chunk);
    int64_t hi = std::min(total, lo + chunk);
    if (lo < hi || sink) run_task(t, lo, hi);
  });
}

}  // namespace numfuse::jit
