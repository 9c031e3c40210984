// Loop templates that turn an op functor (op_defs.hpp) into a Kernel. Private to ufuncs/src.
//   scalar_kernel<op, T>: any dtype; contiguous and stride-0 fast paths the compiler vectorizes
//                         for the baseline ISA, then a strided fallback.
//   simd_kernel<Arch, op, T>: float32/float64 ops with a simd() definition; explicit xsimd batches
//                         on contiguous (or stride-0) data, strided data gathered into small
//                         blocks first, so a result never depends on the memory layout.
#pragma once

#include <cstring>
#include <type_traits>

#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/kernels.hpp"
#include "numfuse/ufuncs/op_defs.hpp"

namespace numfuse::ufuncs::detail {

// The C++ type of input k of `op` with loop type T (where's condition is bool).
template <OpId op, class T, int k>
using input_t = std::conditional_t<op_info(op).rule == DTypeRule::Where && k == 0, bool, T>;

template <OpId op, class T>
struct Sig {
  static constexpr int arity = op_info(op).arity;
  using D = Def<op>;
  using In0 = input_t<op, T, 0>;
  using R = decltype([] {
    if constexpr (arity == 1) return D::scalar(T{});
    else if constexpr (arity == 2) return D::scalar(T{}, T{});
    else return D::scalar(In0{}, T{}, T{});
  }());
};

template <class T> inline T load(const std::byte* p) { return *reinterpret_cast<const T*>(p); }

template <OpId op, class T>
void scalar_kernel(const std::byte* const* in, const int64_t* is, std::byte* out, int64_t os,
                   int64_t n) {
  using S = Sig<op, T>;
  using D = typename S::D;
  using R = typename S::R;
  constexpr int64_t sz = sizeof(T);
  if constexpr (S::arity == 1) {
    if (is[0] == sz && os == sizeof(R)) {
      const T* a = reinterpret_cast<const T*>(in[0]);
      R* o = reinterpret_cast<R*>(out);
      for (int64_t i = 0; i < n; ++i) o[i] = D::scalar(a[i]);
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      *reinterpret_cast<R*>(out + i * os) = D::scalar(load<T>(in[0] + i * is[0]));
    }
  } else if constexpr (S::arity == 2) {
    if (os == sizeof(R)) {
      R* o = reinterpret_cast<R*>(out);
      const T* a = reinterpret_cast<const T*>(in[0]);
      const T* b = reinterpret_cast<const T*>(in[1]);
      if (is[0] == sz && is[1] == sz) {
        for (int64_t i = 0; i < n; ++i) o[i] = D::scalar(a[i], b[i]);
        return;
      }
      if (is[0] == sz && is[1] == 0) {
        const T bv = *b;
        for (int64_t i = 0; i < n; ++i) o[i] = D::scalar(a[i], bv);
        return;
      }
      if (is[0] == 0 && is[1] == sz) {
        const T av = *a;
        for (int64_t i = 0; i < n; ++i) o[i] = D::scalar(av, b[i]);
        return;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      *reinterpret_cast<R*>(out + i * os) =
          D::scalar(load<T>(in[0] + i * is[0]), load<T>(in[1] + i * is[1]));
    }
  } else {
    using In0 = typename S::In0;
    if (is[0] == sizeof(In0) && os == sizeof(R) && (is[1] == sz || is[1] == 0) &&
        (is[2] == sz || is[2] == 0)) {
      // Contiguous (or scalar) operands: index arithmetic the compiler turns into selects
      // rather than a data-dependent branch per element (where() on random masks).
      const In0* a = reinterpret_cast<const In0*>(in[0]);
      const T* b = reinterpret_cast<const T*>(in[1]);
      const T* c = reinterpret_cast<const T*>(in[2]);
      const int64_t bs = is[1] ? 1 : 0, cs = is[2] ? 1 : 0;
      R* o = reinterpret_cast<R*>(out);
      for (int64_t i = 0; i < n; ++i) o[i] = D::scalar(a[i], b[i * bs], c[i * cs]);
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      *reinterpret_cast<R*>(out + i * os) = D::scalar(
          load<In0>(in[0] + i * is[0]), load<T>(in[1] + i * is[1]), load<T>(in[2] + i * is[2]));
    }
  }
}

// Elements per gathered block of the strided SIMD path: small enough for the stack and L1.
inline constexpr int64_t kSimdBlock = 256;

template <class Arch, OpId op, class T>
void simd_contiguous(const T* const* in, const bool* is_scalar, T* out, int64_t n) {
  using B = xsimd::batch<T, Arch>;
  using D = Def<op>;
  constexpr int arity = op_info(op).arity;
  constexpr int64_t W = B::size;
  int64_t i = 0;
  // The main loop with each operand's kind (array or broadcast scalar) fixed at compile time:
  // a per-element choice costs more than a cheap op itself.
  auto main_loop = [&](auto scalar0, auto scalar1) {
    auto operand = [&](auto scalar, int k) {
      if constexpr (decltype(scalar)::value) {
        const B value(in[k][0]);
        return [value](int64_t) { return value; };
      } else {
        const T* p = in[k];
        return [p](int64_t at) { return B::load_unaligned(p + at); };
      }
    };
    auto x = operand(scalar0, 0);
    if constexpr (arity == 1) {
      for (; i + W <= n; i += W) D::simd(x(i)).store_unaligned(out + i);
    } else {
      auto y = operand(scalar1, 1);
      for (; i + W <= n; i += W) D::simd(x(i), y(i)).store_unaligned(out + i);
    }
  };
  using Array_ = std::false_type;
  using Scalar = std::true_type;
  if (arity == 1 || !is_scalar[1]) {
    is_scalar[0] ? main_loop(Scalar{}, Array_{}) : main_loop(Array_{}, Array_{});
  } else {
    is_scalar[0] ? main_loop(Scalar{}, Scalar{}) : main_loop(Array_{}, Scalar{});
  }
  if (i < n) {  // the tail goes through the same batch code, padded, so lanes agree everywhere
    alignas(64) T pad[arity][W];
    const T* padded[arity];
    const int64_t m = n - i;
    for (int k = 0; k < arity; ++k) {
      for (int64_t j = 0; j < W; ++j) pad[k][j] = is_scalar[k] ? in[k][0] : in[k][i + (j < m ? j : m - 1)];
      padded[k] = pad[k];
    }
    alignas(64) T res[W];
    if constexpr (arity == 1) {
      D::simd(B::load_aligned(padded[0])).store_aligned(res);
    } else {
      D::simd(B::load_aligned(padded[0]), B::load_aligned(padded[1])).store_aligned(res);
    }
    std::memcpy(out + i, res, static_cast<size_t>(m) * sizeof(T));
  }
}

template <class Arch, OpId op, class T>
void simd_kernel(const std::byte* const* in, const int64_t* is, std::byte* out, int64_t os,
                 int64_t n) {
  constexpr int arity = op_info(op).arity;
  constexpr int64_t sz = sizeof(T);
  bool direct = os == sz;
  bool is_scalar[arity];
  const T* ptrs[arity];
  for (int k = 0; k < arity; ++k) {
    is_scalar[k] = is[k] == 0;
    direct = direct && (is[k] == sz || is[k] == 0);
    ptrs[k] = reinterpret_cast<const T*>(in[k]);
  }
  if (direct) {
    simd_contiguous<Arch, op, T>(ptrs, is_scalar, reinterpret_cast<T*>(out), n);
    return;
  }
  alignas(64) T block_in[arity][kSimdBlock];
  alignas(64) T block_out[kSimdBlock];
  for (int64_t start = 0; start < n; start += kSimdBlock) {
    const int64_t m = n - start < kSimdBlock ? n - start : kSimdBlock;
    const T* block_ptrs[arity];
    for (int k = 0; k < arity; ++k) {
      if (is_scalar[k]) {
        block_ptrs[k] = ptrs[k];
        continue;
      }
      const std::byte* src = in[k] + start * is[k];
      for (int64_t j = 0; j < m; ++j) block_in[k][j] = *reinterpret_cast<const T*>(src + j * is[k]);
      block_ptrs[k] = block_in[k];
    }
    simd_contiguous<Arch, op, T>(block_ptrs, is_scalar, block_out, m);
    std::byte* dst = out + start * os;
    for (int64_t j = 0; j < m; ++j) *reinterpret_cast<T*>(dst + j * os) = block_out[j];
  }
}

// Note for the per-arch files: everything they instantiate must depend on Arch (or be
// inlined), because the linker keeps one copy of each shared inline function, and a copy compiled
// for AVX-512 must never serve the portable kernels. Hence no std::min or load<T> in the SIMD path.

// Def<op>::fp_rule for loop type T (op_defs.hpp), if the op has one for T.
template <OpId op, class T>
constexpr bool has_fp_rule() {
  using D = Def<op>;
  if constexpr (op_info(op).arity == 1) return requires(T a) { D::fp_rule(a); };
  else if constexpr (op_info(op).arity == 2) return requires(T a) { D::fp_rule(a, a); };
  else return false;
}

// Def<op>::fp_rule over one block (kernels.hpp: FpRule). Tag is the instruction set it is
// compiled for (void: the baseline), so that the per-ISA copies (vectorized: a few compares
// and ORs per lane) stay distinct functions.
template <class Tag, OpId op, class T>
void fp_rule_block(const std::byte* const* in, const int64_t* is, int64_t n) {
  using D = Def<op>;
  constexpr int64_t sz = sizeof(T);
  const T* a = reinterpret_cast<const T*>(in[0]);
  int flags = 0;
  if constexpr (op_info(op).arity == 1) {
    if (is[0] == sz) {
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(a[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(*reinterpret_cast<const T*>(in[0] + i * is[0]));
    }
  } else {
    const T* b = reinterpret_cast<const T*>(in[1]);
    if (is[0] == sz && is[1] == sz) {
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(a[i], b[i]);
    } else if (is[0] == sz && is[1] == 0) {  // x // 7: the scalar in a register, not gathered
      const T bv = *b;
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(a[i], bv);
    } else if (is[0] == 0 && is[1] == sz) {
      const T av = *a;
      for (int64_t i = 0; i < n; ++i) flags |= D::fp_rule(av, b[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        flags |= D::fp_rule(*reinterpret_cast<const T*>(in[0] + i * is[0]),
                            *reinterpret_cast<const T*>(in[1] + i * is[1]));
      }
    }
  }
  fp::note(flags, static_cast<int16_t>(op));
}

// Kernels indexed [op][dtype]; entries stay nullptr where no kernel exists. Likewise the ops'
// floating-point rules.
struct KernelTable {
  Kernel k[kNumElementwiseOps][kNumDTypes] = {};
  FpRule rule[kNumElementwiseOps][kNumDTypes] = {};
};

// The vectorized fp rules of op for one instruction set.
template <class Arch, OpId op>
void fill_simd_fp_rules(KernelTable& table) {
  auto fill = [&](auto tag) {
    using T = decltype(tag);
    constexpr DType d = dtype_of<T>::value;
    if constexpr (op_info(op).supports(d) && has_fp_rule<op, T>()) {
      table.rule[static_cast<int>(op)][static_cast<int>(d)] = &fp_rule_block<Arch, op, T>;
    }
  };
  fill(int8_t{}), fill(int16_t{}), fill(int32_t{}), fill(int64_t{});
  fill(uint8_t{}), fill(uint16_t{}), fill(uint32_t{}), fill(uint64_t{});
  fill(float{}), fill(double{});
}

// Fills the SIMD entries for one instruction set (defined in kernels_<arch>.cpp).
template <class Arch>
void fill_simd_kernels(KernelTable& table) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    ([&] {
      constexpr OpId op = static_cast<OpId>(I);
      fill_simd_fp_rules<Arch, op>(table);
      if constexpr (has_simd<Def<op>>::value) {
        if constexpr (op_info(op).supports(DType::Float32)) {
          table.k[I][static_cast<int>(DType::Float32)] = &simd_kernel<Arch, op, float>;
        }
        if constexpr (op_info(op).supports(DType::Float64)) {
          table.k[I][static_cast<int>(DType::Float64)] = &simd_kernel<Arch, op, double>;
        }
      }
    }(), ...);
  }(std::make_index_sequence<kNumElementwiseOps>{});
}

void fill_simd_kernels_sse4_2(KernelTable& table);
void fill_simd_kernels_avx2(KernelTable& table);
void fill_simd_kernels_avx512f(KernelTable& table);

}  // namespace numfuse::ufuncs::detail
