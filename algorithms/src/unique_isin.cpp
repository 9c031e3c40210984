// isin: membership of every element in a set of test values. Integers whose test values span a
// small range use a lookup table (NumPy's kind='table' idea); everything else a robin-map hash
// set of the test values' keys. NaNs are members of nothing; the lookups run on the runner.
#include <algorithm>
#include <vector>

#include <tsl/robin_set.h>

#include "numfuse/algorithms/sort_kernels.hpp"
#include "numfuse/algorithms/unique.hpp"
#include "numfuse/algorithms/unique_keys.hpp"
#include "numfuse/core/copy.hpp"

namespace numfuse::algorithms {

namespace {

template <class T>
void isin_by_table(const T* elements, int64_t n, const T* tests, int64_t m, bool invert, bool* out) {
  uint64_t lo = ~uint64_t(0), hi = 0;
  for (int64_t j = 0; j < m; ++j) {
    lo = std::min<uint64_t>(lo, order_key(tests[j]));
    hi = std::max<uint64_t>(hi, order_key(tests[j]));
  }
  std::vector<uint8_t> table(hi - lo + 1, 0);
  for (int64_t j = 0; j < m; ++j) table[order_key(tests[j]) - lo] = 1;
  const uint64_t span = hi - lo;
  for_blocks(n, true, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const uint64_t k = uint64_t(order_key(elements[i])) - lo;  // wraps below lo: out of range
      out[i] = (k <= span && table[k] != 0) != invert;
    }
  });
}

template <class T>
void isin_by_hash(const T* elements, int64_t n, const T* tests, int64_t m, bool invert, bool* out) {
  tsl::robin_set<HashKey<T>, KeyHash> set;
  set.reserve(size_t(m));
  for (int64_t j = 0; j < m; ++j) {
    if (!is_nan_value(tests[j])) set.insert(hash_key(tests[j]));
  }
  for_blocks(n, true, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      out[i] = (!is_nan_value(elements[i]) && set.count(hash_key(elements[i])) != 0) != invert;
    }
  });
}

// A table pays when it is not much larger than the test set (or small anyway).
template <class T>
bool table_fits(const T* tests, int64_t m) {
  if (m == 0) return false;
  const auto [lo, hi] = std::minmax_element(tests, tests + m, [](T a, T b) { return order_key(a) < order_key(b); });
  const uint64_t span = uint64_t(order_key(*hi)) - uint64_t(order_key(*lo));
  return span < std::max<uint64_t>(uint64_t(1) << 20, uint64_t(m) * 8);
}

}  // namespace

Array isin(const Array& element, const Array& test, bool invert) {
  const Array elements = ascontiguous(element), tests = ascontiguous(test.dtype() == element.dtype()
                                                                        ? test : astype(test, element.dtype()));
  Array out = Array::empty(element.shape(), DType::Bool);
  visit_dtype(element.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* e = elements.data_as<T>();
    const T* t = tests.data_as<T>();
    bool* o = out.data_as<bool>();
    if constexpr (std::is_integral_v<T>) {
      if (table_fits(t, tests.size())) return isin_by_table(e, element.size(), t, tests.size(), invert, o);
    }
    isin_by_hash(e, element.size(), t, tests.size(), invert, o);
  });
  return out;
}

}  // namespace numfuse::algorithms
