// Reduction block kernels with their types erased into function pointers: the interface the
// eager engine (reduce.cpp) and the fused interpreter (jit/) drive every reduction through.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/reduce_kernels.hpp"

namespace numfuse::reduction {

struct ReduceLoop {
  int64_t state_size = 0;
  DType result_dtype = DType::Float64;
  void (*init)(std::byte* state) = nullptr;
  void (*accumulate)(std::byte* state, const std::byte* in, int64_t stride, int64_t n) = nullptr;
  void (*accumulate_rows)(std::byte* states, int64_t state_stride, const std::byte* in,
                          int64_t stride, int64_t n) = nullptr;
  void (*combine)(std::byte* state, const std::byte* later) = nullptr;
  void (*finalize)(const std::byte* state, std::byte* out, FinalizeContext& ctx) = nullptr;
  RunSplit run_split = RunSplit::None;  // how the eager engine may thread one long run
  // BlockTree kernels: the tree's leaf size, and how a piece's empty state takes the run's first
  // element as the reference a lone accumulate() of the whole run would have taken.
  int64_t split_block = 0;
  void (*seed)(std::byte* state, const std::byte* run_first) = nullptr;
  // Plain mean only: the result from a sum (of the sum kernel's state type, i.e. result_dtype)
  // and the element count, for an engine that folded with the sum kernel instead.
  void (*finalize_sum)(const std::byte* sum, int64_t count, std::byte* out,
                       FinalizeContext& ctx) = nullptr;
  // Float sum and mean of the input's own dtype: adds a block's pairwise sum (of n elements,
  // reduce_pairwise.hpp's order) computed elsewhere, as accumulate() of that block would (tier 2
  // folds whole blocks in registers). Null for every other reduction.
  void (*add_block_sum)(std::byte* state, const std::byte* block_sum, int64_t n) = nullptr;

  explicit operator bool() const { return init != nullptr; }
};

struct ScanLoop {
  int64_t state_size = 0;
  DType result_dtype = DType::Float64;
  void (*init)(std::byte* state) = nullptr;
  void (*scan)(std::byte* state, const std::byte* in, int64_t in_stride, std::byte* out,
               int64_t out_stride, int64_t n) = nullptr;
  void (*scan_rows)(const std::byte* previous, int64_t previous_stride, const std::byte* in,
                    int64_t in_stride, std::byte* out, int64_t out_stride, int64_t n) = nullptr;

  explicit operator bool() const { return init != nullptr; }
};

}  // namespace numfuse::reduction
