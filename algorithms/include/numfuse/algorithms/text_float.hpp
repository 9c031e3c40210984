// A fast path in front of fast_float for the plain decimals that CSV files are made of:
// [-]digits[.digits][e[+-]digits] with at most 19 significant digits and a modest exponent.
// fast_float 3.9 pays for generality on every number (a volatile rounding-mode probe, the
// inf/nan and format checks); this reads the digits eight at a time and hands the (mantissa,
// exponent) pair to the same correctly rounded steps fast_float uses (Clinger's exact path,
// then Eisel-Lemire), so the double is identical. Anything else (nan, inf, '+', more digits,
// huge exponents, the rare Eisel-Lemire ambiguity) returns nullptr: the caller then asks
// fast_float::from_chars, which decides.
#pragma once

#include <fast_float/fast_float.h>

#include <cstdint>

namespace numfuse::algorithms::text {

namespace detail {

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

// Digits at p into w (w = w * 10^k + digits), eight at a time while eight are there.
inline const char* accumulate_digits(const char* p, const char* end, uint64_t& w) {
  while (end - p >= 8) {
    const uint64_t chunk = fast_float::read_u64(p);
    if (!fast_float::is_made_of_eight_digits_fast(chunk)) break;
    w = w * 100000000 + fast_float::parse_eight_digits_unrolled(chunk);
    p += 8;
  }
  for (; p != end && is_digit(*p); ++p) w = w * 10 + static_cast<unsigned>(*p - '0');
  return p;
}

// [digits][.digits] at p: the digits as one integer w and the power of ten that scales it
// (leading zeros skipped: "0.000123..." keeps 19 significant digits); nullptr past 19.
inline const char* mantissa(const char* p, const char* end, uint64_t& w, int64_t& exponent, bool& any_digit) {
  const char* const digits_begin = p;
  while (p != end && *p == '0') ++p;
  w = 0;
  const char* const significant = p;
  p = accumulate_digits(p, end, w);
  int64_t significant_digits = p - significant;
  exponent = 0;
  any_digit = p != digits_begin;
  if (p != end && *p == '.') {
    const char* const fraction = ++p;
    if (significant_digits == 0) {
      while (p != end && *p == '0') ++p;
    }
    const char* const fraction_significant = p;
    p = accumulate_digits(p, end, w);
    significant_digits += p - fraction_significant;
    exponent = -(p - fraction);
    any_digit = any_digit || p != fraction;
  }
  return significant_digits > 19 ? nullptr : p;
}

}  // namespace detail

// The double written at p (no blanks, no '+'), or nullptr when it is not a plain decimal.
inline const char* plain_decimal_prefix(const char* p, const char* end, double& out) {
  using Format = fast_float::binary_format<double>;
  const bool negative = p != end && *p == '-';
  p += negative;
  uint64_t w = 0;
  int64_t exponent = 0;
  bool any_digit = false;
  p = detail::mantissa(p, end, w, exponent, any_digit);
  if (p == nullptr || !any_digit) return nullptr;
  if (p != end && (*p | 0x20) == 'e') {
    const char* q = p + 1;
    const bool negative_exponent = q != end && *q == '-';
    if (q != end && (*q == '-' || *q == '+')) ++q;
    const char* const exponent_digits = q;
    int64_t e = 0;
    for (; q != end && detail::is_digit(*q) && q - exponent_digits < 5; ++q) e = e * 10 + (*q - '0');
    if (q == exponent_digits || (q != end && detail::is_digit(*q))) return nullptr;  // "1e", "1e+", 5+ digits
    exponent += negative_exponent ? -e : e;
    p = q;
  }
  if (w == 0) {
    out = negative ? -0.0 : 0.0;
    return p;
  }
  if (exponent < -340 || exponent > 310) return nullptr;  // under/overflow: fast_float's call
  if (Format::min_exponent_fast_path() <= exponent && exponent <= Format::max_exponent_fast_path() &&
      w <= Format::max_mantissa_fast_path()) {
    // Clinger: w and 10^|exponent| are exact doubles, so one correctly rounded operation.
    double v = static_cast<double>(w);
    v = exponent < 0 ? v / Format::exact_power_of_ten(-exponent) : v * Format::exact_power_of_ten(exponent);
    out = negative ? -v : v;
    return p;
  }
  const fast_float::adjusted_mantissa am = fast_float::compute_float<Format>(exponent, w);
  if (am.power2 < 0) return nullptr;  // Eisel-Lemire cannot decide: fast_float's slow path does
  fast_float::to_float(negative, am, out);
  return p;
}

}  // namespace numfuse::algorithms::text
