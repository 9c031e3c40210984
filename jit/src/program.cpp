#include "numfuse/jit/program.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <unordered_map>

#include "numfuse/core/error.hpp"
#include "numfuse/jit/scheduler.hpp"
#include "stats_internal.hpp"

namespace numfuse::jit {

namespace {

DType output_dtype(const Node* n) { return n->destination ? n->destination->dtype() : n->dtype; }

int output_index(const Group& g, const Node* n) {
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    if (g.outputs[o] == n) return static_cast<int>(o);
  }
  return -1;
}

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

std::string signature(const Group& g, const std::vector<LayoutClass>& leaf_layouts,
                      const std::vector<LayoutClass>& output_layouts, int rank) {
  // A compact byte string: one byte per dtype/layout/small field, two per op id and operand.
  // Built for every group run, so it avoids number formatting.
  std::string s;
  s.reserve(8 + 3 * g.leaves.size() + 12 * g.nodes.size() + 4 * g.outputs.size());
  auto put16 = [&s](int v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>((v >> 8) & 0xff));
  };
  s.push_back(static_cast<char>(rank));
  put16(static_cast<int>(g.leaves.size()));
  for (size_t i = 0; i < g.leaves.size(); ++i) {
    s.push_back(static_cast<char>(leaf_dtype(g.leaves[i])));
    s.push_back(static_cast<char>(leaf_layouts[i]));
  }
  put16(static_cast<int>(g.nodes.size()));
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node* n = g.nodes[i];
    put16(static_cast<int>(n->op));
    s.push_back(static_cast<char>(n->kind));
    s.push_back(static_cast<char>(n->loop_dtype));
    s.push_back(static_cast<char>(n->dtype));
    s.push_back(static_cast<char>(g.operands[i].size()));
    for (size_t k = 0; k < g.operands[i].size(); ++k) {
      put16(g.operands[i][k]);
      s.push_back(static_cast<char>(n->input_types[k]));
    }
  }
  put16(static_cast<int>(g.outputs.size()));
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const Node* n = g.outputs[o];
    int pos = -1;
    for (size_t i = 0; i < g.nodes.size(); ++i) if (g.nodes[i] == n) pos = static_cast<int>(i);
    put16(pos);
    s.push_back(static_cast<char>(output_dtype(n)));
    s.push_back(static_cast<char>(output_layouts[o]));
  }
  return s;
}

std::shared_ptr<const Program> build_program(const Group& g, const SinkSpec& sink) {
  auto p = std::make_shared<Program>();
  for (size_t i = 0; i < g.leaves.size(); ++i) {
    p->slots.push_back({Slot::Place::Leaf, static_cast<int>(i), leaf_dtype(g.leaves[i])});
  }
  std::vector<int> node_slot(g.nodes.size());
  std::map<std::pair<int, DType>, int> cast_slots;
  auto new_slot = [&](Slot s) {
    p->slots.push_back(s);
    return static_cast<int>(p->slots.size()) - 1;
  };
  auto slot_as = [&](int slot, DType want) {
    if (p->slots[slot].dtype == want) return slot;
    auto key = std::make_pair(slot, want);
    if (auto it = cast_slots.find(key); it != cast_slots.end()) return it->second;
    Instruction ins;
    ins.cast = cast_function(p->slots[slot].dtype, want);
    ins.nin = 1;
    ins.in[0] = slot;
    ins.out = new_slot({Slot::Place::Temp, -1, want});
    p->code.push_back(ins);
    cast_slots.emplace(key, ins.out);
    return ins.out;
  };

  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node* n = g.nodes[i];
    const int out = output_index(g, n);
    if (n->kind == NodeKind::Cast) {
      const int code = g.operands[i][0];
      const int from = code >= 0 ? code : node_slot[-1 - code];
      if (out < 0) {
        node_slot[i] = slot_as(from, n->dtype);
        continue;
      }
      Instruction store;  // convert straight into the output
      store.cast = cast_function(p->slots[from].dtype, output_dtype(n));
      store.nin = 1;
      store.in[0] = from;
      store.out = new_slot({Slot::Place::Output, out, output_dtype(n)});
      p->code.push_back(store);
      node_slot[i] = output_dtype(n) == n->dtype ? store.out : slot_as(from, n->dtype);
      continue;
    }
    Instruction ins;
    ins.kernel = ufuncs::find_kernel(n->op, n->loop_dtype);
    if (!ins.kernel) throw_type_error("no kernel for a fused op");  // resolve_dtypes checked this
    ins.fp_source = static_cast<int16_t>(n->op);
    ins.fp_trusted = ufuncs::fp_trusts_hardware(n->op);
    ins.fp_rule = ufuncs::find_fp_rule(n->op, n->loop_dtype);
    ins.nin = static_cast<int>(g.operands[i].size());
    for (int k = 0; k < ins.nin; ++k) {
      int code = g.operands[i][k];
      int slot = code >= 0 ? code : node_slot[-1 - code];
      ins.in[k] = slot_as(slot, n->input_types[k]);
    }
    if (out >= 0 && output_dtype(n) == n->dtype) {
      ins.out = new_slot({Slot::Place::Output, out, n->dtype});
    } else {
      ins.out = new_slot({Slot::Place::Temp, -1, n->dtype});
    }
    node_slot[i] = ins.out;
    p->code.push_back(ins);
    if (out >= 0 && output_dtype(n) != n->dtype) {
      Instruction store;  // out= with another dtype: convert on the way out
      store.cast = cast_function(n->dtype, output_dtype(n));
      store.nin = 1;
      store.in[0] = ins.out;
      store.out = new_slot({Slot::Place::Output, out, output_dtype(n)});
      p->code.push_back(store);
    }
  }
  if (sink.node) {
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i] == sink.node) p->sink = slot_as(node_slot[i], sink.dtype);
    }
  }
  p->num_temps = allocate_temps(*p);  // the sink is never read by code, so never reused
  return p;
}

std::shared_ptr<const Program> cached_program(const Group& g, const std::string& sig,
                                              const SinkSpec& sink) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const Program>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(sig); it != cache.end()) {
      ++detail::mutable_stats().cache_hits;
      return it->second;
    }
  }
  auto start = std::chrono::steady_clock::now();
  auto program = build_program(g, sink);
  auto& st = detail::mutable_stats();
  ++st.cache_misses;
  st.build_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(sig, program);
  return program;
}

}  // namespace numfuse::jit
