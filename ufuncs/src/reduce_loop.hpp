// Private to the reduction sources: block kernels with their types erased into function
// pointers, so that the engine (reduce.cpp) is written once over bytes and the dtype switch runs
// once per call, in the per-family lookups below (one translation unit each).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/reduce_kernels.hpp"
#include "numfuse/ufuncs/reduce_loop.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse::reduction {

template <class K>
ReduceLoop erase_reduce_kernel() {
  using State = typename K::State;
  static_assert(std::is_trivially_copyable_v<State>);
  ReduceLoop loop;
  loop.state_size = static_cast<int64_t>(sizeof(State));
  loop.result_dtype = dtype_of<typename K::result_type>::value;
  loop.init = [](std::byte* s) { K::init(*new (s) State); };
  loop.accumulate = [](std::byte* s, const std::byte* in, int64_t stride, int64_t n) {
    K::accumulate(*reinterpret_cast<State*>(s), in, stride, n);
  };
  loop.accumulate_rows = &K::accumulate_rows;
  loop.combine = [](std::byte* s, const std::byte* later) {
    K::combine(*reinterpret_cast<State*>(s), *reinterpret_cast<const State*>(later));
  };
  loop.finalize = [](const std::byte* s, std::byte* out, FinalizeContext& ctx) {
    K::finalize(*reinterpret_cast<const State*>(s), out, ctx);
  };
  if constexpr (requires { K::run_split; }) loop.run_split = K::run_split;
  if constexpr (requires { K::seed; }) {
    loop.split_block = K::kBlock;
    loop.seed = [](std::byte* s, const std::byte* first) { K::seed(*reinterpret_cast<State*>(s), first); };
  }
  if constexpr (requires { K::counts_every_element; }) {
    if constexpr (K::counts_every_element) {
      loop.finalize_sum = [](const std::byte* sum, int64_t count, std::byte* out, FinalizeContext& ctx) {
        K::finalize_sum(load<typename K::result_type>(sum), count, out, ctx);
      };
    }
  }
  if constexpr (requires { K::takes_block_sums; }) {
    if constexpr (K::takes_block_sums) {
      loop.add_block_sum = [](std::byte* s, const std::byte* block_sum, int64_t n) {
        K::add_block_sum(*reinterpret_cast<State*>(s), load<typename K::result_type>(block_sum), n);
      };
    }
  }
  return loop;
}

template <class K>
ScanLoop erase_scan_kernel() {
  using State = typename K::State;
  ScanLoop loop;
  loop.state_size = static_cast<int64_t>(sizeof(State));
  loop.result_dtype = dtype_of<typename K::result_type>::value;
  loop.init = [](std::byte* s) { K::init(*new (s) State); };
  loop.scan = [](std::byte* s, const std::byte* in, int64_t is, std::byte* out, int64_t os,
                 int64_t n) { K::scan(*reinterpret_cast<State*>(s), in, is, out, os, n); };
  loop.scan_rows = &K::scan_rows;
  return loop;
}

// Accumulators a kernel converts to while loading (value-preserving widenings); any other
// (input, accumulator) pair is cast by the engine first.
template <class In, class Acc>
inline constexpr bool is_direct_pair_v =
    std::is_same_v<In, Acc> ||
    (std::is_integral_v<In> &&
     (std::is_same_v<Acc, int64_t> || std::is_same_v<Acc, uint64_t> || std::is_same_v<Acc, double>)) ||
    (std::is_same_v<In, float> && std::is_same_v<Acc, double>) ||
    (std::is_same_v<In, std::complex<float>> && std::is_same_v<Acc, std::complex<double>>);

// Calls fn(In{}, Acc{}) for a direct pair; returns an empty Loop otherwise.
template <class Loop, class Fn>
Loop visit_direct_pair(DType input, DType acc, Fn&& fn) {
  return visit_dtype(input, [&](auto in_tag) -> Loop {
    using In = decltype(in_tag);
    auto with = [&](auto acc_tag) -> Loop {
      using Acc = decltype(acc_tag);
      if constexpr (is_direct_pair_v<In, Acc>) {
        return fn(In{}, Acc{});
      } else {
        return Loop{};
      }
    };
    if (acc == input) return with(In{});
    switch (acc) {
      case DType::Int64: return with(int64_t{});
      case DType::UInt64: return with(uint64_t{});
      case DType::Float64: return with(double{});
      case DType::Complex128: return with(std::complex<double>{});
      default: return Loop{};
    }
  });
}

// One lookup per kernel family; an empty loop means "cast the input to `acc` and ask again".
ReduceLoop fold_loop(ReductionOp op, DType input, DType acc);      // sum prod nansum mean nanmean
ReduceLoop extremum_loop(ReductionOp op, DType input);             // min max nanmin nanmax arg*
ReduceLoop logical_loop(ReductionOp op, DType input);              // any all
ReduceLoop moment_loop(ReductionOp op, DType input, DType acc);    // var std
ScanLoop scan_loop(ReductionOp op, DType input, DType acc);        // cumsum cumprod

}  // namespace numfuse::reduction
