// np.interp: one pass over x, each element's interval found from the previous element's
// (sorted x walks the samples like a merge), else by bisection.
#include "numfuse/algorithms/interp.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms {

namespace {

using Complex = std::complex<double>;

// Elements per parallel task: enough to hide the task cost, few enough to spread 10^5 values.
constexpr int64_t kChunk = 1 << 14;

// The interval of `key`: -1 below xp[0], m above xp[m-1], else the last j with xp[j] <= key.
// `guess` (the previous answer) is tried first when xp is known ascending: then the interval
// xp[j] <= key < xp[j+1] is unique, so the answer never depends on where a chunk started.
int64_t interval(double key, const double* xp, int64_t m, int64_t guess, bool ascending) {
  if (key > xp[m - 1]) return m;
  if (key < xp[0]) return -1;
  if (ascending && guess >= 0 && guess < m - 1) {
    if (xp[guess] <= key && key < xp[guess + 1]) return guess;
    if (guess + 2 < m && xp[guess + 1] <= key && key < xp[guess + 2]) return guess + 1;
  }
  return (std::upper_bound(xp, xp + m, key) - xp) - 1;
}

// slope * (x - x0) + y0, from the right end when that is NaN, y0 when both ends are equal.
double inside(double x, double x0, double x1, double y0, double y1, double slope) {
  double value = slope * (x - x0) + y0;
  if (std::isnan(value)) {
    value = slope * (x - x1) + y1;
    if (std::isnan(value) && y0 == y1) value = y0;
  }
  return value;
}

double interval_value(double x, double x0, double x1, double y0, double y1) {
  return inside(x, x0, x1, y0, y1, (y1 - y0) / (x1 - x0));
}

Complex interval_value(double x, double x0, double x1, Complex y0, Complex y1) {
  const double inverse_dx = 1.0 / (x1 - x0);  // NumPy's complex kernel multiplies by 1/dx
  return {inside(x, x0, x1, y0.real(), y1.real(), (y1.real() - y0.real()) * inverse_dx),
          inside(x, x0, x1, y0.imag(), y1.imag(), (y1.imag() - y0.imag()) * inverse_dx)};
}

template <class T>
void interpolate(const double* x, int64_t n, const double* xp, const T* fp, int64_t m, T left,
                 T right, T* out) {
  if (m == 1) {  // NumPy's one-sample case compares only (NaN gives fp[0])
    for (int64_t i = 0; i < n; ++i) out[i] = x[i] < xp[0] ? left : (x[i] > xp[0] ? right : fp[0]);
    return;
  }
  bool ascending = true;
  for (int64_t k = 0; k + 1 < m && ascending; ++k) ascending = xp[k] <= xp[k + 1];
  const int tasks = static_cast<int>((n + kChunk - 1) / kChunk);
  ufuncs::parallel_for(tasks, [&](int t) {
    const int64_t begin = t * kChunk, end = std::min(n, begin + kChunk);
    int64_t j = 0;
    for (int64_t i = begin; i < end; ++i) {
      const double key = x[i];
      if (std::isnan(key)) {
        out[i] = T(key);
        continue;
      }
      j = interval(key, xp, m, j, ascending);
      if (j == -1) {
        out[i] = left;
      } else if (j == m) {
        out[i] = right;
      } else if (j == m - 1 || xp[j] == key) {
        out[i] = fp[j];
      } else {
        out[i] = interval_value(key, xp[j], xp[j + 1], fp[j], fp[j + 1]);
      }
      if (j < 0 || j >= m) j = 0;
    }
  });
}

}  // namespace

Array interp(const Array& x, const Array& xp, const Array& fp, std::optional<Complex> left,
             std::optional<Complex> right) {
  if (x.dtype() != DType::Float64 || xp.dtype() != DType::Float64 || !x.is_c_contiguous() ||
      !xp.is_c_contiguous() || !fp.is_c_contiguous() || xp.ndim() != 1 || fp.ndim() != 1) {
    throw_type_error("interp: x and xp must be C-contiguous float64, xp and fp 1-D");
  }
  const int64_t m = xp.size();
  if (m == 0) throw_value_error("array of sample points is empty");
  if (fp.size() != m) throw_value_error("fp and xp are not of the same length.");
  Array out = Array::empty(x.shape(), fp.dtype());
  const double* xs = x.data_as<double>();
  const double* points = xp.data_as<double>();
  if (fp.dtype() == DType::Float64) {
    const double* values = fp.data_as<double>();
    interpolate(xs, x.size(), points, values, m, left ? left->real() : values[0],
                right ? right->real() : values[m - 1], out.data_as<double>());
  } else if (fp.dtype() == DType::Complex128) {
    const Complex* values = fp.data_as<Complex>();
    interpolate(xs, x.size(), points, values, m, left.value_or(values[0]), right.value_or(values[m - 1]),
                out.data_as<Complex>());
  } else {
    throw_type_error("interp: fp must be float64 or complex128");
  }
  return out;
}

}  // namespace numfuse::algorithms
