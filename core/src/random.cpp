#include "numfuse/core/random.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {

namespace {

// splitmix64 (Vigna): a bijective mixer used to expand seeds into generator state.
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Calls sample() once per element of `out` and stores the result as T.
template <class T, class Sample>
void fill_with(const Array& out, Sample&& sample) {
  if (!out.writeable()) throw_value_error("output array is read-only");
  out.buffer()->prepare_write();  // pending lazy reads of `out` see its old values
  std::array<const int64_t*, 1> strides = {out.strides().data()};
  for_each_run<1>(out.shape(), {out.data()}, strides, [&](auto ptrs, auto inner, int64_t n) {
    std::byte* p = ptrs[0];
    for (int64_t i = 0; i < n; ++i, p += inner[0]) {
      T value = static_cast<T>(sample());
      std::memcpy(p, &value, sizeof(T));
    }
  });
}

// Calls sample(a, b) once per element of `out` (float64), with a and b the elements of the
// parameter arrays broadcast against it.
template <class Sample>
void fill_with_params(const Array& out, const Array& a, const Array& b, Sample&& sample) {
  if (!out.writeable()) throw_value_error("output array is read-only");
  out.buffer()->prepare_write();  // pending lazy reads of `out` see its old values
  if (a.dtype() != DType::Float64 || b.dtype() != DType::Float64) {
    throw_type_error("distribution parameters must be float64 arrays");
  }
  const Array ab = broadcast_to(a, out.shape());
  const Array bb = broadcast_to(b, out.shape());
  std::array<const int64_t*, 3> strides = {out.strides().data(), ab.strides().data(), bb.strides().data()};
  for_each_run<3>(out.shape(), {out.data(), ab.data(), bb.data()}, strides,
                  [&](auto ptrs, auto inner, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      double pa, pb;
      std::memcpy(&pa, ptrs[1] + i * inner[1], sizeof(double));
      std::memcpy(&pb, ptrs[2] + i * inner[2], sizeof(double));
      const double value = sample(pa, pb);
      std::memcpy(ptrs[0] + i * inner[0], &value, sizeof(double));
    }
  });
}

void require_dtype(const Array& out, DType want, const char* sampler) {
  if (out.dtype() != want) {
    throw_type_error(std::string("Unsupported dtype ") + std::string(name(out.dtype())) + " for " + sampler);
  }
}

}  // namespace

BitGenerator::BitGenerator(const std::vector<uint64_t>& seed_words) {
  // Mix every seed word into one splitmix64 counter, then draw the four state words from it.
  // The word count is mixed in too, so seeds [x] and [x, 0] differ.
  uint64_t mix = 0x6A09E667F3BCC908ull ^ seed_words.size();
  for (uint64_t w : seed_words) {
    mix ^= w;
    mix = splitmix64(mix);
  }
  for (auto& word : s_) word = splitmix64(mix);
  // splitmix64 is a bijection of a counter, so four consecutive outputs are never all zero.
}

uint64_t BitGenerator::next_bounded(uint64_t range) {
  if (range == UINT64_MAX) return next();
  const uint64_t n = range + 1;
  // Lemire, "Fast Random Integer Generation in an Interval" (2019): the high word of x * n is
  // uniform on [0, n) once products whose low word falls below 2^64 mod n are rejected.
  __uint128_t m = static_cast<__uint128_t>(next()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<__uint128_t>(next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double BitGenerator::next_normal() {
  if (has_cached_normal_) {
    has_cached_normal_ = false;
    return cached_normal_;
  }
  // Marsaglia's polar method: a uniform point in the unit disc gives two independent normals
  // without calling sin/cos.
  double x, y, s;
  do {
    x = 2.0 * next_double() - 1.0;
    y = 2.0 * next_double() - 1.0;
    s = x * x + y * y;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  cached_normal_ = y * factor;
  has_cached_normal_ = true;
  return x * factor;
}

void fill_random(BitGenerator& gen, const Array& out) {
  if (out.dtype() == DType::Float32) {
    fill_with<float>(out, [&] { return gen.next_float(); });
  } else {
    require_dtype(out, DType::Float64, "random");
    fill_with<double>(out, [&] { return gen.next_double(); });
  }
}

void fill_uniform(BitGenerator& gen, const Array& out, const Array& low, const Array& high) {
  require_dtype(out, DType::Float64, "uniform");
  fill_with_params(out, low, high, [&](double lo, double hi) { return lo + (hi - lo) * gen.next_double(); });
}

void fill_normal(BitGenerator& gen, const Array& out, const Array& loc, const Array& scale) {
  require_dtype(out, DType::Float64, "normal");
  fill_with_params(out, loc, scale, [&](double mu, double sigma) { return mu + sigma * gen.next_normal(); });
}

void fill_integers(BitGenerator& gen, const Array& out, uint64_t low_bits, uint64_t range) {
  if (!is_integer(out.dtype()) && out.dtype() != DType::Bool) {
    throw_type_error("Unsupported dtype " + std::string(name(out.dtype())) + " for integers");
  }
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_integral_v<T>) {
      // Unsigned wrap-around, then a narrowing conversion that keeps the low bits (C++20 defines
      // it as modular): exact, since the caller checked [low, low + range] fits in T.
      fill_with<T>(out, [&] {
        const uint64_t value = low_bits + gen.next_bounded(range);
        if constexpr (std::is_same_v<T, bool>) return value != 0;
        else return static_cast<T>(value);
      });
    }
  });
}

}  // namespace numfuse
