// The tables of simd_exp_log.hpp, computed once in long double (64-bit significands), so each
// double is the correctly rounded value (or within a hair of it) without a checked-in table.
#include "numfuse/ufuncs/simd_exp_log.hpp"

#include <cmath>
#include <cstring>

namespace numfuse::ufuncs::simd_exp_log {

namespace {

double from_bits(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

Tables build() {
  Tables t{};
  for (int j = 0; j < kTableSize; ++j) {
    t.exp2_frac[j] = static_cast<double>(std::exp2(static_cast<long double>(j) / kTableSize));
    // log's interval j: z's bits in kLogOff + [j, j + 1) * 2^45; c is its centre (bits are linear
    // in value within a binade, and no interval straddles one: 1.0 starts interval 80).
    const double c = from_bits(kLogOff + (uint64_t(j) << (52 - kTableBits)) + (uint64_t(1) << (51 - kTableBits)));
    t.invc[j] = 1.0 / c;
    t.logc[j] = static_cast<double>(-std::log(static_cast<long double>(t.invc[j])));
  }
  return t;
}

}  // namespace

const Tables kTables = build();

}  // namespace numfuse::ufuncs::simd_exp_log
