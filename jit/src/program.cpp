#include "numfuse/jit/program.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "numfuse/core/error.hpp"
#include "numfuse/jit/interpreter.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit {

namespace {

// Assigns physical block buffers to temp slots: a buffer is reused once its last reader has run.
int allocate_temps(Program& p) {
  const int nslots = static_cast<int>(p.slots.size());
  std::vector<int> last_use(nslots, -1);
  for (int i = 0; i < static_cast<int>(p.code.size()); ++i) {
    for (int k = 0; k < p.code[i].nin; ++k) last_use[p.code[i].in[k]] = i;
  }
  std::vector<int> free_buffers;
  int count = 0;
  for (int i = 0; i < static_cast<int>(p.code.size()); ++i) {
    Slot& out = p.slots[p.code[i].out];
    if (out.place == Slot::Place::Temp) {
      if (free_buffers.empty()) {
        out.index = count++;
      } else {
        out.index = free_buffers.back();
        free_buffers.pop_back();
      }
    }
    // Release inputs after the output is placed: an op never writes over its own inputs.
    for (int k = 0; k < p.code[i].nin; ++k) {
      int s = p.code[i].in[k];
      bool released_earlier = false;
      for (int j = 0; j < k; ++j) released_earlier = released_earlier || p.code[i].in[j] == s;
      if (last_use[s] == i && !released_earlier && p.slots[s].place == Slot::Place::Temp) {
        free_buffers.push_back(p.slots[s].index);
      }
    }
  }
  return count;
}

}  // namespace

std::shared_ptr<const Program> build_program(const FusedKernel& k) {
  auto p = std::make_shared<Program>();
  p->num_outputs = static_cast<int>(k.outputs.size());
  for (size_t i = 0; i < k.leaves.size(); ++i) {
    p->slots.push_back({Slot::Place::Leaf, static_cast<int>(i), k.leaves[i].dtype});
  }
  std::vector<int> op_slot(k.ops.size());
  std::map<std::pair<int, DType>, int> cast_slots;
  auto new_slot = [&](Slot s) {
    p->slots.push_back(s);
    return static_cast<int>(p->slots.size()) - 1;
  };
  auto convert = [&](int from, DType to, Slot out) {
    Instruction ins;
    ins.cast = cast_function(p->slots[from].dtype, to);
    ins.dtype = p->slots[from].dtype;
    ins.nin = 1;
    ins.in[0] = from;
    ins.out = new_slot(out);
    p->code.push_back(ins);
    return ins.out;
  };
  auto slot_as = [&](int slot, DType want) {
    if (p->slots[slot].dtype == want) return slot;
    auto key = std::make_pair(slot, want);
    if (auto it = cast_slots.find(key); it != cast_slots.end()) return it->second;
    const int out = convert(slot, want, {Slot::Place::Temp, -1, want});
    cast_slots.emplace(key, out);
    return out;
  };
  auto output_of = [&](size_t op) {
    for (size_t o = 0; o < k.outputs.size(); ++o) {
      if (k.outputs[o].op == static_cast<int>(op)) return static_cast<int>(o);
    }
    return -1;
  };
  auto operand_slot = [&](int code) { return code >= 0 ? code : op_slot[-1 - code]; };

  for (size_t i = 0; i < k.ops.size(); ++i) {
    const FusedKernel::Op& op = k.ops[i];
    const int out = output_of(i);
    const DType stored = out >= 0 ? k.outputs[out].dtype : op.dtype;
    if (op.is_cast()) {
      const int from = operand_slot(op.in[0]);
      if (out < 0) {
        op_slot[i] = slot_as(from, op.dtype);
        continue;
      }
      const int store = convert(from, stored, {Slot::Place::Output, out, stored});  // straight into the output
      op_slot[i] = stored == op.dtype ? store : slot_as(from, op.dtype);
      continue;
    }
    Instruction ins;
    ins.kernel = ufuncs::find_kernel(op.op, op.loop_dtype);
    if (!ins.kernel) throw_type_error("no kernel for a fused op");  // resolve_dtypes checked this
    ins.op = op.op;
    ins.dtype = op.loop_dtype;
    ins.fp_source = static_cast<int16_t>(op.op);
    ins.fp_trusted = ufuncs::fp_trusts_hardware(op.op);
    ins.fp_rule = ufuncs::find_fp_rule(op.op, op.loop_dtype);
    ins.nin = op.nin;
    for (int j = 0; j < ins.nin; ++j) ins.in[j] = slot_as(operand_slot(op.in[j]), op.in_types[j]);
    ins.out = new_slot({out >= 0 && stored == op.dtype ? Slot::Place::Output : Slot::Place::Temp,
                        out >= 0 && stored == op.dtype ? out : -1, op.dtype});
    op_slot[i] = ins.out;
    p->code.push_back(ins);
    if (out >= 0 && stored != op.dtype) {
      convert(ins.out, stored, {Slot::Place::Output, out, stored});  // out= with another dtype
    }
  }
  if (k.sink_op >= 0) p->sink = slot_as(op_slot[k.sink_op], k.sink_dtype);
  p->num_temps = allocate_temps(*p);  // the sink is never read by code, so never reused
  return p;
}

std::shared_ptr<KernelEntry> lookup_kernel(const FusedKernel& kernel) {
  static std::mutex mutex;
  static std::unordered_map<FusedKernel, std::shared_ptr<KernelEntry>, FusedKernelHash> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(kernel); it != cache.end()) {
      ++detail::mutable_stats().cache_hits;
      return it->second;
    }
  }
  auto start = std::chrono::steady_clock::now();
  auto entry = std::make_shared<KernelEntry>();
  entry->kernel = kernel;
  entry->program = build_program(kernel);
  entry->interpreter = make_interpreter(entry->program);
  auto& st = detail::mutable_stats();
  ++st.cache_misses;
  st.build_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  static const bool dump = [] {
    const char* v = std::getenv("NUMFUSE_DUMP");
    return v && *v && std::string(v) != "0";
  }();
  if (dump) std::fprintf(stderr, "%s", kernel.dump().c_str());
  std::lock_guard<std::mutex> lock(mutex);
  return cache.emplace(kernel, std::move(entry)).first->second;
}

}  // namespace numfuse::jit
