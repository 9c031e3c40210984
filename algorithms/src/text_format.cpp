// format_rows of text_format.hpp. The dtype is dispatched once per call; each block of rows is
// written to its own string, the blocks joined in order (the text never depends on the threads).
#include "numfuse/algorithms/text_format.hpp"

#include <cmath>
#include <complex>
#include <cstdio>
#include <limits>
#include <type_traits>

#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms::text {

namespace {

bool has_flag(const Conversion& c, char flag) { return c.flags.find(flag) != std::string::npos; }

// The printf format of a conversion, with `length` ("ll" for integers) before the type.
std::string printf_format(const Conversion& c, const char* length, char type) {
  std::string f = "%" + c.flags;
  if (c.width >= 0) f += std::to_string(c.width);
  if (c.precision >= 0) f += "." + std::to_string(c.precision);
  return f + length + type;
}

// Python's text for NaN and inf: "nan"/"inf" (upper case for E F G), a sign only for -inf or
// from the + and space flags, padded with zeros after the sign when the 0 flag is given.
void append_nonfinite(const Conversion& c, double v, std::string& out) {
  const bool upper = c.type == 'E' || c.type == 'F' || c.type == 'G';
  std::string body = std::isnan(v) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
  std::string sign = (std::isinf(v) && v < 0) ? "-" : has_flag(c, '+') ? "+" : has_flag(c, ' ') ? " " : "";
  const int pad = std::max(0, c.width - static_cast<int>(sign.size() + body.size()));
  if (has_flag(c, '-')) {
    out += sign + body + std::string(static_cast<size_t>(pad), ' ');
  } else if (has_flag(c, '0')) {
    out += sign + std::string(static_cast<size_t>(pad), '0') + body;
  } else {
    out += std::string(static_cast<size_t>(pad), ' ') + sign + body;
  }
}

template <class... Args>
void append_printf(std::string& out, const std::string& format, Args... args) {
  char small[128];
  const int n = std::snprintf(small, sizeof small, format.c_str(), args...);
  if (n < static_cast<int>(sizeof small)) {
    out.append(small, static_cast<size_t>(n));
  } else {
    const size_t at = out.size();
    out.resize(at + static_cast<size_t>(n) + 1);
    std::snprintf(out.data() + at, static_cast<size_t>(n) + 1, format.c_str(), args...);
    out.resize(at + static_cast<size_t>(n));
  }
}

struct Prepared {
  Conversion conversion;
  bool integer;
  std::string with_ll;  // integer types: %...lld
  std::string as_double;
};

// One value; false when Python would fail or differ (an int conversion of a NaN, inf, huge float).
template <class T>
bool append_value(const Prepared& p, T value, std::string& out) {
  if (p.integer) {
    long long v;
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value) || std::fabs(value) >= 9.2e18) return false;
      v = static_cast<long long>(value);  // Python's int(): toward zero
    } else if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
      if (value > static_cast<T>(std::numeric_limits<long long>::max())) return false;
      v = static_cast<long long>(value);
    } else {
      v = static_cast<long long>(value);
    }
    append_printf(out, p.with_ll, v);
    return true;
  }
  const double d = static_cast<double>(value);
  if (!std::isfinite(d)) {
    append_nonfinite(p.conversion, d, out);
  } else {
    append_printf(out, p.as_double, d);
  }
  return true;
}

template <class T>
bool format_block(const T* data, int64_t columns, int64_t first, int64_t last, const std::vector<Prepared>& prepared,
                  const RowFormat& format, std::string& out) {
  for (int64_t r = first; r < last; ++r) {
    const T* row = data + r * columns;
    for (int64_t c = 0; c < columns; ++c) {
      out += format.literals[static_cast<size_t>(c)];
      if (!append_value(prepared[static_cast<size_t>(c)], row[c], out)) return false;
    }
    out += format.literals.back();
  }
  return true;
}

}  // namespace

bool format_rows(const Array& table, const RowFormat& format, int64_t first, int64_t last, std::string& out) {
  const int64_t columns = table.shape()[1];
  std::vector<Prepared> prepared;
  for (const Conversion& c : format.conversions) {
    const bool integer = c.type == 'd' || c.type == 'i' || c.type == 'u';
    prepared.push_back({c, integer, printf_format(c, "ll", 'd'), printf_format(c, "", c.type)});
  }
  constexpr int64_t kBlockRows = 4096;
  const int blocks = static_cast<int>((last - first + kBlockRows - 1) / kBlockRows);
  std::vector<std::string> texts(static_cast<size_t>(blocks));
  std::vector<char> ok(static_cast<size_t>(blocks), 1);
  visit_dtype(table.dtype(), [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_arithmetic_v<T>) {
      const T* data = table.data_as<T>();
      ufuncs::parallel_for(blocks, [&](int b) {
        const int64_t begin = first + b * kBlockRows;
        ok[b] = format_block(data, columns, begin, std::min(last, begin + kBlockRows), prepared, format, texts[b]);
      });
    } else {
      std::fill(ok.begin(), ok.end(), 0);  // complex: Python's format
    }
  });
  for (int b = 0; b < blocks; ++b) {
    if (!ok[b]) return false;
    out += texts[b];
  }
  return true;
}

}  // namespace numfuse::algorithms::text
