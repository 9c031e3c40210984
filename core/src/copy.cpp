#include "numfuse/core/copy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {

namespace {

template <class T> struct is_complex_t : std::false_type {};
template <class T> struct is_complex_t<std::complex<T>> : std::true_type {};

// Float -> integer without undefined behaviour: in-range values truncate; NaN and out-of-range
// values give the minimum of the (at least 32-bit) intermediate, which is what x86's cvttsd2si
// and therefore NumPy produce.
template <class To, class From>
To float_to_int(From v) {
  using Wide = std::conditional_t<(sizeof(To) < 4), int32_t,
                                  std::conditional_t<std::is_signed_v<To>, To, int64_t>>;
  if constexpr (std::is_same_v<To, uint64_t>) {
    if (v >= From(0) && v < From(18446744073709551616.0)) return static_cast<uint64_t>(v);
    if (v < From(0) && v > From(-9223372036854775808.0)) return static_cast<uint64_t>(static_cast<int64_t>(v));
    return uint64_t{1} << 63;
  } else {
    constexpr From lo = From(static_cast<double>(std::numeric_limits<Wide>::min()));
    constexpr From hi = -lo;  // 2^(bits-1): exactly representable
    Wide w = (v >= lo && v < hi) ? static_cast<Wide>(v) : std::numeric_limits<Wide>::min();
    return static_cast<To>(w);
  }
}

template <class From, class To>
To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From{};
  } else if constexpr (is_complex_t<From>::value && is_complex_t<To>::value) {
    return To(static_cast<typename To::value_type>(v.real()), static_cast<typename To::value_type>(v.imag()));
  } else if constexpr (is_complex_t<From>::value) {
    return convert<typename From::value_type, To>(v.real());
  } else if constexpr (is_complex_t<To>::value) {
    return To(static_cast<typename To::value_type>(v), 0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return float_to_int<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

// dst[i] = the bytes of one value (a broadcast source: full, ones, fill, a[...] = 1): the value
// is held in a register, so the loop vectorizes (a stride-0 copy loop would re-read it each time).
template <class T>
void fill_loop(const T& value, std::byte* dst, int64_t ds, int64_t n) {
  if (ds == int64_t(sizeof(T))) {
    if constexpr (sizeof(T) == 1) {
      std::memset(dst, std::to_integer<int>(reinterpret_cast<const std::byte&>(value)), static_cast<size_t>(n));
    } else {
      T* d = reinterpret_cast<T*>(dst);
      for (int64_t i = 0; i < n; ++i) d[i] = value;
    }
    return;
  }
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * ds, &value, sizeof(T));
}

template <class From, class To>
void cast_loop(const std::byte* src, int64_t ss, std::byte* dst, int64_t ds, int64_t n) {
  if (ss == 0) {
    From v;
    std::memcpy(&v, src, sizeof(From));
    fill_loop(convert<From, To>(v), dst, ds, n);
    return;
  }
  if (ss == sizeof(From) && ds == sizeof(To)) {
    const From* s = reinterpret_cast<const From*>(src);
    To* d = reinterpret_cast<To*>(dst);
    for (int64_t i = 0; i < n; ++i) d[i] = convert<From, To>(s[i]);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    From v;
    std::memcpy(&v, src + i * ss, sizeof(From));
    To r = convert<From, To>(v);
    std::memcpy(dst + i * ds, &r, sizeof(To));
  }
}

// Same-type moves are byte copies: one loop per element size, not per dtype.
template <size_t Bytes>
void move_loop(const std::byte* src, int64_t ss, std::byte* dst, int64_t ds, int64_t n) {
  if (ss == 0) {
    struct Word { std::byte b[Bytes]; };
    Word v;
    std::memcpy(&v, src, Bytes);
    fill_loop(v, dst, ds, n);
    return;
  }
  if (ss == Bytes && ds == Bytes) {
    std::memmove(dst, src, static_cast<size_t>(n) * Bytes);
    return;
  }
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * ds, src + i * ss, Bytes);
}

using CastTable = std::array<std::array<CastFn, kNumDTypes>, kNumDTypes>;

CastTable build_cast_table() {
  CastTable t{};
  for (int f = 0; f < kNumDTypes; ++f) {
    for (int g = 0; g < kNumDTypes; ++g) {
      t[f][g] = visit_dtype(static_cast<DType>(f), [&](auto from) {
        return visit_dtype(static_cast<DType>(g), [&](auto to) -> CastFn {
          using From = decltype(from);
          using To = decltype(to);
          if constexpr (std::is_same_v<From, To>) return &move_loop<sizeof(From)>;
          else return &cast_loop<From, To>;
        });
      });
    }
  }
  return t;
}

}  // namespace

CastFn cast_function(DType from, DType to) {
  static const CastTable table = build_cast_table();
  return table[static_cast<int>(from)][static_cast<int>(to)];
}

void copy_into(const Array& dst, const Array& src) {
  if (!dst.writeable()) throw_value_error("assignment destination is read-only");
  dst.buffer()->prepare_write();  // pending lazy reads of dst see its old values
  Array s = src;
  if (src.shape() != dst.shape()) {
    if (src.ndim() > dst.ndim()) {
      // NumPy allows extra leading length-1 dimensions on the value.
      int extra = src.ndim() - dst.ndim();
      for (int i = 0; i < extra; ++i) {
        if (src.shape()[i] != 1) {
          throw_value_error("could not broadcast input array from shape " + shape_repr(src.shape()) +
                            " into shape " + shape_repr(dst.shape()));
        }
      }
      s = s.with_layout(s.offset(), Shape(src.shape().begin() + extra, src.shape().end()),
                        Strides(src.strides().begin() + extra, src.strides().end()));
    }
    try {
      s = broadcast_to(s, dst.shape());
    } catch (const Error&) {
      throw_value_error("could not broadcast input array from shape " + shape_repr(src.shape()) +
                        " into shape " + shape_repr(dst.shape()));
    }
  }
  if (dst.size() == 0) return;
  // Reading and writing the same elements in the same order is safe; any other overlap is not.
  bool same_walk = s.data() == dst.data() && s.strides() == dst.strides();
  if (!same_walk && s.may_share_memory(dst)) s = copy(s);
  CastFn fn = cast_function(s.dtype(), dst.dtype());
  std::array<std::byte*, 2> ptrs{dst.data(), s.data()};
  std::array<const int64_t*, 2> strides{dst.strides().data(), s.strides().data()};
  for_each_run<2>(dst.shape(), ptrs, strides, [&](auto& p, auto& st, int64_t n) {
    fn(p[1], st[1], p[0], st[0], n);
  });
}

namespace {

// The destination of a copy. Keep is NumPy's order='K': the source's axis order by stride size,
// so a transposed source gives a transposed (but dense, positive-stride) copy.
Array empty_for_copy(const Array& src, DType dtype, MemoryOrder order) {
  if (order == MemoryOrder::F || (order == MemoryOrder::Keep && src.is_f_contiguous() && !src.is_c_contiguous())) {
    return Array::empty_f(src.shape(), dtype);
  }
  if (order == MemoryOrder::C || src.is_c_contiguous()) return Array::empty(src.shape(), dtype);
  const int nd = src.ndim();
  std::vector<int> by_stride(nd);
  for (int i = 0; i < nd; ++i) by_stride[i] = i;
  std::stable_sort(by_stride.begin(), by_stride.end(), [&](int a, int b) {
    return std::abs(src.strides()[a]) > std::abs(src.strides()[b]);
  });
  Shape dense_shape(nd);
  std::vector<int> back(nd);
  for (int i = 0; i < nd; ++i) {
    dense_shape[i] = src.shape()[by_stride[i]];
    back[by_stride[i]] = i;
  }
  return transpose(Array::empty(dense_shape, dtype), back);
}

}  // namespace

Array copy(const Array& src, MemoryOrder order) {
  Array out = empty_for_copy(src, src.dtype(), order);
  copy_into(out, src);
  return out;
}

Array astype(const Array& src, DType dtype, MemoryOrder order) {
  Array out = empty_for_copy(src, dtype, order);
  copy_into(out, src);
  return out;
}

Array ascontiguous(const Array& src) { return src.is_c_contiguous() ? src : copy(src); }

Array scalar_array(std::complex<double> value, DType dtype) {
  Array out = Array::empty({}, dtype);
  cast_function(DType::Complex128, dtype)(reinterpret_cast<const std::byte*>(&value), 0, out.data(), 0, 1);
  return out;
}

Array scalar_array_int(int64_t value, DType dtype) {
  Array out = Array::empty({}, dtype);
  cast_function(DType::Int64, dtype)(reinterpret_cast<const std::byte*>(&value), 0, out.data(), 0, 1);
  return out;
}

Array scalar_array_uint(uint64_t value, DType dtype) {
  Array out = Array::empty({}, dtype);
  cast_function(DType::UInt64, dtype)(reinterpret_cast<const std::byte*>(&value), 0, out.data(), 0, 1);
  return out;
}

void fill(const Array& dst, const Array& value0d) { copy_into(dst, value0d); }

}  // namespace numfuse
