// Random number generation with NumPy's streams: SeedSequence, the PCG64 and MT19937 bit
// generators, and the samplers that turn their words into arrays (Generator's ziggurat normals and
// exponentials, Lemire's bounded integers; RandomState's polar normals and masked integers).
// The same seed gives the same values as NumPy, bit for bit; the algorithms are described in
// docs/ARCHITECTURE.md ("Random streams").
#pragma once

#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse {

// ---- SeedSequence (NumPy's numpy.random.SeedSequence, O'Neill's seed_seq design) ---------------

// The entropy pool of `pool_size` 32-bit words mixed from `entropy` (the seed's 32-bit words,
// least significant first, then the spawn key).
std::vector<uint32_t> seed_sequence_pool(const std::vector<uint32_t>& entropy, int pool_size);
// generate_state(n_words, uint32) of a SeedSequence with this pool.
std::vector<uint32_t> seed_sequence_generate(const std::vector<uint32_t>& pool, int n_words);

// ---- bit generators --------------------------------------------------------------------------
// Both expose NumPy's bitgen_t interface: next64, next32 (PCG64 hands out a 64-bit word in two
// halves, low first), next_double (53 bits) and next_float (24 bits).

// PCG64 (O'Neill's pcg_setseq_128_xsl_rr_64): a 128-bit LCG with the XSL-RR output function.
class Pcg64 {
 public:
  using u128 = unsigned __int128;
  // NumPy's PCG64(seed_sequence): words = generate_state(4, uint64); state seed = words[0..1],
  // increment seed = words[2..3] (high word first).
  explicit Pcg64(const std::vector<uint64_t>& seed_words);

  // XSL-RR: the high and low halves xored, rotated by the top 6 bits.
  static uint64_t output(u128 state) {
    const auto rot = static_cast<unsigned>(state >> 122);
    const uint64_t x = static_cast<uint64_t>(state >> 64) ^ static_cast<uint64_t>(state);
    return (x >> rot) | (x << ((64 - rot) & 63));
  }
  uint64_t next64() {
    state_ = state_ * kMultiplier + inc_;
    return output(state_);
  }
  uint32_t next32() {
    if (has_uint32_) {
      has_uint32_ = false;
      return uinteger_;
    }
    const uint64_t word = next64();
    has_uint32_ = true;
    uinteger_ = static_cast<uint32_t>(word >> 32);
    return static_cast<uint32_t>(word);
  }
  double next_double() { return static_cast<double>(next64() >> 11) * 0x1.0p-53; }
  float next_float() { return static_cast<float>(next32() >> 8) * 0x1.0p-24f; }
  // out[i] = next_double() for i < n, computed on interleaved lanes (lane j steps the LCG by
  // 4 at a time from word j) so that the multiplications overlap instead of forming one chain.
  void fill_doubles(double* out, int64_t n);

  // Moves the LCG `delta` steps ahead in O(log delta) (Brown, "Random number generation with
  // arbitrary strides", 1994): how a fill splits its stream between threads.
  void advance(u128 delta);

  // state, inc (each as high, low words), has_uint32, uinteger: NumPy's bit_generator.state.
  std::vector<uint64_t> state() const;
  void set_state(const std::vector<uint64_t>& words);

  static constexpr u128 kMultiplier =
      (static_cast<u128>(2549297995355413924ull) << 64) | 4865540595714422341ull;

 private:
  u128 state_ = 0;
  u128 inc_ = 0;
  bool has_uint32_ = false;
  uint32_t uinteger_ = 0;
};

// MT19937 with RandomState's seeding and its cached second polar normal ("gauss").
class Mt19937 {
 public:
  static constexpr int kWords = 624;
  // RandomState(seed) for an integer seed in [0, 2^32) (Knuth's init_genrand).
  explicit Mt19937(uint32_t seed) { seed_int(seed); }
  void seed_int(uint32_t seed);
  // RandomState(seed) for an array seed (Matsumoto & Nishimura's init_by_array).
  void seed_array(const std::vector<uint32_t>& key);

  uint32_t next32() {
    if (pos_ == kWords) regenerate();
    uint32_t y = key_[pos_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }
  uint64_t next64() {
    const uint64_t high = next32();
    return (high << 32) | next32();
  }
  double next_double() {
    const int32_t a = static_cast<int32_t>(next32() >> 5), b = static_cast<int32_t>(next32() >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  float next_float() { return static_cast<float>(next32() >> 8) * 0x1.0p-24f; }

  // Polar normal of RandomState: returns the cached second value of a pair first.
  double legacy_gauss();

  // key[624], pos, has_gauss, gauss (as its bit pattern): RandomState.get_state's pieces.
  std::vector<uint64_t> state() const;
  void set_state(const std::vector<uint64_t>& words);

 private:
  void regenerate();

  uint32_t key_[kWords];
  int pos_ = kWords;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

// ---- samplers --------------------------------------------------------------------------------
// Every filler writes all of `out` in C order (out must be C-contiguous and writeable: the
// Python layer allocates it or checks a user's `out`). Parameter arrays are float64 and broadcast
// to out's shape (0-d for scalars); NumPy's argument checks are the Python layer's.
// `Gen` is Pcg64 (Generator) or Mt19937 (RandomState); the definitions are instantiated for both.

// Runs task(context, t) for t in [0, tasks) (on threads or not); nullptr runs them in order.
using TaskRunner = void (*)(int tasks, void (*task)(void* context, int t), void* context);

// Uniform [0, 1): float64 or float32. float64 fills of a Pcg64 split across `runner`'s threads
// by advancing copies of the generator (the values do not depend on the split).
template <class Gen> void fill_random(Gen& gen, const Array& out, TaskRunner runner = nullptr);
// Ziggurat standard normals (Generator), float64 or float32.
template <class Gen> void fill_standard_normal(Gen& gen, const Array& out);
// Ziggurat standard exponentials (Generator), float64 or float32.
template <class Gen> void fill_standard_exponential(Gen& gen, const Array& out);
// loc + scale * ziggurat normal (Generator.normal), float64.
template <class Gen> void fill_normal(Gen& gen, const Array& out, const Array& loc, const Array& scale);
// scale * ziggurat exponential (Generator.exponential), float64.
template <class Gen> void fill_exponential(Gen& gen, const Array& out, const Array& scale);
// low + range * U[0, 1) (both Generator and RandomState), float64.
template <class Gen> void fill_uniform(Gen& gen, const Array& out, const Array& low, const Array& range);
// scale * standard gamma (Marsaglia & Tsang; shape < 1 by rejection), float64.
template <class Gen> void fill_gamma(Gen& gen, const Array& out, const Array& shape, const Array& scale);
// Beta (Johnk's algorithm for a, b <= 1, else a ratio of gammas), float64.
template <class Gen> void fill_beta(Gen& gen, const Array& out, const Array& a, const Array& b);
// Poisson (multiplication of uniforms below lam = 10, else Hoermann's PTRS) into int64.
template <class Gen> void fill_poisson(Gen& gen, const Array& out, const Array& lam);
// Binomial (inversion when min(p, 1-p) * n <= 30, else BTPE) into int64; n holds integral
// float64 values below 2^53.
template <class Gen> void fill_binomial(Gen& gen, const Array& out, const Array& n, const Array& p);
// loc + scale * polar normal (RandomState.normal / standard_normal / randn), float64.
void fill_legacy_normal(Mt19937& gen, const Array& out, const Array& loc, const Array& scale);
// low + U{0..range} in out's integer dtype (or bool), NumPy's way for that dtype: 8- and 16-bit
// draws come from buffered 32-bit words, ranges below 2^32 use 32-bit words. `masked` picks
// RandomState's bitmask rejection instead of Generator's Lemire multiply. `low_bits` is low's
// two's-complement pattern; the caller checked that [low, low + range] fits the dtype.
template <class Gen>
void fill_integers(Gen& gen, const Array& out, uint64_t low_bits, uint64_t range, bool masked);
// Fisher-Yates over axis 0 of `x` (any dtype and layout, writeable), NumPy's shuffle: for
// i = n-1 down to `first`, swap row i with row j, j uniform on [0, i] by bitmask rejection.
template <class Gen> void shuffle_rows(Gen& gen, const Array& x, int64_t first);
// Generator.choice(pop_size, size, replace=False) without p: its tail shuffle or Floyd's
// sampling (chosen as NumPy does), then NumPy's shuffle of the result when `shuffle`.
std::vector<int64_t> choice_without_replacement(Pcg64& gen, int64_t pop_size, int64_t size, bool shuffle);

}  // namespace numfuse
