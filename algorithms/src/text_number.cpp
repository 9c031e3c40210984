// Field parsers of text_number.hpp. Dispatch on the dtype happens once, in field_parser().
#include "numfuse/algorithms/text_number.hpp"

#include <fast_float/fast_float.h>

#include <limits>
#include <type_traits>

#include "numfuse/algorithms/text_tokenize.hpp"

namespace numfuse::algorithms::text {

namespace {

// A double at the start of [p, end), advancing p past it. fast_float takes no leading '+'.
bool double_prefix(const char*& p, const char* end, double& out) {
  if (p != end && *p == '+') {
    ++p;
    if (p != end && (*p == '+' || *p == '-')) return false;
  }
  if (const char* after = plain_decimal_prefix(p, end, out)) {
    p = after;
    return true;
  }
  const auto result = fast_float::from_chars(p, end, out);
  if (result.ec != std::errc() || result.ptr == p) return false;
  p = result.ptr;
  return true;
}

// Decimal digits of [p, end) into `value`; false when none, another character, or overflow.
bool digits(const char* p, const char* end, uint64_t& value) {
  if (p == end) return false;
  value = 0;
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned char>(*p) - '0';
    if (d > 9) return false;
    if (__builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, d, &value)) return false;
  }
  return true;
}

template <class T>
bool parse_as(std::string_view text, void* out) {
  T& result = *static_cast<T*>(out);
  if constexpr (std::is_same_v<T, bool>) {
    int64_t v;  // NumPy reads bools as integers: nonzero is True
    if (!parse_int64(text, v)) return false;
    result = v != 0;
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    int64_t v;
    if (!parse_int64(text, v) || v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
    result = static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T>) {
    uint64_t v;
    if (!parse_uint64(text, v) || v > std::numeric_limits<T>::max()) return false;
    result = static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    double v;  // float32 too is parsed as a double and rounded, as NumPy does
    if (!parse_double(text, v)) return false;
    result = static_cast<T>(v);
  } else {
    std::complex<double> v;
    if (!parse_complex(text, v)) return false;
    result = T(v);
  }
  return true;
}

}  // namespace

bool parse_double(std::string_view text, double& out) {
  text = strip_blanks(text);
  const char* p = text.data();
  const char* end = p + text.size();
  // fast_float also takes "nan(chars)", which NumPy and Python refuse.
  if (!text.empty() && text.back() == ')') return false;
  return double_prefix(p, end, out) && p == end;
}

bool parse_int64(std::string_view text, int64_t& out) {
  text = strip_blanks(text);
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  uint64_t magnitude;
  if (!digits(text.data(), text.data() + text.size(), magnitude)) return false;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return false;
  out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

bool parse_uint64(std::string_view text, uint64_t& out) {
  text = strip_blanks(text);
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return digits(text.data(), text.data() + text.size(), out) && (!negative || out == 0);
}

bool parse_complex(std::string_view text, std::complex<double>& out) {
  text = strip_blanks(text);
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') text = text.substr(1, text.size() - 2);
  const char* p = text.data();
  const char* end = p + text.size();
  double real = 0, imag = 0;
  if (!double_prefix(p, end, real)) return false;
  if (p == end) {
    out = {real, 0.0};
    return true;
  }
  if (*p == 'j' && p + 1 == end) {
    out = {0.0, real};
    return true;
  }
  if (*p != '+' && *p != '-') return false;
  if (!double_prefix(p, end, imag) || p + 1 != end || *p != 'j') return false;
  out = {real, imag};
  return true;
}

FieldParser field_parser(DType dtype) {
  return visit_dtype(dtype, [](auto zero) -> FieldParser { return &parse_as<decltype(zero)>; });
}

}  // namespace numfuse::algorithms::text
