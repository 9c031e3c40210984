// The kernel registry: portable kernels for every (op, dtype) the table lists, overlaid once at
// first use by the SIMD kernels of the best instruction set this CPU supports.
#include <xsimd/xsimd.hpp>

#include <cstdlib>
#include <cstring>

#include "kernel_loops.hpp"
#include "numfuse/ufuncs/fp_status.hpp"

namespace numfuse::ufuncs {

namespace {

using detail::KernelTable;

template <class Fn>
void for_each_dtype(Fn&& fn) {
  fn(bool{}), fn(int8_t{}), fn(int16_t{}), fn(int32_t{}), fn(int64_t{});
  fn(uint8_t{}), fn(uint16_t{}), fn(uint32_t{}), fn(uint64_t{});
  fn(float{}), fn(double{}), fn(std::complex<float>{}), fn(std::complex<double>{});
}

// Def<op>::fp_rule over one block (kernels.hpp: FpRule), compiled here only, for the baseline ISA.
template <OpId op, class T>
constexpr bool has_fp_rule() {
  using D = Def<op>;
  if constexpr (op_info(op).arity == 1) return requires(T a) { D::fp_rule(a); };
  else if constexpr (op_info(op).arity == 2) return requires(T a) { D::fp_rule(a, a); };
  else return false;
}

template <OpId op, class T>
void fp_rule_block(const std::byte* const* in, const int64_t* is, int64_t n) {
  using D = Def<op>;
  constexpr int64_t sz = sizeof(T);
  const T* a = reinterpret_cast<const T*>(in[0]);
  int flags = 0;
  if constexpr (op_info(op).arity == 1) {
    if (is[0] == sz) {
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(a[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(detail::load<T>(in[0] + i * is[0]));
    }
  } else {
    const T* b = reinterpret_cast<const T*>(in[1]);
    if ((is[0] == sz || is[0] == 0) && (is[1] == sz || is[1] == 0)) {
      const int64_t as = is[0] ? 1 : 0, bs = is[1] ? 1 : 0;  // selects, not branches (vectorized)
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(a[i * as], b[i * bs]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        flags |= D::fp_rule(detail::load<T>(in[0] + i * is[0]), detail::load<T>(in[1] + i * is[1]));
      }
    }
  }
  fp::note(flags, static_cast<int16_t>(op));
}

using FpRuleTable = FpRule[kNumElementwiseOps][kNumDTypes];

template <OpId op>
void fill_portable(KernelTable& table, FpRuleTable& rules) {
  for_each_dtype([&](auto tag) {
    using T = decltype(tag);
    constexpr DType d = dtype_of<T>::value;
    if constexpr (op_info(op).supports(d)) {
      table.k[static_cast<int>(op)][static_cast<int>(d)] = &detail::scalar_kernel<op, T>;
      if constexpr (has_fp_rule<op, T>()) rules[static_cast<int>(op)][static_cast<int>(d)] = &fp_rule_block<op, T>;
    }
  });
}

struct Registry {
  FpRuleTable rules = {};
  bool trusts_hardware[kNumElementwiseOps] = {};
  KernelTable portable;
  KernelTable best;             // portable, overlaid with SIMD kernels
  const char* arch = "generic";
};

// NUMFUSE_SIMD=generic|sse4_2|avx2|avx512f caps the instruction set (for tests and benchmarks).
const Registry& registry() {
  static const Registry reg = [] {
    Registry r;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (fill_portable<static_cast<OpId>(I)>(r.portable, r.rules), ...);
      ((r.trusts_hardware[I] = fp_hardware<Def<static_cast<OpId>(I)>>()), ...);
    }(std::make_index_sequence<kNumElementwiseOps>{});
    KernelTable simd;
    const auto cpu = xsimd::available_architectures();
    const char* cap = std::getenv("NUMFUSE_SIMD");
    auto allowed = [&](const char* name) {
      if (!cap) return true;
      static const char* order[] = {"generic", "sse4_2", "avx2", "avx512f"};
      int cap_level = 3, level = 0;
      for (int i = 0; i < 4; ++i) {
        if (std::strcmp(cap, order[i]) == 0) cap_level = i;
        if (std::strcmp(name, order[i]) == 0) level = i;
      }
      return level <= cap_level;
    };
    if (cpu.avx512dq && allowed("avx512f")) {  // xsimd 8.1 avx512f kernels use DQ instructions
      detail::fill_simd_kernels_avx512f(simd);
      r.arch = "avx512f";
    } else if (cpu.avx2 && cpu.fma3_avx2 && allowed("avx2")) {
      detail::fill_simd_kernels_avx2(simd);
      r.arch = "avx2";
    } else if (cpu.sse4_2 && allowed("sse4_2")) {
      detail::fill_simd_kernels_sse4_2(simd);
      r.arch = "sse4_2";
    }
    r.best = r.portable;
    for (int o = 0; o < kNumElementwiseOps; ++o) {
      for (int d = 0; d < kNumDTypes; ++d) {
        if (simd.k[o][d]) r.best.k[o][d] = simd.k[o][d];
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
  return registry().rules[o][static_cast<int>(loop_dtype)];
}

bool fp_trusts_hardware(OpId op) {
  const int o = static_cast<int>(op);
  return o >= 0 && o < kNumElementwiseOps && registry().trusts_hardware[o];
}

std::string_view simd_arch_name() { return registry().arch; }

}  // namespace numfuse::ufuncs
