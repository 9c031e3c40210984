// SeedSequence, PCG64 and MT19937 seeding and state: NumPy's definitions, so that a seed gives
// NumPy's stream.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "numfuse/core/error.hpp"
#include "numfuse/core/random.hpp"

namespace numfuse {

namespace {

// SeedSequence's hash constants (O'Neill, "Developing a seed_seq alternative", 2015).
constexpr uint32_t kInitA = 0x43b0d7e5u, kMultA = 0x931e8875u;
constexpr uint32_t kInitB = 0x8b51f9ddu, kMultB = 0x58f38dedu;
constexpr uint32_t kMixMultL = 0xca01f9ddu, kMixMultR = 0x4973f715u;
constexpr int kXShift = 16;

uint32_t hashmix(uint32_t value, uint32_t& hash_const) {
  value ^= hash_const;
  hash_const *= kMultA;
  value *= hash_const;
  return value ^ (value >> kXShift);
}

uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t result = kMixMultL * x - kMixMultR * y;
  return result ^ (result >> kXShift);
}

}  // namespace

std::vector<uint32_t> seed_sequence_pool(const std::vector<uint32_t>& entropy, int pool_size) {
  std::vector<uint32_t> pool(pool_size);
  uint32_t hash_const = kInitA;
  const auto n = static_cast<int64_t>(entropy.size());
  for (int i = 0; i < pool_size; ++i) pool[i] = hashmix(i < n ? entropy[i] : 0u, hash_const);
  // Every word of the pool mixes into every other, so late words affect early ones.
  for (int src = 0; src < pool_size; ++src) {
    for (int dst = 0; dst < pool_size; ++dst) {
      if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hash_const));
    }
  }
  // Entropy beyond the pool size mixes into every pool word.
  for (int64_t src = pool_size; src < n; ++src) {
    for (int dst = 0; dst < pool_size; ++dst) pool[dst] = mix(pool[dst], hashmix(entropy[src], hash_const));
  }
  return pool;
}

std::vector<uint32_t> seed_sequence_generate(const std::vector<uint32_t>& pool, int n_words) {
  std::vector<uint32_t> state(n_words);
  uint32_t hash_const = kInitB;
  for (int i = 0; i < n_words; ++i) {
    uint32_t value = pool[i % pool.size()] ^ hash_const;
    hash_const *= kMultB;
    value *= hash_const;
    state[i] = value ^ (value >> kXShift);
  }
  return state;
}

// ---- PCG64 -----------------------------------------------------------------------------------

Pcg64::Pcg64(const std::vector<uint64_t>& seed_words) {
  if (seed_words.size() != 4) throw_value_error("PCG64 needs 4 seed words");
  const u128 init_state = (static_cast<u128>(seed_words[0]) << 64) | seed_words[1];
  const u128 init_seq = (static_cast<u128>(seed_words[2]) << 64) | seed_words[3];
  // pcg_setseq_128_srandom_r: the increment must be odd; two steps mix the seed in.
  inc_ = (init_seq << 1) | 1;
  state_ = 0;
  state_ = state_ * kMultiplier + inc_;
  state_ += init_state;
  state_ = state_ * kMultiplier + inc_;
}

void Pcg64::advance(u128 delta) {
  // x -> a x + c applied delta times is x -> A x + C; square (a, c) per bit of delta.
  u128 acc_mult = 1, acc_plus = 0, cur_mult = kMultiplier, cur_plus = inc_;
  while (delta > 0) {
    if (delta & 1) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
    delta >>= 1;
  }
  state_ = acc_mult * state_ + acc_plus;
}

void Pcg64::fill_doubles(double* out, int64_t n) {
  constexpr int kLanes = 4;
  u128 step_mult = 1, step_plus = 0;  // x -> step_mult x + step_plus is kLanes steps
  for (int k = 0; k < kLanes; ++k) {
    step_mult *= kMultiplier;
    step_plus = step_plus * kMultiplier + inc_;
  }
  u128 lane[kLanes];
  u128 x = state_;
  for (int j = 0; j < kLanes; ++j) lane[j] = x = x * kMultiplier + inc_;  // states after j + 1 steps
  const u128 start = state_;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      out[i + j] = static_cast<double>(output(lane[j]) >> 11) * 0x1.0p-53;
      lane[j] = step_mult * lane[j] + step_plus;
    }
  }
  state_ = start;
  advance(static_cast<u128>(i));
  for (; i < n; ++i) out[i] = next_double();
}

std::vector<uint64_t> Pcg64::state() const {
  return {static_cast<uint64_t>(state_ >> 64), static_cast<uint64_t>(state_),
          static_cast<uint64_t>(inc_ >> 64), static_cast<uint64_t>(inc_), has_uint32_ ? 1u : 0u,
          uinteger_};
}

void Pcg64::set_state(const std::vector<uint64_t>& words) {
  if (words.size() != 6) throw_value_error("PCG64 state needs 6 words");
  state_ = (static_cast<u128>(words[0]) << 64) | words[1];
  inc_ = (static_cast<u128>(words[2]) << 64) | words[3];
  has_uint32_ = words[4] != 0;
  uinteger_ = static_cast<uint32_t>(words[5]);
}

// ---- MT19937 ---------------------------------------------------------------------------------

void Mt19937::seed_int(uint32_t seed) {
  for (int pos = 0; pos < kWords; ++pos) {
    key_[pos] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + static_cast<uint32_t>(pos + 1);
  }
  pos_ = kWords;
  has_gauss_ = false;
  gauss_ = 0.0;
}

void Mt19937::seed_array(const std::vector<uint32_t>& key) {
  seed_int(19650218u);
  const int length = static_cast<int>(key.size());
  int i = 1, j = 0;
  for (int k = std::max(kWords, length); k > 0; --k) {
    key_[i] = (key_[i] ^ ((key_[i - 1] ^ (key_[i - 1] >> 30)) * 1664525u)) + key[j] + static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kWords) {
      key_[0] = key_[kWords - 1];
      i = 1;
    }
    if (j >= length) j = 0;
  }
  for (int k = kWords - 1; k > 0; --k) {
    key_[i] = (key_[i] ^ ((key_[i - 1] ^ (key_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= kWords) {
      key_[0] = key_[kWords - 1];
      i = 1;
    }
  }
  key_[0] = 0x80000000u;  // the top bit set: the state is never all zero
}

void Mt19937::regenerate() {
  constexpr int kShift = 397;
  constexpr uint32_t kMatrixA = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;
  auto twist = [&](int i, int next, int far) {
    const uint32_t y = (key_[i] & kUpper) | (key_[next] & kLower);
    key_[i] = key_[far] ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrixA);
  };
  int i = 0;
  for (; i < kWords - kShift; ++i) twist(i, i + 1, i + kShift);
  for (; i < kWords - 1; ++i) twist(i, i + 1, i + kShift - kWords);
  twist(kWords - 1, 0, kShift - 1);
  pos_ = 0;
}

double Mt19937::legacy_gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  // Marsaglia's polar method: a uniform point in the unit disc gives two normals.
  double x1, x2, r2;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

std::vector<uint64_t> Mt19937::state() const {
  std::vector<uint64_t> words(key_, key_ + kWords);
  words.push_back(static_cast<uint64_t>(pos_));
  words.push_back(has_gauss_ ? 1u : 0u);
  words.push_back(std::bit_cast<uint64_t>(gauss_));
  return words;
}

void Mt19937::set_state(const std::vector<uint64_t>& words) {
  if (words.size() != kWords + 3) throw_value_error("MT19937 state needs 627 words");
  for (int i = 0; i < kWords; ++i) key_[i] = static_cast<uint32_t>(words[i]);
  pos_ = static_cast<int>(std::min<uint64_t>(words[kWords], kWords));
  has_gauss_ = words[kWords + 1] != 0;
  gauss_ = std::bit_cast<double>(words[kWords + 2]);
}

}  // namespace numfuse
