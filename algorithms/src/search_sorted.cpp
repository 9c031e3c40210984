// searchsorted: binary search for a few queries; for many, the queries' stable argsort, then
// each query galloping forward from the previous answer (ranges of sorted queries on the runner).
#include <algorithm>
#include <memory>

#include "numfuse/algorithms/search.hpp"
#include "numfuse/algorithms/sort_kernels.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

// Queries below which sorting them costs more than it saves.
constexpr int64_t kSortQueriesFrom = 64;

// a's i-th element in sorted order (through `sorter` when given).
template <class T>
struct SortedView {
  const T* data;
  const int64_t* sorter;
  int64_t n;
  T operator[](int64_t i) const { return sorter ? data[sorter[i]] : data[i]; }
};

// The first index in [lo, n) whose element does not go before q (for `right`: is after q),
// given that every element before lo does; gallops from lo, then bisects.
template <class T>
int64_t search_from(const SortedView<T>& a, int64_t lo, const T& q, bool right) {
  const OrderLess<T> less;
  auto before = [&](int64_t i) { return right ? !less(q, a[i]) : less(a[i], q); };
  int64_t step = 1, hi = lo;
  while (hi < a.n && before(hi)) {
    lo = hi + 1;
    hi = lo + step;
    step *= 2;
  }
  hi = std::min(hi, a.n);
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

template <class T>
void search_all(const SortedView<T>& a, const T* queries, int64_t m, bool right, int64_t* out) {
  if (m < kSortQueriesFrom) {
    for (int64_t j = 0; j < m; ++j) out[j] = search_from(a, 0, queries[j], right);
    return;
  }
  ScratchBuffer<int64_t> order(m);
  argsort_values<T>(reinterpret_cast<const std::byte*>(queries), sizeof(T), m, order.get(), true);
  for_blocks(m, true, [&](int64_t lo, int64_t hi) {
    int64_t at = 0;
    for (int64_t j = lo; j < hi; ++j) {
      const int64_t q = order[j];
      at = search_from(a, at, queries[q], right);
      out[q] = at;
    }
  });
}

}  // namespace

Array searchsorted(const Array& a, const Array& v, bool right, const std::optional<Array>& sorter) {
  if (a.ndim() != 1) throw_value_error("object too deep for desired array");
  const Array values = ascontiguous(a), queries = ascontiguous(v);
  std::optional<Array> order;
  if (sorter) {
    if (sorter->size() != a.size()) throw_value_error("sorter.size must equal a.size");
    order = ascontiguous(astype(*sorter, DType::Int64));
    const int64_t* s = order->data_as<int64_t>();
    for (int64_t i = 0; i < a.size(); ++i) {
      if (s[i] < 0 || s[i] >= a.size()) throw_value_error("Sorter index out of range.");
    }
  }
  Array out = Array::empty(v.shape(), DType::Int64);
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const SortedView<T> view{values.data_as<T>(), order ? order->data_as<int64_t>() : nullptr, a.size()};
    search_all(view, queries.data_as<T>(), v.size(), right, out.data_as<int64_t>());
  });
  return out;
}

int bins_monotonicity(const Array& bins) {
  const Array b = ascontiguous(astype(bins, DType::Float64));
  const double* x = b.data_as<double>();
  const int64_t n = b.size();
  if (n == 0) return 1;
  // NumPy's check_array_monotonic: skip the leading run of equal values, then the first change
  // decides the direction to verify (comparisons with NaN are false, as there).
  double last = x[0];
  int64_t i = 1;
  while (i < n && x[i] == last) ++i;
  if (i == n) return 1;
  double next = x[i];
  const bool increasing = last < next;
  for (++i; i < n; ++i) {
    last = next;
    next = x[i];
    if (increasing ? last > next : last < next) return 0;
  }
  return increasing ? 1 : -1;
}

}  // namespace numfuse::algorithms
