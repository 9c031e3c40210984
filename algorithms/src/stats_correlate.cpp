// correlate/convolve: direct sliding dot products (O(n m)), threaded over output ranges.
#include <algorithm>

#include "bin_partials.hpp"
#include "numfuse/algorithms/stats.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

Array sliding_dot(const Array& a, const Array& w, int64_t first_lag, int64_t count) {
  if (a.ndim() != 1 || w.ndim() != 1 || a.dtype() != w.dtype() || count < 0) {
    throw_value_error("sliding_dot: two 1-D arrays of one dtype");
  }
  Array out = Array::empty(Shape{count}, a.dtype());
  const int64_t n = a.size(), m = w.size();
  visit_dtype(a.dtype(), [&](auto zero) {
    using T = decltype(zero);
    const detail::Strided1D<T> x(a), y(w);
    T* o = out.template data_as<T>();
    const int64_t work = count * std::max<int64_t>(m, 1);
    const int chunks = static_cast<int>(std::clamp<int64_t>(work / (int64_t{1} << 16), 1, 64));
    const int tasks = static_cast<int>(std::min<int64_t>(chunks, std::max<int64_t>(count, 1)));
    ufuncs::parallel_for(tasks, [&, x, y](int t) {
      const int64_t begin = detail::chunk_begin(count, tasks, t), end = detail::chunk_begin(count, tasks, t + 1);
      for (int64_t j = begin; j < end; ++j) {
        const int64_t k = first_lag + j;
        const int64_t i0 = std::max<int64_t>(0, -k), i1 = std::min<int64_t>(m, n - k);
        T sum{};
        for (int64_t i = i0; i < i1; ++i) {
          if constexpr (std::is_same_v<T, bool>) sum = sum || (x[i + k] && y[i]);
          else sum += static_cast<T>(x[i + k] * y[i]);
        }
        o[j] = sum;
      }
    });
  });
  return out;
}

}  // namespace numfuse::algorithms
