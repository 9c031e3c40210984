// Splits delimited text into lines and fields, with NumPy loadtxt's rules (which pandas' C engine
// shares for the common cases): a field ends at the delimiter (or, with no delimiter, at a run
// of whitespace, leading whitespace ignored); a quote opens quoting only as a field's first
// character, "" inside quotes is one quote, and delimiters, comments and newlines inside quotes
// are text; a comment runs to the end of the line; "\n", "\r\n" and a lone "\r" end a line.
// A line that is nothing but one empty unquoted field (or only whitespace/comment when fields are
// whitespace-separated) is empty: it has no fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace numfuse::algorithms::text {

struct Dialect {
  char delimiter = 0;                 // 0: fields are separated by runs of whitespace
  char quote = 0;                     // 0: no quoting
  std::vector<std::string> comments;  // each starts a comment; none: no comments
};

inline bool is_newline(char c) { return c == '\n' || c == '\r'; }
inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Past the terminator of the line that `p` is in (p itself when at the end).
inline const char* next_line_start(const char* p, const char* end) {
  while (p != end && !is_newline(*p)) ++p;
  if (p == end) return p;
  if (*p == '\r' && p + 1 != end && p[1] == '\n') return p + 2;
  return p + 1;
}

// A field's text without leading/trailing blanks (numbers may be padded, as in NumPy).
inline std::string_view strip_blanks(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_blank(s[b])) ++b;
  while (e > b && is_blank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

class LineTokenizer {
 public:
  LineTokenizer(const Dialect& dialect, const char* begin, const char* end);

  // Goes on from `position` (a line start) instead.
  void reset(const char* position) { pos_ = position; }
  // Tokenizes the next line; false once the input is used up. fields() is empty for an empty line.
  bool next_line();
  const std::vector<std::string_view>& fields() const { return fields_; }
  // Physical lines the last next_line() consumed (more than 1 when quotes hold newlines).
  int64_t lines_consumed() const { return lines_consumed_; }
  const char* position() const { return pos_; }
  // Whether a quote opened in the last line never closed (the field ran to the end of the input).
  bool quote_unclosed() const { return quote_unclosed_; }

 private:
  enum CharClass : uint8_t { kPlain = 0, kStop = 1 };
  struct QuotedSpan {
    size_t field, offset, length;  // fields_[field] is scratch_[offset, offset + length)
  };
  bool at_comment() const;
  bool at_field_end() const;
  void skip_plain();   // to the end of the current field
  void finish_line();  // consumes the rest of the line and its terminator
  void read_quoted_field();
  void read_unquoted_field();

  Dialect dialect_;
  const char* pos_;
  const char* end_;
  uint8_t char_class_[256];
  bool comment_first_[256];  // the first characters of comments
  std::vector<std::string_view> fields_;
  std::vector<QuotedSpan> quoted_;  // pointed into scratch_ only at the line end (it may grow)
  std::string scratch_;             // unescaped quoted fields of the current line
  int64_t lines_consumed_ = 0;
  bool quote_unclosed_ = false;
};

}  // namespace numfuse::algorithms::text
