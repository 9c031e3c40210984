// The array fillers of random.hpp: NumPy's per-element sampling loops over contiguous outputs.
#include "numfuse/core/random.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <type_traits>

#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/core/views.hpp"
#include "random_samplers.hpp"

namespace numfuse {

namespace {

// The output's memory, checked: C-contiguous (NumPy fills in C order), writeable, of `dtype`.
template <class T>
T* prepare_output(const Array& out, const char* sampler) {
  if (out.dtype() != dtype_of<T>::value) {
    throw_type_error(std::string("Unsupported dtype ") + std::string(name(out.dtype())) + " for " + sampler);
  }
  if (!out.writeable()) throw_value_error("output array is read-only");
  if (!out.is_c_contiguous()) throw_value_error("Supplied output array is not contiguous, writable or aligned.");
  out.buffer()->prepare_write();  // pending lazy reads of `out` see its old values
  return out.data_as<T>();
}

// fn(local) on a copy of the generator, stored back after: the fill loops then keep the state
// in registers instead of reloading it through a reference per draw.
template <class Gen, class Fn>
void with_local_copy(Gen& gen, Fn&& fn) {
  Gen local = gen;
  fn(local);
  gen = local;
}

// out[i] = sample() for every element, in order.
template <class T, class Sample>
void fill_plain(const Array& out, const char* sampler, Sample&& sample) {
  T* data = prepare_output<T>(out, sampler);
  const int64_t n = out.size();
  for (int64_t i = 0; i < n; ++i) data[i] = sample();
}

// float64 or float32 by out's dtype.
template <class Sample64, class Sample32>
void fill_real(const Array& out, const char* sampler, Sample64&& sample64, Sample32&& sample32) {
  if (out.dtype() == DType::Float32) fill_plain<float>(out, sampler, sample32);
  else fill_plain<double>(out, sampler, sample64);
}

double element(const std::byte* p) {
  double value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

// out[i] = sample(a[i], b[i]) in C order, a and b broadcast to out's shape; out holds T.
template <class T = double, class Sample>
void fill_with_params(const Array& out, const Array& a, const Array& b, const char* sampler, Sample&& sample) {
  T* data = prepare_output<T>(out, sampler);
  if (a.dtype() != DType::Float64 || b.dtype() != DType::Float64) {
    throw_type_error("distribution parameters must be float64 arrays");
  }
  if (a.ndim() == 0 && b.ndim() == 0) {  // the common case: one pair of scalars
    const double pa = element(a.data()), pb = element(b.data());
    for (int64_t i = 0, n = out.size(); i < n; ++i) data[i] = sample(pa, pb);
    return;
  }
  const Array ab = broadcast_to(a, out.shape());
  const Array bb = broadcast_to(b, out.shape());
  std::array<const int64_t*, 3> strides = {out.strides().data(), ab.strides().data(), bb.strides().data()};
  for_each_run<3>(out.shape(), {out.data(), ab.data(), bb.data()}, strides,
                  [&](auto ptrs, auto inner, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      const T value = sample(element(ptrs[1] + i * inner[1]), element(ptrs[2] + i * inner[2]));
      std::memcpy(ptrs[0] + i * inner[0], &value, sizeof(T));
    }
  });
}

// NumPy's buffered draws of narrow words: one 32-bit word serves 32 / Bits draws, low bits first.
template <class Gen, int Bits>
class BufferedWords {
 public:
  explicit BufferedWords(Gen& gen) : gen_(gen) {}
  uint32_t operator()() {
    if (left_ == 0) {
      buffer_ = gen_.next32();
      left_ = 32 / Bits - 1;
    } else {
      buffer_ >>= Bits;
      --left_;
    }
    return buffer_ & ((1u << Bits) - 1);
  }

 private:
  Gen& gen_;
  uint32_t buffer_ = 0;
  int left_ = 0;
};

// Uniform on [0, range] from words of `Bits` bits drawn by draw(): NumPy's fill for one dtype.
template <class Word, class Wide, int Bits, class Draw>
Word bounded_word(Word range, Word mask, bool masked, Draw& draw) {
  if (masked) {
    Word value;
    while ((value = static_cast<Word>(draw() & mask)) > range) {}
    return value;
  }
  return sampler::lemire<Word, Wide, Bits>(range, draw);
}

// The bounded draws of one integer dtype of width `Bytes`, exactly as NumPy's
// random_bounded_uint{8,16,32,64}_fill consume the generator.
template <int Bytes, class Gen, class Store>
void fill_bounded(Gen& gen, uint64_t range, bool masked, int64_t n, Store&& store) {
  const uint64_t mask = sampler::mask_for(range);
  if (range == 0) {
    for (int64_t i = 0; i < n; ++i) store(i, 0);
  } else if constexpr (Bytes <= 2) {
    constexpr int bits = Bytes * 8;
    using Word = std::conditional_t<Bytes == 1, uint8_t, uint16_t>;
    using Wide = std::conditional_t<Bytes == 1, uint16_t, uint32_t>;
    BufferedWords<Gen, bits> draw(gen);
    if (range == (1u << bits) - 1) {
      for (int64_t i = 0; i < n; ++i) store(i, draw());
    } else {
      for (int64_t i = 0; i < n; ++i) {
        store(i, bounded_word<Word, Wide, bits>(static_cast<Word>(range), static_cast<Word>(mask), masked, draw));
      }
    }
  } else if (range <= 0xffffffffull) {
    auto draw = [&] { return gen.next32(); };
    if (range == 0xffffffffull) {
      for (int64_t i = 0; i < n; ++i) store(i, gen.next32());
    } else {
      for (int64_t i = 0; i < n; ++i) {
        store(i, bounded_word<uint32_t, uint64_t, 32>(static_cast<uint32_t>(range), static_cast<uint32_t>(mask),
                                                      masked, draw));
      }
    }
  } else {
    auto draw = [&] { return gen.next64(); };
    if (range == ~0ull) {
      for (int64_t i = 0; i < n; ++i) store(i, gen.next64());
    } else {
      for (int64_t i = 0; i < n; ++i) {
        store(i, bounded_word<uint64_t, unsigned __int128, 64>(range, mask, masked, draw));
      }
    }
  }
}

// Generator's bool fill: one bit per draw from buffered 32-bit words (any range of 1).
template <class Gen>
void fill_bool(Gen& gen, bool* data, uint64_t low, uint64_t range, int64_t n) {
  if (range == 0) {
    std::fill(data, data + n, low != 0);
    return;
  }
  BufferedWords<Gen, 1> draw(gen);
  for (int64_t i = 0; i < n; ++i) data[i] = draw() != 0;
}

constexpr int64_t kRandomTaskElements = int64_t{1} << 17;

}  // namespace

template <class Gen>
void fill_random(Gen& gen, const Array& out, TaskRunner runner) {
  if constexpr (std::is_same_v<Gen, Pcg64>) {
    if (out.dtype() == DType::Float64 && (runner == nullptr || out.size() < 2 * kRandomTaskElements)) {
      gen.fill_doubles(prepare_output<double>(out, "random"), out.size());
      return;
    }
  }
  if (out.dtype() != DType::Float64 || !std::is_same_v<Gen, Pcg64>) {
    with_local_copy(gen, [&](Gen& g) {
      fill_real(out, "random", [&] { return g.next_double(); }, [&] { return g.next_float(); });
    });
    return;
  }
  if constexpr (std::is_same_v<Gen, Pcg64>) {
    // Element i takes word i of the stream, so task t starts from a copy advanced by its offset.
    double* data = prepare_output<double>(out, "random");
    const int64_t n = out.size();
    const int tasks = static_cast<int>(std::min<int64_t>(64, n / kRandomTaskElements));
    struct Context {
      const Pcg64* gen;
      double* data;
      int64_t n;
      int tasks;
    } context{&gen, data, n, tasks};
    runner(tasks, [](void* c, int t) {
      auto& ctx = *static_cast<Context*>(c);
      const int64_t begin = ctx.n * t / ctx.tasks, end = ctx.n * (t + 1) / ctx.tasks;
      Pcg64 local = *ctx.gen;
      local.advance(static_cast<Pcg64::u128>(begin));
      local.fill_doubles(ctx.data + begin, end - begin);
    }, &context);
    gen.advance(static_cast<Pcg64::u128>(n));
  }
}

template <class Gen>
void fill_standard_normal(Gen& gen, const Array& out) {
  with_local_copy(gen, [&](Gen& g) {
    fill_real(out, "standard_normal", [&] { return sampler::standard_normal(g); },
              [&] { return sampler::standard_normal_f(g); });
  });
}

template <class Gen>
void fill_standard_exponential(Gen& gen, const Array& out) {
  with_local_copy(gen, [&](Gen& g) {
    fill_real(out, "standard_exponential", [&] { return sampler::standard_exponential(g); },
              [&] { return sampler::standard_exponential_f(g); });
  });
}

template <class Gen>
void fill_normal(Gen& gen, const Array& out, const Array& loc, const Array& scale) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params(out, loc, scale, "normal",
                     [&](double mu, double sigma) { return mu + sigma * sampler::standard_normal(g); });
  });
}

template <class Gen>
void fill_exponential(Gen& gen, const Array& out, const Array& scale) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params(out, scale, scale, "exponential",
                     [&](double s, double) { return s * sampler::standard_exponential(g); });
  });
}

template <class Gen>
void fill_uniform(Gen& gen, const Array& out, const Array& low, const Array& range) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params(out, low, range, "uniform", [&](double lo, double r) { return lo + r * g.next_double(); });
  });
}

template <class Gen>
void fill_gamma(Gen& gen, const Array& out, const Array& shape, const Array& scale) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params(out, shape, scale, "gamma",
                     [&](double k, double theta) { return theta * sampler::standard_gamma(g, k); });
  });
}

template <class Gen>
void fill_beta(Gen& gen, const Array& out, const Array& a, const Array& b) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params(out, a, b, "beta", [&](double pa, double pb) { return sampler::beta(g, pa, pb); });
  });
}

template <class Gen>
void fill_poisson(Gen& gen, const Array& out, const Array& lam) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params<int64_t>(out, lam, lam, "poisson", [&](double l, double) { return sampler::poisson(g, l); });
  });
}

template <class Gen>
void fill_binomial(Gen& gen, const Array& out, const Array& n, const Array& p) {
  with_local_copy(gen, [&](Gen& g) {
    fill_with_params<int64_t>(out, n, p, "binomial", [&](double trials, double prob) {
      return sampler::binomial(g, static_cast<int64_t>(trials), prob);
    });
  });
}

void fill_legacy_normal(Mt19937& gen, const Array& out, const Array& loc, const Array& scale) {
  fill_with_params(out, loc, scale, "normal", [&](double mu, double sigma) { return mu + sigma * gen.legacy_gauss(); });
}

template <class Gen>
void fill_integers(Gen& gen, const Array& out, uint64_t low_bits, uint64_t range, bool masked) {
  if (!is_integer(out.dtype()) && out.dtype() != DType::Bool) {
    throw_type_error("Unsupported dtype " + std::string(name(out.dtype())) + " for integers");
  }
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      fill_bool(gen, prepare_output<bool>(out, "integers"), low_bits, range, out.size());
    } else if constexpr (std::is_integral_v<T>) {
      T* data = prepare_output<T>(out, "integers");
      // Unsigned wrap-around, then a narrowing conversion that keeps the low bits: exact, since
      // [low, low + range] fits in T.
      fill_bounded<sizeof(T)>(gen, range, masked, out.size(),
                              [&](int64_t i, uint64_t value) { data[i] = static_cast<T>(low_bits + value); });
    }
  });
}

template <class Gen>
void shuffle_rows(Gen& gen, const Array& x, int64_t first) {
  if (!x.writeable()) throw_value_error("array is read-only");
  if (x.ndim() == 0) throw_type_error("shuffle needs an array of at least one dimension");
  x.buffer()->prepare_write();
  const int64_t n = x.shape()[0];
  const Array row = x.ndim() > 1 ? x.with_layout(x.offset(), Shape(x.shape().begin() + 1, x.shape().end()),
                                                 Strides(x.strides().begin() + 1, x.strides().end()))
                                 : x.with_layout(x.offset(), Shape{}, Strides{});
  const int64_t stride = x.strides()[0];
  const bool row_contiguous = row.is_c_contiguous();
  const int64_t row_bytes = row.size() * x.itemsize();
  std::vector<std::byte> buffer(static_cast<size_t>(row_bytes));
  auto swap_rows = [&](int64_t i, int64_t j) {
    std::byte* pi = x.data() + i * stride;
    std::byte* pj = x.data() + j * stride;
    if (row_contiguous) {
      std::memcpy(buffer.data(), pj, row_bytes);
      std::memmove(pj, pi, row_bytes);
      std::memcpy(pi, buffer.data(), row_bytes);
      return;
    }
    const int64_t itemsize = x.itemsize();
    std::array<const int64_t*, 2> strides = {row.strides().data(), row.strides().data()};
    for_each_run<2>(row.shape(), {pi, pj}, strides, [&](auto ptrs, auto inner, int64_t m) {
      for (int64_t k = 0; k < m; ++k) {
        std::byte* a = ptrs[0] + k * inner[0];
        std::byte* b = ptrs[1] + k * inner[1];
        std::memcpy(buffer.data(), a, itemsize);
        std::memmove(a, b, itemsize);
        std::memcpy(b, buffer.data(), itemsize);
      }
    });
  };
  for (int64_t i = n - 1; i >= first && i >= 1; --i) {
    const auto j = static_cast<int64_t>(sampler::interval(gen, static_cast<uint64_t>(i)));
    if (j != i) swap_rows(i, j);
  }
}

namespace {

// Generator's _shuffle_int: Fisher-Yates from the end down to `first`, j by Lemire.
void shuffle_int64(Pcg64& gen, int64_t* data, int64_t n, int64_t first) {
  for (int64_t i = n - 1; i >= first; --i) {
    const auto j = static_cast<int64_t>(sampler::bounded_uint64(gen, static_cast<uint64_t>(i)));
    std::swap(data[i], data[j]);
  }
}

}  // namespace

std::vector<int64_t> choice_without_replacement(Pcg64& gen, int64_t pop_size, int64_t size, bool shuffle) {
  const int64_t cutoff = shuffle ? 50 : 20;
  std::vector<int64_t> result;
  if (pop_size > 10000 && size > pop_size / cutoff) {
    // Tail shuffle: the last `size` places of a partial Fisher-Yates over 0..pop_size-1.
    std::vector<int64_t> idx(static_cast<size_t>(pop_size));
    for (int64_t i = 0; i < pop_size; ++i) idx[i] = i;
    shuffle_int64(gen, idx.data(), pop_size, std::max<int64_t>(pop_size - size, 1));
    result.assign(idx.end() - size, idx.end());
    return result;
  }
  // Floyd's sampling with an open-addressing set of at least 1.2 * size slots.
  result.resize(static_cast<size_t>(size));
  const uint64_t mask = sampler::mask_for(static_cast<uint64_t>(1.2 * static_cast<double>(size)));
  constexpr uint64_t kEmpty = ~0ull;
  std::vector<uint64_t> set(mask + 1, kEmpty);
  for (int64_t j = pop_size - size; j < pop_size; ++j) {
    const uint64_t value = sampler::bounded_uint64(gen, static_cast<uint64_t>(j));
    uint64_t loc = value & mask;
    while (set[loc] != kEmpty && set[loc] != value) loc = (loc + 1) & mask;
    if (set[loc] == kEmpty) {
      set[loc] = value;
      result[j - pop_size + size] = static_cast<int64_t>(value);
    } else {  // value already taken: take j itself, which cannot be
      loc = static_cast<uint64_t>(j) & mask;
      while (set[loc] != kEmpty) loc = (loc + 1) & mask;
      set[loc] = static_cast<uint64_t>(j);
      result[j - pop_size + size] = j;
    }
  }
  if (shuffle) shuffle_int64(gen, result.data(), size, 1);
  return result;
}

#define NUMFUSE_RANDOM_INSTANTIATE(Gen)                                                               \
  template void fill_random<Gen>(Gen&, const Array&, TaskRunner);                                    \
  template void fill_standard_normal<Gen>(Gen&, const Array&);                                       \
  template void fill_standard_exponential<Gen>(Gen&, const Array&);                                  \
  template void fill_normal<Gen>(Gen&, const Array&, const Array&, const Array&);                    \
  template void fill_exponential<Gen>(Gen&, const Array&, const Array&);                             \
  template void fill_uniform<Gen>(Gen&, const Array&, const Array&, const Array&);                   \
  template void fill_integers<Gen>(Gen&, const Array&, uint64_t, uint64_t, bool);                    \
  template void shuffle_rows<Gen>(Gen&, const Array&, int64_t);                                      \
  template void fill_gamma<Gen>(Gen&, const Array&, const Array&, const Array&);                     \
  template void fill_beta<Gen>(Gen&, const Array&, const Array&, const Array&);                      \
  template void fill_poisson<Gen>(Gen&, const Array&, const Array&);                                 \
  template void fill_binomial<Gen>(Gen&, const Array&, const Array&, const Array&);

NUMFUSE_RANDOM_INSTANTIATE(Pcg64)
NUMFUSE_RANDOM_INSTANTIATE(Mt19937)
#undef NUMFUSE_RANDOM_INSTANTIATE

}  // namespace numfuse
