// Small elementwise steps of cond, vdot and cross (see reductions.hpp for why they live here).
#include <cmath>
#include <complex>

#include "lapack_table.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/linalg/reductions.hpp"
#include "wrapping.hpp"

namespace numfuse::linalg {

namespace {

template <class T> struct IsComplexT : std::false_type {};
template <class T> struct IsComplexT<std::complex<T>> : std::true_type {};

}  // namespace

Array singular_value_ratio(const Array& s_in, bool smallest_over_largest) {
  Array s = ascontiguous(s_in);
  const int64_t k = s.shape().back();
  if (k == 0) throw_value_error("singular_value_ratio of an empty matrix");
  Array out = Array::empty(Shape(s.shape().begin(), s.shape().end() - 1), s.dtype());
  visit_lapack_dtype(s.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T* v = s.data_as<T>();
      T* o = out.data_as<T>();
      for (int64_t r = 0; r < out.size(); ++r) {
        const T first = v[r * k], last = v[r * k + k - 1];
        o[r] = smallest_over_largest ? last / first : first / last;
      }
    } else {
      throw_type_error("singular values are real");
    }
  });
  return out;
}

Array multiply_real(const Array& a_in, const Array& b_in) {
  if (a_in.shape() != b_in.shape() || a_in.dtype() != b_in.dtype()) {
    throw_value_error("multiply_real: operands differ in shape or dtype");
  }
  Array a = ascontiguous(a_in), b = ascontiguous(b_in);
  Array out = Array::empty(a.shape(), a.dtype());
  visit_lapack_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < a.size(); ++i) out.data_as<T>()[i] = a.data_as<T>()[i] * b.data_as<T>()[i];
  });
  return out;
}

void nan_to_inf_unless_input_nan(Array& r, const Array& x_in) {
  Array x = ascontiguous(x_in);
  const int64_t per_matrix = r.size() == 0 ? 0 : x.size() / r.size();
  auto matrix_has_nan = [&](int64_t i) {
    return visit_dtype(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* p = x.data_as<T>() + i * per_matrix;
      for (int64_t j = 0; j < per_matrix; ++j) {
        if constexpr (IsComplexT<T>::value) {
          if (std::isnan(p[j].real()) || std::isnan(p[j].imag())) return true;
        } else if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(p[j])) return true;
        }
      }
      return false;
    });
  };
  visit_lapack_dtype(r.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* v = r.data_as<T>();
      for (int64_t i = 0; i < r.size(); ++i) {
        if (std::isnan(v[i]) && !matrix_has_nan(i)) v[i] = std::numeric_limits<T>::infinity();
      }
    }
  });
}

Array conjugate(const Array& x) {
  Array out = copy(x);
  if (x.dtype() == DType::Complex64 || x.dtype() == DType::Complex128) {
    visit_lapack_dtype(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsComplex<T>) {
        T* p = out.data_as<T>();
        for (int64_t i = 0; i < out.size(); ++i) p[i] = std::conj(p[i]);
      }
    });
  }
  return out;
}

Array cross_rows(const Array& a_in, const Array& b_in) {
  if (a_in.dtype() != b_in.dtype() || a_in.ndim() != 2 || b_in.ndim() != 2 ||
      a_in.shape()[0] != b_in.shape()[0]) {
    throw_value_error("cross_rows: expects (N, 2|3) operands of one dtype");
  }
  if (a_in.dtype() == DType::Bool) {
    throw_type_error("numpy boolean subtract, the `-` operator, is not supported, use the "
                     "bitwise_xor, the `^` operator, or the logical_xor function instead.");
  }
  Array a = ascontiguous(a_in), b = ascontiguous(b_in);
  const int64_t n = a.shape()[0], da = a.shape()[1], db = b.shape()[1];
  const bool planar = da == 2 && db == 2;
  Array out = planar ? Array::empty({n}, a.dtype()) : Array::empty({n, 3}, a.dtype());
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      using W = Wrapping<T>;
      const T* pa = a.data_as<T>();
      const T* pb = b.data_as<T>();
      T* o = out.data_as<T>();
      for (int64_t i = 0; i < n; ++i) {
        // Missing z components are zero (2-vectors embedded in the plane).
        const W a0 = W(pa[i * da]), a1 = W(pa[i * da + 1]), a2 = da == 3 ? W(pa[i * da + 2]) : W(0);
        const W b0 = W(pb[i * db]), b1 = W(pb[i * db + 1]), b2 = db == 3 ? W(pb[i * db + 2]) : W(0);
        const W z = static_cast<W>(a0 * b1 - a1 * b0);
        if (planar) {
          o[i] = static_cast<T>(z);
        } else {
          o[3 * i] = static_cast<T>(static_cast<W>(a1 * b2 - a2 * b1));
          o[3 * i + 1] = static_cast<T>(static_cast<W>(a2 * b0 - a0 * b2));
          o[3 * i + 2] = static_cast<T>(z);
        }
      }
    }
  });
  return out;
}

}  // namespace numfuse::linalg
