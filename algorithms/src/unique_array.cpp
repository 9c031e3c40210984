// unique: the groups of equal values of an array (flattened), by hashing (GroupTable) when the
// values repeat and by a stable argsort otherwise; results in NumPy's sorted order either way.
#include <atomic>
#include <utility>
#include <vector>

#include "numfuse/algorithms/sort_kernels.hpp"
#include "numfuse/algorithms/unique.hpp"
#include "numfuse/algorithms/unique_keys.hpp"
#include "numfuse/algorithms/unique_table.hpp"
#include "numfuse/core/copy.hpp"

namespace numfuse::algorithms {

namespace {

struct Group {
  int64_t first = 0;  // first occurrence (-1: not tracked)
  int64_t count = 0;
  uint64_t key = 0;   // hash_key of the values (hash path only)
};

template <class T>
bool same_group(const T& a, const T& b, bool equal_nan) {
  if (is_nan_value(a) || is_nan_value(b)) return equal_nan && is_nan_value(a) && is_nan_value(b);
  return a == b;
}

// Groups in sorted order from a stable argsort: runs of equal values.
template <class T>
std::vector<Group> groups_by_sort(const T* data, int64_t n, bool equal_nan, int64_t* inverse) {
  std::vector<Group> groups;
  ScratchBuffer<int64_t> order(n);
  argsort_values<T>(reinterpret_cast<const std::byte*>(data), sizeof(T), n, order.get(), true);
  for (int64_t j = 0; j < n; ++j) {
    const int64_t i = order[j];
    if (j == 0 || !same_group(data[order[j - 1]], data[i], equal_nan)) groups.push_back({i, 0, 0});
    ++groups.back().count;
    if (inverse) inverse[i] = int64_t(groups.size()) - 1;
  }
  return groups;
}

// Groups from one hash table per task, merged; false (nothing done) when a task sees too many
// distinct values for hashing to pay, or a NaN that must stay a group of its own. Without
// kCounts (values, maybe the inverse) the groups' first indices are unknown (-1): values come
// from the keys.
template <bool kCounts, class T>
bool groups_by_hash(const T* data, int64_t n, bool equal_nan, int64_t* inverse, std::vector<Group>& groups) {
  using Table = GroupTable<kCounts>;
  const int tasks = n >= (int64_t(1) << 16) ? ufuncs::parallel_threads() : 1;
  std::vector<Table> tables(tasks);
  std::atomic<bool> give_up{false};
  ufuncs::parallel_for(tasks, [&](int t) {
    const int64_t lo = n * t / tasks, hi = n * (t + 1) / tasks;
    const size_t limit = size_t(std::max<int64_t>(4096, (hi - lo) / 8));
    Table& table = tables[t];
    for (int64_t i = lo; i < hi; ++i) {
      if (!equal_nan && is_nan_value(data[i])) give_up = true;
      table.add(hash_key(data[i]), i);
      if ((i & 4095) == 0 && (table.size() > limit || give_up)) {
        give_up = true;
        return;
      }
    }
  });
  if (give_up) return false;
  Table& all = tables[0];
  for (int t = 1; t < tasks; ++t) all.merge(tables[t]);
  std::vector<typename Table::Group> sorted = all.groups();
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  groups.clear();
  for (const auto& g : sorted) groups.push_back({kCounts ? g.first : -1, g.count, g.key});
  if (inverse) {
    std::vector<int64_t> rank(all.slots());
    for (size_t g = 0; g < sorted.size(); ++g) rank[all.slot_of(sorted[g].key)] = int64_t(g);
    for_blocks(n, true, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) inverse[i] = rank[all.slot_of(hash_key(data[i]))];
    });
  }
  return true;
}

Array int64_array(int64_t n) { return Array::empty(Shape{n}, DType::Int64); }

}  // namespace

UniqueResult unique(const Array& a, bool equal_nan, bool want_index, bool want_inverse, bool want_counts) {
  const Array flat = ascontiguous(a);
  const int64_t n = a.size();
  UniqueResult result;
  if (want_inverse) result.inverse = int64_array(n);
  int64_t* inverse = want_inverse ? result.inverse.data_as<int64_t>() : nullptr;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* data = flat.data_as<T>();
    std::vector<Group> groups;
    bool hashed = false;
    if constexpr (!is_complex_v<T>) {
      hashed = want_index || want_counts ? groups_by_hash<true>(data, n, equal_nan, inverse, groups)
                                         : groups_by_hash<false>(data, n, equal_nan, inverse, groups);
    }
    if (!hashed) groups = groups_by_sort(data, n, equal_nan, inverse);
    const int64_t g = int64_t(groups.size());
    result.values = Array::empty(Shape{g}, a.dtype());
    T* values = result.values.data_as<T>();
    for (int64_t k = 0; k < g; ++k) {
      if constexpr (is_complex_v<T>) values[k] = data[groups[k].first];
      else values[k] = groups[k].first >= 0 ? data[groups[k].first] : value_of_key<T>(OrderKey<T>(groups[k].key));
    }
    if (want_index) {
      result.index = int64_array(g);
      for (int64_t k = 0; k < g; ++k) result.index.data_as<int64_t>()[k] = groups[k].first;
    }
    if (want_counts) {
      result.counts = int64_array(g);
      for (int64_t k = 0; k < g; ++k) result.counts.data_as<int64_t>()[k] = groups[k].count;
    }
  });
  return result;
}

}  // namespace numfuse::algorithms
