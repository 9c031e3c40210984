// The native backend as numfuse sees it: loads the LLVM module (libnumfuse_native.so, beside the
// binary holding this code, or NUMFUSE_NATIVE_MODULE) on first use, turns a kernel's tier-1
// program into the module's plain description, compiles it or loads it from the disk cache, and
// wraps the entry point as a CompiledKernel.
#include <dlfcn.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "backend.hpp"
#include "disk_cache.hpp"
#include "module_abi.hpp"
#include "numfuse/jit/interpreter.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"
#include "stats.hpp"

namespace numfuse::jit::native {

namespace {

const ModuleApi* load_module() {
  std::string path;
  if (const char* env = std::getenv("NUMFUSE_NATIVE_MODULE"); env && *env) {
    path = env;
  } else {
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void*>(&load_module), &info) || !info.dli_fname) return nullptr;
    path = (std::filesystem::path(info.dli_fname).parent_path() / "libnumfuse_native.so").string();
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return nullptr;
  auto entry = reinterpret_cast<const ModuleApi* (*)()>(dlsym(handle, "numfuse_native_module"));
  const ModuleApi* api = entry ? entry() : nullptr;
  return api && api->abi_version == kModuleAbiVersion ? api : nullptr;
}

const ModuleApi* module_api() {
  static const ModuleApi* api = load_module();  // tried once; never unloaded
  return api;
}

// A kernel's program in the module's terms, and the functions its calls go through.
struct Description {
  std::vector<AbiSlot> slots;
  std::vector<AbiInstr> code;
  std::vector<void*> fns;
  bool has_rules = false;
  bool sums_blocks = false;  // the module also emits the summing entry (sums_blocks())
};

// Whether blocks can be summed in registers (the summing entry, module_abi.hpp): the fused
// reduction is a sum or mean (whose loops take block sums of float inputs of their own dtype:
// ReduceLoop::add_block_sum), the sink is float and made by a lowered instruction after the
// last call, so that the loop making it is the last one.
bool sums_blocks(const FusedKernel& kernel, const Program& p, const Description& d) {
  if (p.sink < 0) return false;
  const DType t = p.slots[p.sink].dtype;
  if (t != DType::Float64 && t != DType::Float32) return false;
  if (kernel.sink_reduction != static_cast<int>(ReductionOp::sum) &&
      kernel.sink_reduction != static_cast<int>(ReductionOp::mean)) {
    return false;
  }
  size_t producer = d.code.size();
  for (size_t i = 0; i < d.code.size(); ++i) {
    if (d.code[i].out == p.sink) producer = i;
  }
  if (producer == d.code.size()) return false;  // the sink is a leaf
  for (size_t i = producer; i < d.code.size(); ++i) {
    if (abi_is_call(d.code[i])) return false;
  }
  return true;
}

// nullopt-like: false when the kernel must stay on tier 1.
bool describe_program(const FusedKernel& kernel, const Program& p, Description& d) {
  for (const Slot& s : p.slots) {
    AbiSlot a{static_cast<uint8_t>(s.place), static_cast<uint8_t>(s.dtype), 0, s.index};
    if (s.place == Slot::Place::Leaf) {
      a.layout = static_cast<char>(kernel.leaves[s.index].layout);
      a.operand = p.num_outputs + s.index;
    } else if (s.place == Slot::Place::Output) {
      a.layout = static_cast<char>(kernel.outputs[s.index].layout);
      a.operand = s.index;
    }
    d.slots.push_back(a);
  }
  for (const Instruction& ins : p.code) {
    AbiInstr a{};
    a.dtype = static_cast<uint8_t>(ins.dtype);
    a.nin = static_cast<uint8_t>(ins.nin);
    for (int j = 0; j < ins.nin; ++j) a.in[j] = ins.in[j];
    a.out = ins.out;
    a.fn = static_cast<int32_t>(d.fns.size());
    if (ins.kernel) {
      // Integer power throws on negative exponents: no exception may unwind through JIT'd frames.
      if (ins.op == ufuncs::OpId::power && !abi_is_float(ins.dtype) && !abi_is_complex(ins.dtype)) return false;
      const ufuncs::Lowering l = ufuncs::lowering(ins.op);
      if (lowerable_op(l, ins.dtype) && !ins.fp_rule) {
        a.kind = AbiKind::LoweredOp;
        a.lowering = static_cast<uint8_t>(l);
      } else {
        a.kind = AbiKind::CallKernel;
        d.fns.push_back(reinterpret_cast<void*>(ins.kernel));
        d.fns.push_back(reinterpret_cast<void*>(ins.fp_rule));
        d.has_rules = d.has_rules || ins.fp_rule;
      }
    } else if (lowerable_cast(ins.dtype, p.slots[ins.out].dtype)) {
      a.kind = AbiKind::LoweredCast;
    } else {
      a.kind = AbiKind::CallCast;
      d.fns.push_back(reinterpret_cast<void*>(ins.cast));
    }
    d.code.push_back(a);
  }
  d.sums_blocks = sums_blocks(kernel, p, d);
  return true;
}

// Native code for one kernel. A block that raised a floating-point flag in hardware (or noted
// one through an op's rule) is rolled back and run again by tier 1, which attributes flags op by
// op: flags, warnings and their order are exactly tier 1's. Outputs never overlap leaves here
// (select_tier keeps in-place groups on tier 1), so running a block twice is harmless.
class NativeKernel final : public CompiledKernel {
 public:
  NativeKernel(NativeEntry entry, NativeSumEntry sum_entry, Description d, const CompiledKernel& tier1,
               const Program& p)
      : entry_(entry), sum_entry_(sum_entry), fns_(std::move(d.fns)), has_rules_(d.has_rules), tier1_(tier1) {
    if (p.sink >= 0) {
      const Slot& s = p.slots[p.sink];
      sink_in_buffer_ = s.place == Slot::Place::Temp;
      sink_operand_ = s.place == Slot::Place::Output ? s.index : p.num_outputs + s.index;
      sink_itemsize_ = itemsize(s.dtype);
    }
  }

  SinkValues run_block(const std::byte* const* ptr, const int64_t* stride, int64_t m,
                       bool rerunnable) const override {
    alignas(64) thread_local std::byte sink_buffer[kBlockElements * 16];
    if (!ran_clean([&] { entry_(ptr, stride, m, sink_buffer, fns_.data()); })) [[unlikely]] {
      return tier1_.run_block(ptr, stride, m, rerunnable);
    }
    if (sink_operand_ < 0 && !sink_in_buffer_) return {};
    if (sink_in_buffer_) return {sink_buffer, sink_itemsize_};
    return {ptr[sink_operand_], stride[sink_operand_]};
  }

  SinkValues run_full_block_summing(const std::byte* const* ptr, const int64_t* stride,
                                    bool rerunnable) const override {
    if (!sum_entry_) return run_block(ptr, stride, kBlockElements, rerunnable);
    alignas(16) thread_local std::byte block_sum[16];
    if (!ran_clean([&] { sum_entry_(ptr, stride, block_sum, fns_.data()); })) [[unlikely]] {
      return tier1_.run_block(ptr, stride, kBlockElements, rerunnable);  // its values, unsummed
    }
    return {block_sum, sink_itemsize_, /*summed=*/true};
  }

 private:
  // Runs native code; false (its flags taken back) when it raised a floating-point flag or an
  // op's rule noted one: then tier 1 runs the block again and attributes the flags op by op.
  template <class Run>
  bool ran_clean(const Run& run) const {
    ufuncs::fp::Status before;
    if (has_rules_) before = ufuncs::fp::current();
    run();
    if (ufuncs::fp::hardware_raised() || (has_rules_ && changed(before, ufuncs::fp::current()))) [[unlikely]] {
      ufuncs::fp::take_hardware_flags();
      if (has_rules_) ufuncs::fp::current() = before;
      return false;
    }
    return true;
  }

  static bool changed(const ufuncs::fp::Status& a, const ufuncs::fp::Status& b) {
    if (a.flags != b.flags || a.count != b.count) return true;
    for (int i = 0; i < a.count; ++i) {
      if (a.entries[i].flags != b.entries[i].flags) return true;
    }
    return false;
  }

  NativeEntry entry_;
  NativeSumEntry sum_entry_;  // null: blocks are not summed in registers
  std::vector<void*> fns_;
  bool has_rules_;
  const CompiledKernel& tier1_;
  bool sink_in_buffer_ = false;
  int sink_operand_ = -1;
  int64_t sink_itemsize_ = 0;
};

std::string cache_key(const FusedKernel& kernel, const ModuleApi& api) {
  return kernel.serialize() + "|cpu=" + api.host_cpu() + "|abi=" + std::to_string(kModuleAbiVersion);
}

}  // namespace

bool available() { return module_api() != nullptr; }

std::unique_ptr<CompiledKernel> build(const KernelEntry& entry) {
  const ModuleApi* api = module_api();
  if (!api) return nullptr;
  Description d;
  if (!describe_program(entry.kernel, *entry.program, d)) return nullptr;
  const std::string key = cache_key(entry.kernel, *api);
  char error[256] = {};
  NativeEntry code = nullptr;
  NativeSumEntry sum_code = nullptr;
  if (std::optional<std::string> object = read_cached_object(key)) {
    code = api->load(object->data(), object->size(), &sum_code, error, sizeof error);
    if (code) counters().disk_hits.fetch_add(1);
  }
  if (!code) {
    const auto start = std::chrono::steady_clock::now();
    AbiKernel k{d.slots.data(), static_cast<int32_t>(d.slots.size()), d.code.data(),
                static_cast<int32_t>(d.code.size()), entry.program->sink, d.sums_blocks ? 1 : 0};
    char* bytes = nullptr;
    size_t size = 0;
    if (api->compile(&k, &bytes, &size, error, sizeof error) != 0) return nullptr;
    std::string object(bytes, size);
    api->release(bytes);
    code = api->load(object.data(), object.size(), &sum_code, error, sizeof error);
    if (!code) return nullptr;
    counters().add_compile(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    write_cached_object(key, object);
  }
  if (!d.sums_blocks) sum_code = nullptr;
  if (sum_code) counters().summing.fetch_add(1);
  return std::make_unique<NativeKernel>(code, sum_code, std::move(d), *entry.interpreter, *entry.program);
}

}  // namespace numfuse::jit::native
