// The kernel registry: portable kernels for every (op, dtype) the table lists, overlaid once at
// first use by the SIMD kernels of the best instruction set this CPU supports.
#include <xsimd/xsimd.hpp>

#include <cstdlib>
#include <cctype>
#include <cstring>
#include <string>

#include "kernel_loops.hpp"

namespace numfuse::ufuncs {

namespace {

using detail::KernelTable;

template <class Fn>
void for_each_dtype(Fn&& fn) {
  fn(bool{}), fn(int8_t{}), fn(int16_t{}), fn(int32_t{}), fn(int64_t{});
  fn(uint8_t{}), fn(uint16_t{}), fn(uint32_t{}), fn(uint64_t{});
  fn(float{}), fn(double{}), fn(std::complex<float>{}), fn(std::complex<double>{});
}

template <OpId op>
void fill_portable(KernelTable& table) {
  for_each_dtype([&](auto tag) {
    using T = decltype(tag);
    constexpr DType d = dtype_of<T>::value;
    if constexpr (op_info(op).supports(d)) {
      table.k[static_cast<int>(op)][static_cast<int>(d)] = &detail::scalar_kernel<op, T>;
      if constexpr (detail::has_fp_rule<op, T>()) {
        table.rule[static_cast<int>(op)][static_cast<int>(d)] = &detail::fp_rule_block<void, op, T>;
      }
    }
  });
}

struct Registry {
  bool trusts_hardware[kNumElementwiseOps] = {};
  KernelTable portable;
  KernelTable best;             // portable, overlaid with SIMD kernels (and vectorized fp rules)
  const char* arch = "generic";
};

// The instruction-set levels, narrowest first, and the widest this CPU runs.
constexpr const char* kSimdLevels[] = {"generic", "sse4_2", "avx2", "avx512f"};

int widest_cpu_level() {
  const auto cpu = xsimd::available_architectures();
  if (cpu.avx512dq) return 3;  // xsimd 8.1 avx512f kernels use DQ instructions
  if (cpu.avx2 && cpu.fma3_avx2) return 2;
  if (cpu.sse4_2) return 1;
  return 0;
}

// NUMFUSE_SIMD (a testing and benchmarking aid) caps the level: generic, sse4_2 (or sse4.2),
// avx2, avx512f (or avx512), native; unset or empty means native. Names are case-insensitive.
int requested_simd_level() {
  const int widest = widest_cpu_level();
  const char* raw = std::getenv("NUMFUSE_SIMD");
  if (raw == nullptr || *raw == '\0') return widest;
  std::string value(raw);
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value == "native") return widest;
  if (value == "sse4.2") value = "sse4_2";
  if (value == "avx512") value = "avx512f";
  for (int level = 0; level < 4; ++level) {
    if (value != kSimdLevels[level]) continue;
    if (level > widest) {
      throw_value_error(std::string("NUMFUSE_SIMD=") + raw + ": this CPU cannot run " + kSimdLevels[level] +
                        " (its widest is " + kSimdLevels[widest] + ")");
    }
    return level;
  }
  throw_value_error(std::string("NUMFUSE_SIMD=") + raw +
                    ": unknown; use generic, sse4_2, avx2, avx512f or native");
}

const Registry& registry() {
  static const Registry reg = [] {
    Registry r;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (fill_portable<static_cast<OpId>(I)>(r.portable), ...);
      ((r.trusts_hardware[I] = fp_hardware<Def<static_cast<OpId>(I)>>()), ...);
    }(std::make_index_sequence<kNumElementwiseOps>{});
    KernelTable simd;
    const int level = requested_simd_level();
    if (level == 3) detail::fill_simd_kernels_avx512f(simd);
    if (level == 2) detail::fill_simd_kernels_avx2(simd);
    if (level == 1) detail::fill_simd_kernels_sse4_2(simd);
    r.arch = kSimdLevels[level];
    r.best = r.portable;
    for (int o = 0; o < kNumElementwiseOps; ++o) {
      for (int d = 0; d < kNumDTypes; ++d) {
        if (simd.k[o][d]) r.best.k[o][d] = simd.k[o][d];
        if (simd.rule[o][d]) r.best.rule[o][d] = simd.rule[o][d];
      }
    }
    return r;
  }();
  return reg;
}

}  // namespace

Kernel find_kernel(OpId op, DType loop_dtype) {
  const int o = static_cast<int>(op);
  if (o < 0 || o >= kNumElementwiseOps) return nullptr;
  return registry().best.k[o][static_cast<int>(loop_dtype)];
}

bool has_simd_kernel(OpId op, DType loop_dtype) {
  const int o = static_cast<int>(op);
  if (o < 0 || o >= kNumElementwiseOps) return false;
  const auto& r = registry();
  const int d = static_cast<int>(loop_dtype);
  return r.best.k[o][d] != nullptr && r.best.k[o][d] != r.portable.k[o][d];
}

FpRule find_fp_rule(OpId op, DType loop_dtype) {
  const int o = static_cast<int>(op);
  if (o < 0 || o >= kNumElementwiseOps) return nullptr;
  return registry().best.rule[o][static_cast<int>(loop_dtype)];
}

bool fp_trusts_hardware(OpId op) {
  const int o = static_cast<int>(op);
  return o >= 0 && o < kNumElementwiseOps && registry().trusts_hardware[o];
}

std::string_view simd_arch_name() { return registry().arch; }

void check_simd_request() { requested_simd_level(); }

}  // namespace numfuse::ufuncs
