// The eager reduction walk, cut into tasks (see reduce_parallel.hpp for the rules that keep the
// result independent of the thread count).
#include "reduce_parallel.hpp"

#include <algorithm>
#include <vector>

#include "numfuse/core/nditer.hpp"
#include "numfuse/ufuncs/parallel.hpp"
#include "numfuse/ufuncs/reduce_pairwise.hpp"

namespace numfuse::reduction {

namespace {

using Layout = LoopLayout<2>;  // operand 0: the input, operand 1: the states

// Cuts in element counts are multiples of this (whole cache lines for every dtype).
constexpr int64_t kCutAlign = 64;
using ufuncs::kTasksPerThread;

int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// The walk of for_each_run over an already collapsed layout, with dimension `dim` limited to
// [lo, hi). Only the runs of that range are cut; everything else is as in the full walk.
void walk(const ReduceLoop& loop, const Layout& L, std::byte* in, std::byte* states, int dim,
          int64_t lo, int64_t hi) {
  const int nd = static_cast<int>(L.shape.size());
  in += lo * L.strides[0][dim];
  states += lo * L.strides[1][dim];
  std::vector<int64_t> shape = L.shape;
  shape[dim] = hi - lo;
  const int64_t n = shape[nd - 1];
  const int64_t in_step = L.strides[0][nd - 1], state_step = L.strides[1][nd - 1];
  std::vector<int64_t> counter(nd, 0);
  while (true) {
    if (state_step == 0) {
      loop.accumulate(states, in, in_step, n);
    } else {
      loop.accumulate_rows(states, state_step, in, in_step, n);
    }
    int d = nd - 2;
    for (; d >= 0; --d) {
      in += L.strides[0][d];
      states += L.strides[1][d];
      if (++counter[d] < shape[d]) break;
      in -= L.strides[0][d] * shape[d];
      states -= L.strides[1][d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

// Dimension `dim` cut into consecutive ranges of `chunk`, one task each.
void walk_in_chunks(const ReduceLoop& loop, const Layout& L, std::byte* in, std::byte* states,
                    int dim, int64_t chunk) {
  const int64_t extent = L.shape[dim];
  const int tasks = static_cast<int>((extent + chunk - 1) / chunk);
  ufuncs::parallel_for(tasks, [&](int t) {
    walk(loop, L, in, states, dim, t * chunk, std::min(extent, (t + 1) * chunk));
  });
}

// Appends the piece boundaries of pairwise_sum's subtrees `levels` deep below [lo, lo + n);
// false if some node above that depth is summed as one block (then it has no subtrees).
bool pairwise_pieces(int64_t lo, int64_t n, int levels, bool complex, std::vector<int64_t>& ends) {
  if (levels == 0) {
    ends.push_back(lo + n);
    return true;
  }
  if (pairwise_is_block(n, complex)) return false;
  const int64_t cut = pairwise_cut(n, complex);
  return pairwise_pieces(lo, cut, levels - 1, complex, ends) &&
         pairwise_pieces(lo + cut, n - cut, levels - 1, complex, ends);
}

// The same for a kernel's balanced tree of `block`-element leaves (RunSplit::BlockTree): a node
// of more than one block splits after its first half of whole blocks.
bool block_tree_pieces(int64_t lo, int64_t n, int levels, int64_t block, std::vector<int64_t>& ends) {
  if (levels == 0) {
    ends.push_back(lo + n);
    return true;
  }
  if (n <= block) return false;
  const int64_t cut = ((n + block - 1) / block / 2) * block;
  return block_tree_pieces(lo, cut, levels - 1, block, ends) &&
         block_tree_pieces(lo + cut, n - cut, levels - 1, block, ends);
}

// Ends of the pieces one run of n elements is folded in, or empty when it stays whole. A pairwise
// cut gives a power-of-two count of pieces, each a subtree of NumPy's recursion.
std::vector<int64_t> cut_run(RunSplit split, int64_t block, int64_t n, int threads) {
  std::vector<int64_t> ends;
  const int wanted = threads * kTasksPerThread;
  if (split == RunSplit::Anywhere) {
    const int64_t piece = round_up((n + wanted - 1) / wanted, kCutAlign);
    for (int64_t end = piece; end < n; end += piece) ends.push_back(end);
    ends.push_back(n);
  } else if (split == RunSplit::PairwiseReal || split == RunSplit::PairwiseComplex ||
             split == RunSplit::BlockTree) {
    int levels = 0;
    while ((1 << levels) < wanted) ++levels;
    for (; levels > 0; --levels) {
      ends.clear();
      const bool whole = split == RunSplit::BlockTree
                             ? block_tree_pieces(0, n, levels, block, ends)
                             : pairwise_pieces(0, n, levels, split == RunSplit::PairwiseComplex, ends);
      if (whole) break;
    }
    if (levels == 0) ends.clear();
  }
  if (ends.size() < 2) ends.clear();
  return ends;
}

// One run folded into one state, piece by piece on several threads. The pieces' states are merged
// as a balanced tree of neighbours: for a pairwise sum (or a block tree) that is exactly how the
// recursion adds its subtrees (and for exact folds any order of neighbours is right). A piece's state starts from the
// fold's identity (+0.0 for sums), which may turn a -0.0 subtotal into +0.0; the caller's state
// is never -0.0 itself (it starts at +0.0 too), so `state + total` comes out the same.
void fold_run_in_pieces(const ReduceLoop& loop, std::byte* state, const std::byte* in,
                        int64_t stride, const std::vector<int64_t>& ends) {
  const int pieces = static_cast<int>(ends.size());
  const int64_t ss = loop.state_size;
  std::vector<std::byte> partial(static_cast<size_t>(pieces * ss));
  ufuncs::parallel_for(pieces, [&](int p) {
    const int64_t begin = p == 0 ? 0 : ends[p - 1];
    std::byte* s = partial.data() + p * ss;
    loop.init(s);
    if (loop.seed != nullptr) loop.seed(s, in);
    loop.accumulate(s, in + begin * stride, stride, ends[p] - begin);
  });
  for (int width = 1; width < pieces; width *= 2) {
    for (int p = 0; p + width < pieces; p += 2 * width) {
      loop.combine(partial.data() + p * ss, partial.data() + (p + width) * ss);
    }
  }
  loop.combine(state, partial.data());
}

// Several runs folded into one state by an exact fold: the outermost axis in consecutive ranges,
// one partial state each, combined in order.
void fold_runs_in_pieces(const ReduceLoop& loop, const Layout& L, std::byte* in, std::byte* state,
                         int threads) {
  const int64_t extent = L.shape[0];
  const int pieces = static_cast<int>(std::min<int64_t>(extent, threads * kTasksPerThread));
  const int64_t ss = loop.state_size;
  std::vector<std::byte> partial(static_cast<size_t>(pieces * ss));
  ufuncs::parallel_for(pieces, [&](int p) {
    std::byte* s = partial.data() + p * ss;
    loop.init(s);
    walk(loop, L, in, s, 0, extent * p / pieces, extent * (p + 1) / pieces);
  });
  for (int p = 0; p < pieces; ++p) loop.combine(state, partial.data() + p * ss);
}

}  // namespace

void fold_into_states(const ReduceLoop& loop, const Array& a, const int64_t* state_strides,
                      std::byte* states) {
  if (a.size() == 0) return;
  const Layout L = make_loop_layout<2>(a.shape(), {a.strides().data(), state_strides});
  const int nd = static_cast<int>(L.shape.size());
  const int inner = nd - 1;
  std::byte* in = a.data();
  const bool large = a.size() >= kMinParallelElements;
  const int threads = large ? ufuncs::parallel_threads() : 1;

  if (L.strides[1][inner] != 0) {
    // Runs along a kept axis: one range of columns per thread, each walked down all rows. Not
    // narrower: measured, column blocks sized for L1 (16 KiB of states) are 25% slower on one
    // thread than whole rows, whose long contiguous reads the prefetchers follow better.
    const int64_t columns = L.shape[inner];
    const int64_t chunk = round_up((columns + threads - 1) / threads, kCutAlign);
    if (threads == 1 || chunk >= columns) {
      walk(loop, L, in, states, inner, 0, columns);
    } else {
      walk_in_chunks(loop, L, in, states, inner, chunk);
    }
    return;
  }
  if (threads == 1) {
    walk(loop, L, in, states, 0, 0, L.shape[0]);
    return;
  }
  // Runs along reduced axes: deal out the outermost kept axis, if there is one.
  for (int d = 0; d < inner; ++d) {
    if (L.strides[1][d] != 0) {
      const int64_t extent = L.shape[d];
      const int64_t chunk = std::max<int64_t>(1, extent / (threads * kTasksPerThread));
      walk_in_chunks(loop, L, in, states, d, chunk);
      return;
    }
  }
  // Everything is reduced into one state. One run (a contiguous or evenly strided input) is cut
  // as the kernel allows; several runs are dealt out by the outermost axis where the fold is
  // exact (min, max, arg*, any, all, integer sums), else they stay in order on this thread.
  if (nd == 1) {
    const std::vector<int64_t> ends = cut_run(loop.run_split, loop.split_block, L.shape[0], threads);
    if (!ends.empty()) {
      fold_run_in_pieces(loop, states, in, L.strides[0][0], ends);
      return;
    }
  } else if (loop.run_split == RunSplit::Anywhere && L.shape[0] > 1) {
    fold_runs_in_pieces(loop, L, in, states, threads);
    return;
  }
  walk(loop, L, in, states, 0, 0, L.shape[0]);
}

}  // namespace numfuse::reduction
