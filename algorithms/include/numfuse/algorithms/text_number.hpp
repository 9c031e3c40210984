// Text to numbers, one field at a time, with NumPy loadtxt's rules: blanks around the value are
// allowed; floats are correctly rounded (fast_float: the same double as Python's float()), with
// an optional '+' and nan/inf/infinity in any case; integers are decimal digits with an optional
// sign, rejected when out of the target type's range; bools are integers (nonzero is True);
// complex numbers are "a", "bj", "a+bj" or "a-bj", optionally in parentheses.
// Each returns false when the text is not a valid value.
#pragma once

#include <fast_float/fast_float.h>

#include <complex>
#include <cstdint>
#include <string_view>

#include "numfuse/algorithms/text_float.hpp"
#include "numfuse/algorithms/text_tokenize.hpp"
#include "numfuse/core/dtype.hpp"

namespace numfuse::algorithms::text {

bool parse_double(std::string_view text, double& out);
bool parse_int64(std::string_view text, int64_t& out);
bool parse_uint64(std::string_view text, uint64_t& out);
bool parse_complex(std::string_view text, std::complex<double>& out);

// Writes the value of `text` as one element of `dtype` at `out`; false when invalid/out of range.
using FieldParser = bool (*)(std::string_view text, void* out);
FieldParser field_parser(DType dtype);

// The fast path's scanners: a number at p (blanks before and after allowed), read straight from
// the text with no tokenizing first. Each returns where it stopped (after the trailing blanks),
// or nullptr when the text there is not a plain number (the tokenizer then takes the line).
inline const char* scan_double(const char* p, const char* end, double& out) {
  while (p != end && is_blank(*p)) ++p;
  if (p != end && *p == '+') {
    ++p;
    if (p != end && (*p == '+' || *p == '-')) return nullptr;
  }
  if (const char* after = plain_decimal_prefix(p, end, out)) {
    p = after;
  } else {
    const auto result = fast_float::from_chars(p, end, out);
    if (result.ec != std::errc() || result.ptr == p || result.ptr[-1] == ')') return nullptr;
    p = result.ptr;
  }
  while (p != end && is_blank(*p)) ++p;
  return p;
}

inline const char* scan_int64(const char* p, const char* end, int64_t& out) {
  while (p != end && is_blank(*p)) ++p;
  const bool negative = p != end && *p == '-';
  if (p != end && (*p == '-' || *p == '+')) ++p;
  const char* first = p;
  uint64_t magnitude = 0;
  for (; p != end && static_cast<unsigned>(*p - '0') <= 9; ++p) {
    if (p - first >= 18) return nullptr;  // 19+ digits may overflow: the careful parser decides
    magnitude = magnitude * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p == first) return nullptr;
  out = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  while (p != end && is_blank(*p)) ++p;
  return p;
}

// After a row's last field: past the line terminator, or nullptr when the line goes on.
inline const char* scan_line_end(const char* p, const char* end) {
  if (p == end) return p;
  if (*p == '\n') return p + 1;
  if (*p == '\r') return p + 1 != end && p[1] == '\n' ? p + 2 : p + 1;
  return nullptr;
}

// Between two fields: past the delimiter (delimiter 0: the blanks the scanner skipped), or nullptr.
inline const char* scan_separator(const char* p, const char* end, char delimiter) {
  if (delimiter == 0) return p != end && is_blank(p[-1]) && !is_newline(*p) ? p : nullptr;
  return p != end && *p == delimiter ? p + 1 : nullptr;
}

}  // namespace numfuse::algorithms::text
