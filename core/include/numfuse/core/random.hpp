// Random number generation: a xoshiro256++ bit generator and the samplers that turn its 64-bit
// words into arrays of uniform floats, normals and unbiased bounded integers.
//
// The streams are not NumPy's (NumPy uses PCG64 and a ziggurat); the distributions are the same.
#pragma once

#include <cstdint>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse {

// xoshiro256++ (Blackman & Vigna): 256-bit state, period 2^256 - 1, passes BigCrush; fast enough
// that sampling, not generation, dominates.
class BitGenerator {
 public:
  // Seeds the state by running splitmix64 over the words of the seed, so that nearby seeds
  // (0, 1, 2, ...) give unrelated streams and the state is never all zero.
  explicit BitGenerator(const std::vector<uint64_t>& seed_words);

  uint64_t next() {
    const uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1) from the top 53 bits: every value is a multiple of 2^-53.
  double next_double() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform on [0, 1) from the top 24 bits.
  float next_float() { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }
  // Uniform on {0, ..., range} (inclusive), unbiased: Lemire's multiply-and-reject.
  uint64_t next_bounded(uint64_t range);
  // Standard normal (Marsaglia's polar method; the second value of each pair is cached).
  double next_normal();

  std::vector<uint64_t> state() const { return {s_[0], s_[1], s_[2], s_[3]}; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  bool has_cached_normal_ = false;
  double cached_normal_ = 0.0;
};

// Samplers fill every element of `out` (any layout, must be writeable) and check their dtype.
// Distribution parameters are float64 arrays that broadcast to out's shape (0-d for scalars);
// range checks on them are the caller's (numfuse.random raises NumPy's errors).

// Uniform [0, 1): float32 or float64, else TypeError.
void fill_random(BitGenerator& gen, const Array& out);
// low + (high - low) * U[0, 1), into float64.
void fill_uniform(BitGenerator& gen, const Array& out, const Array& low, const Array& high);
// loc + scale * N(0, 1), into float64.
void fill_normal(BitGenerator& gen, const Array& out, const Array& loc, const Array& scale);
// low + U{0..range} in any integer dtype or bool. `low_bits` is low's two's-complement bit pattern;
// the sum wraps modulo 2^64 and narrows to the dtype, which is exact because the caller checked
// that [low, low + range] lies within the dtype.
void fill_integers(BitGenerator& gen, const Array& out, uint64_t low_bits, uint64_t range);

}  // namespace numfuse
