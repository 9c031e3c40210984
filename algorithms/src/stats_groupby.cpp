// groupby_reduce: keys to dense slots (a table over a small key range, else a robin-map
// numbering renumbered in key order), then one threaded pass of per-slot states.
#include <tsl/robin_map.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "bin_partials.hpp"
#include "numfuse/algorithms/groupby.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

using detail::Strided1D;

// Keys as slots 0..count-1 in ascending key order; rows with a NaN key get slot -1.
struct Slots {
  bool dense = false;
  int64_t base = 0;          // dense: slot = key - base
  std::vector<int64_t> ids;  // hash: the slot of every row
  int64_t count = 0;
  Array sorted_keys;         // hash: the key of every slot
};

bool dense_range(int64_t n, int64_t lo, int64_t hi) {
  if (n == 0) return true;
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  return range < static_cast<uint64_t>(std::min<int64_t>(2 * n + 65536, int64_t{1} << 26));
}

template <class K>
bool is_nan_key(K k) {
  if constexpr (std::is_floating_point_v<K>) return k != k;
  else return false;
}

// Numbers the distinct keys (normalized by `norm`) in first-seen order, then renumbers them in
// ascending key order.
template <class K, class Norm>
Slots hashed_slots(const Strided1D<K>& keys, int64_t n, Norm norm, DType key_dtype) {
  Slots s;
  s.ids.resize(static_cast<size_t>(n));
  tsl::robin_map<K, int64_t> numbers;
  std::vector<K> distinct;
  for (int64_t i = 0; i < n; ++i) {
    const K k = keys[i];
    if (is_nan_key(k)) {
      s.ids[i] = -1;
      continue;
    }
    const K nk = norm(k);
    auto [it, inserted] = numbers.try_emplace(nk, static_cast<int64_t>(distinct.size()));
    if (inserted) distinct.push_back(nk);
    s.ids[i] = it->second;
  }
  s.count = static_cast<int64_t>(distinct.size());
  std::vector<int64_t> order(distinct.size());
  std::iota(order.begin(), order.end(), int64_t{0});
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return distinct[a] < distinct[b]; });
  std::vector<int64_t> rank(distinct.size());
  s.sorted_keys = Array::empty(Shape{s.count}, key_dtype);
  K* sorted = s.sorted_keys.data_as<K>();
  for (int64_t r = 0; r < s.count; ++r) {
    rank[order[r]] = r;
    sorted[r] = distinct[order[r]];
  }
  for (int64_t& id : s.ids) id = id < 0 ? -1 : rank[id];
  return s;
}

Slots int_slots(const Array& keys) {
  const int64_t n = keys.size();
  const Strided1D<int64_t> k(keys);
  int64_t lo = n ? k[0] : 0, hi = lo;
  for (int64_t i = 1; i < n; ++i) {
    lo = std::min(lo, k[i]);
    hi = std::max(hi, k[i]);
  }
  if (!dense_range(n, lo, hi)) return hashed_slots(k, n, [](int64_t v) { return v; }, DType::Int64);
  Slots s;
  s.dense = true;
  s.base = lo;
  s.count = n ? hi - lo + 1 : 0;
  return s;
}

template <class T>
using SumType = std::conditional_t<std::is_floating_point_v<T>, double,
                                   std::conditional_t<std::is_unsigned_v<T> && !std::is_same_v<T, bool>, uint64_t, int64_t>>;

template <class T>
struct GroupState {
  int64_t rows = 0, valid = 0;
  SumType<T> sum{};
  T extreme{};
  double mean = 0, m2 = 0;
};

template <GroupOp Op, class T>
inline void update(GroupState<T>& s, T v) {
  ++s.rows;
  if constexpr (std::is_floating_point_v<T>) {
    if (v != v) return;
  }
  ++s.valid;
  if constexpr (Op == GroupOp::Sum || Op == GroupOp::Mean) s.sum += static_cast<SumType<T>>(v);
  if constexpr (Op == GroupOp::Min) s.extreme = (s.valid == 1 || v < s.extreme) ? v : s.extreme;
  if constexpr (Op == GroupOp::Max) s.extreme = (s.valid == 1 || v > s.extreme) ? v : s.extreme;
  if constexpr (Op == GroupOp::Var) {
    const double x = static_cast<double>(v), delta = x - s.mean;
    s.mean += delta / static_cast<double>(s.valid);
    s.m2 += delta * (x - s.mean);
  }
}

template <GroupOp Op, class T>
inline void merge(GroupState<T>& a, const GroupState<T>& b) {
  if constexpr (Op == GroupOp::Min || Op == GroupOp::Max) {
    if (b.valid && (!a.valid || (Op == GroupOp::Min ? b.extreme < a.extreme : b.extreme > a.extreme))) a.extreme = b.extreme;
  }
  if constexpr (Op == GroupOp::Var) {
    if (b.valid) {
      const double na = static_cast<double>(a.valid), nb = static_cast<double>(b.valid), total = na + nb;
      const double delta = b.mean - a.mean;
      a.mean += delta * nb / total;
      a.m2 += b.m2 + delta * delta * na * nb / total;
    }
  }
  a.sum += b.sum;
  a.rows += b.rows;
  a.valid += b.valid;
}

template <GroupOp Op, class T, class SlotOf>
std::vector<GroupState<T>> reduce_states(const Strided1D<T>& values, int64_t n, int64_t slots, SlotOf slot_of) {
  const int chunks = slots * 4 > n ? 1 : detail::fixed_chunks(n);
  std::vector<std::vector<GroupState<T>>> tables(chunks);
  ufuncs::parallel_for(chunks, [&](int c) {
    auto& t = tables[c];
    t.assign(static_cast<size_t>(slots), GroupState<T>{});
    const Strided1D<T> v = values;
    const SlotOf slot = slot_of;
    GroupState<T>* states = t.data();
    const int64_t begin = detail::chunk_begin(n, chunks, c), end = detail::chunk_begin(n, chunks, c + 1);
    for (int64_t i = begin; i < end; ++i) {
      const int64_t s = slot(i);
      if (s >= 0) update<Op>(states[s], v[i]);
    }
  });
  for (int c = 1; c < chunks; ++c) {
    for (int64_t s = 0; s < slots; ++s) merge<Op>(tables[0][s], tables[c][s]);
  }
  return std::move(tables[0]);
}

template <GroupOp Op, class T>
DType result_dtype() {
  if constexpr (Op == GroupOp::Sum) return dtype_of<SumType<T>>::value;
  if constexpr (Op == GroupOp::Min || Op == GroupOp::Max) return dtype_of<T>::value;
  if constexpr (Op == GroupOp::Count) return DType::Int64;
  return DType::Float64;
}

template <GroupOp Op, class T>
auto finalize(const GroupState<T>& s, double ddof) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if constexpr (Op == GroupOp::Sum) return s.sum;
  if constexpr (Op == GroupOp::Count) return s.valid;
  if constexpr (Op == GroupOp::Mean) return s.valid ? static_cast<double>(s.sum) / static_cast<double>(s.valid) : nan;
  if constexpr (Op == GroupOp::Var) {
    const double dof = static_cast<double>(s.valid) - ddof;
    return dof > 0 ? s.m2 / dof : nan;
  }
  if constexpr (Op == GroupOp::Min || Op == GroupOp::Max) {
    if constexpr (std::is_floating_point_v<T>) return s.valid ? s.extreme : static_cast<T>(nan);
    else return s.extreme;
  }
}

template <GroupOp Op, class T>
GroupResult reduce_groups(const Slots& slots, const Array& keys, const Array& values_array, double ddof) {
  const int64_t n = values_array.size();
  const Strided1D<T> values(values_array);
  std::vector<GroupState<T>> states;
  if (slots.dense) {
    const Strided1D<int64_t> k(keys);
    const int64_t base = slots.base;
    states = reduce_states<Op>(values, n, slots.count, [&](int64_t i) { return k[i] - base; });
  } else {
    const int64_t* ids = slots.ids.data();
    states = reduce_states<Op>(values, n, slots.count, [ids](int64_t i) { return ids[i]; });
  }
  int64_t present = 0;
  for (const auto& s : states) present += s.rows > 0 ? 1 : 0;
  GroupResult result{slots.dense ? Array::empty(Shape{present}, DType::Int64) : slots.sorted_keys,
                     Array::empty(Shape{present}, result_dtype<Op, T>())};
  using Out = decltype(finalize<Op>(states.empty() ? GroupState<T>{} : states[0], ddof));
  Out* out = result.values.template data_as<Out>();
  int64_t* dense_keys = slots.dense ? result.keys.data_as<int64_t>() : nullptr;
  int64_t j = 0;
  for (int64_t s = 0; s < slots.count; ++s) {
    if (states[s].rows == 0) continue;
    if (dense_keys) dense_keys[j] = slots.base + s;
    out[j++] = finalize<Op>(states[s], ddof);
  }
  return result;
}

template <class T>
GroupResult dispatch_op(GroupOp op, const Slots& slots, const Array& keys, const Array& values, double ddof) {
  switch (op) {
    case GroupOp::Sum: return reduce_groups<GroupOp::Sum, T>(slots, keys, values, ddof);
    case GroupOp::Mean: return reduce_groups<GroupOp::Mean, T>(slots, keys, values, ddof);
    case GroupOp::Min: return reduce_groups<GroupOp::Min, T>(slots, keys, values, ddof);
    case GroupOp::Max: return reduce_groups<GroupOp::Max, T>(slots, keys, values, ddof);
    case GroupOp::Count: return reduce_groups<GroupOp::Count, T>(slots, keys, values, ddof);
    case GroupOp::Var: return reduce_groups<GroupOp::Var, T>(slots, keys, values, ddof);
  }
  __builtin_unreachable();
}

}  // namespace

GroupOp group_op_from_name(const std::string& name) {
  if (name == "sum") return GroupOp::Sum;
  if (name == "mean") return GroupOp::Mean;
  if (name == "min") return GroupOp::Min;
  if (name == "max") return GroupOp::Max;
  if (name == "count") return GroupOp::Count;
  if (name == "var") return GroupOp::Var;
  throw_value_error("groupby_reduce: op must be one of 'sum', 'mean', 'min', 'max', 'count', 'var', not '" + name + "'");
}

GroupResult groupby_reduce(const Array& keys, const Array& values, GroupOp op, double ddof) {
  if (keys.ndim() != 1 || values.ndim() != 1) throw_value_error("groupby_reduce: keys and values must be 1-D");
  if (keys.size() != values.size()) throw_value_error("groupby_reduce: keys and values must have the same length");
  Slots slots;
  if (keys.dtype() == DType::Int64) {
    slots = int_slots(keys);
  } else if (keys.dtype() == DType::Float64) {
    // -0.0 + 0.0 is +0.0: the two zeros are one group, as in pandas.
    slots = hashed_slots(Strided1D<double>(keys), keys.size(), [](double v) { return v + 0.0; }, DType::Float64);
  } else {
    throw_type_error("groupby_reduce: keys must be int64 or float64 here");
  }
  if (is_complex(values.dtype())) throw_type_error("groupby_reduce: complex values are not supported");
  GroupResult result;
  visit_dtype(values.dtype(), [&](auto v) {
    using T = decltype(v);
    if constexpr (std::is_arithmetic_v<T>) result = dispatch_op<T>(op, slots, keys, values, ddof);
  });
  return result;
}

}  // namespace numfuse::algorithms
