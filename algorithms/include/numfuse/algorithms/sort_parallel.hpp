// Sorting a run of keys on the parallel runner: the keys are built straight into up to
// parallel_threads() chunks (a power of two, each at least kParallelSortChunk keys), each chunk
// is sorted by its own task, then the chunks are merged pairwise, each merge split over all
// tasks by merge path. "Tail" keys (NaNs of a value sort) go to the end of their chunk in their
// order and stay unsorted; the merges keep them last and in order. Callers only sort keys whose
// sorted order is unique, or sort stably, so the result never depends on the thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "hwy/base.h"  // hwy::uint128_t, the (key, index) pair of argsort
#include "numfuse/core/allocator.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms {

// Keys per chunk below which sorting stays on one thread.
inline constexpr int64_t kParallelSortChunk = int64_t(1) << 16;

// Highway's vectorized quicksort (sort_vqsort.cpp), ascending.
void vqsort(uint16_t* keys, size_t n);
void vqsort(uint32_t* keys, size_t n);
void vqsort(uint64_t* keys, size_t n);
void vqsort(int16_t* keys, size_t n);
void vqsort(int32_t* keys, size_t n);
void vqsort(int64_t* keys, size_t n);
void vqsort(float* keys, size_t n);
void vqsort(double* keys, size_t n);
void vqsort(hwy::uint128_t* keys, size_t n);  // by (hi, lo)

// Scratch memory from numfuse's buffer pool (a fresh large block costs page faults each time).
template <class P>
class ScratchBuffer {
 public:
  explicit ScratchBuffer(int64_t n)
      : bytes_(sizeof(P) * size_t(n)), data_(static_cast<P*>(PoolAllocator::instance().allocate(bytes_))) {}
  ~ScratchBuffer() { PoolAllocator::instance().deallocate(data_, bytes_); }
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  P* get() const { return data_; }
  P& operator[](int64_t i) const { return data_[i]; }

 private:
  size_t bytes_;
  P* data_;
};

// Splits of the merge of sorted a[0, na) and b[0, nb): how many of a's elements are among the
// first d outputs of a stable merge (a first among equals).
template <class P, class Less>
int64_t merge_path_split(const P* a, int64_t na, const P* b, int64_t nb, int64_t d, Less less) {
  int64_t lo = std::max<int64_t>(0, d - nb), hi = std::min(d, na);
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (!less(b[d - mid - 1], a[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The identity: parallel_sort's default `finish`.
struct KeepKey {
  template <class P>
  const P& operator()(const P& key) const { return key; }
};

// out = finish of the stable merge of sorted a[0, na) and b[0, nb); branch-free for arithmetic keys.
template <class P, class Less, class Finish>
void merge_runs(const P* a, int64_t na, const P* b, int64_t nb, P* out, Less less, Finish finish) {
  if constexpr (!std::is_arithmetic_v<P>) {
    static_assert(std::is_same_v<Finish, KeepKey>, "finish is for arithmetic keys");
    std::merge(a, a + na, b, b + nb, out, less);
  } else {
    int64_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
      const bool take_b = less(b[j], a[i]);
      out[k++] = finish(take_b ? b[j] : a[i]);
      j += take_b;
      i += !take_b;
    }
    out = std::transform(a + i, a + na, out + k, finish);
    std::transform(b + j, b + nb, out, finish);
  }
}

// dst[0, count) = key_at(first..first+count), the tail keys moved to the end in their order,
// the others sorted by sort_chunk; returns the number of non-tail keys. The keys are first
// written as they come while counting the tail keys (no branch per key); only a chunk that has
// some is built again, the tail keys moved out.
template <class P, class KeyAt, class IsTail, class ChunkSort>
int64_t build_and_sort_chunk(int64_t first, int64_t count, KeyAt& key_at, IsTail& is_tail, P* dst,
                             ChunkSort& sort_chunk) {
  int64_t tails = 0;
  for (int64_t i = 0; i < count; ++i) {
    const P k = key_at(first + i);
    dst[i] = k;
    tails += is_tail(k) ? 1 : 0;
  }
  int64_t head = count;
  if (tails != 0) {
    head = 0;
    int64_t at = count - tails;
    for (int64_t i = 0; i < count; ++i) {
      const P k = key_at(first + i);
      if (is_tail(k)) dst[at++] = k;
      else dst[head++] = k;
    }
  }
  sort_chunk(dst, head);
  return head;
}

// dst[0, n) = finish(key_at(0..n)) sorted stably under `less` (given stable chunk sorts), tail
// keys last in their original order; returns the number of non-tail keys. `finish` (a key's
// final form, applied once per key) rides on the last merge round's writes, saving a pass.
template <class P, class KeyAt, class IsTail, class ChunkSort, class Less, class Finish = KeepKey>
int64_t parallel_sort(int64_t n, KeyAt key_at, IsTail is_tail, P* dst, ChunkSort sort_chunk, Less less,
                      bool threaded, Finish finish = {}) {
  int chunks = 1, rounds = 0;
  const int threads = threaded ? ufuncs::parallel_threads() : 1;
  while (chunks * 2 <= threads && n / (chunks * 2) >= kParallelSortChunk) chunks *= 2, ++rounds;
  if (chunks == 1) {
    const int64_t head = build_and_sort_chunk(int64_t(0), n, key_at, is_tail, dst, sort_chunk);
    if constexpr (!std::is_same_v<Finish, KeepKey>) std::transform(dst, dst + n, dst, finish);
    return head;
  }
  std::vector<int64_t> bounds(chunks + 1), heads(chunks);
  for (int c = 0; c <= chunks; ++c) bounds[c] = n * c / chunks;
  ScratchBuffer<P> scratch(n);
  // The chunks start where an even number of merge rounds later leaves the result in dst.
  P* src = rounds % 2 ? scratch.get() : dst;
  P* out = rounds % 2 ? dst : scratch.get();
  ufuncs::parallel_for(chunks, [&](int c) {
    heads[c] = build_and_sort_chunk(bounds[c], bounds[c + 1] - bounds[c], key_at, is_tail, src + bounds[c],
                                    sort_chunk);
  });
  // Run r covers [bounds[r], bounds[r + 1]): heads[r] sorted keys, then its tail keys.
  for (int width = 1; width < chunks; width *= 2) {
    // Pair k merges the heads of runs 2kw and 2kw+w (split into 2w equal pieces, so every round
    // runs `chunks` tasks), then the last piece's task appends both runs' tails.
    auto merge_round = [&](auto emit) {
      ufuncs::parallel_for(chunks, [&](int task) {
        const int pieces = 2 * width, first = (task / pieces) * pieces, piece = task % pieces;
        const int64_t lo = bounds[first], mid = bounds[first + width], hi = bounds[first + pieces];
        const P* a = src + lo;
        const P* b = src + mid;
        const int64_t na = heads[first], nb = heads[first + width], total = na + nb;
        const int64_t d0 = total * piece / pieces, d1 = total * (piece + 1) / pieces;
        const int64_t i0 = merge_path_split(a, na, b, nb, d0, less);
        const int64_t i1 = merge_path_split(a, na, b, nb, d1, less);
        merge_runs(a + i0, i1 - i0, b + (d0 - i0), (d1 - i1) - (d0 - i0), out + lo + d0, less, emit);
        if (piece == pieces - 1) {
          P* tail = std::transform(a + na, b, out + lo + total, emit);
          std::transform(b + nb, static_cast<const P*>(src + hi), tail, emit);
        }
      });
    };
    if (2 * width < chunks) merge_round(KeepKey{});
    else merge_round(finish);
    for (int r = 0; r < chunks; r += 2 * width) heads[r] += heads[r + width];
    std::swap(src, out);
  }
  return heads[0];
}

// parallel_sort of vqsort's key types, none of them tail keys.
template <class P, class KeyAt>
void parallel_vqsort(int64_t n, KeyAt key_at, P* dst, bool threaded) {
  parallel_sort(n, key_at, [](const P&) { return false; }, dst,
                [](P* first, int64_t count) { vqsort(first, size_t(count)); },
                [](const P& a, const P& b) { return a < b; }, threaded);
}

}  // namespace numfuse::algorithms
