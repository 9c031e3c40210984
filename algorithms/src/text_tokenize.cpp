// LineTokenizer and the line-level helpers of text_tokenize.hpp.
#include "numfuse/algorithms/text_tokenize.hpp"

#include <algorithm>
#include <cstring>

namespace numfuse::algorithms::text {

LineTokenizer::LineTokenizer(const Dialect& dialect, const char* begin, const char* end)
    : dialect_(dialect), pos_(begin), end_(end) {
  std::fill(std::begin(char_class_), std::end(char_class_), kPlain);
  char_class_[static_cast<uint8_t>('\n')] = char_class_[static_cast<uint8_t>('\r')] = kStop;
  if (dialect_.delimiter != 0) {
    char_class_[static_cast<uint8_t>(dialect_.delimiter)] = kStop;
  } else {
    for (char c : {' ', '\t', '\v', '\f'}) char_class_[static_cast<uint8_t>(c)] = kStop;
  }
  std::fill(std::begin(comment_first_), std::end(comment_first_), false);
  for (const std::string& c : dialect_.comments) {
    char_class_[static_cast<uint8_t>(c[0])] = kStop;
    comment_first_[static_cast<uint8_t>(c[0])] = true;
  }
}

bool LineTokenizer::at_comment() const {
  if (pos_ == end_ || !comment_first_[static_cast<uint8_t>(*pos_)]) return false;
  for (const std::string& c : dialect_.comments) {
    if (static_cast<size_t>(end_ - pos_) >= c.size() && std::memcmp(pos_, c.data(), c.size()) == 0) return true;
  }
  return false;
}

// Whether the character at pos_ ends the current field.
bool LineTokenizer::at_field_end() const {
  if (pos_ == end_) return true;
  const char c = *pos_;
  if (is_newline(c)) return true;
  if (dialect_.delimiter != 0 ? c == dialect_.delimiter : is_blank(c)) return true;
  return at_comment();
}

void LineTokenizer::skip_plain() {
  for (;;) {
    while (pos_ != end_ && char_class_[static_cast<uint8_t>(*pos_)] == kPlain) ++pos_;
    if (at_field_end()) return;
    ++pos_;  // the first character of something that is not a comment after all
  }
}

void LineTokenizer::read_unquoted_field() {
  const char* start = pos_;
  skip_plain();
  fields_.emplace_back(start, static_cast<size_t>(pos_ - start));
}

void LineTokenizer::read_quoted_field() {
  const size_t start = scratch_.size();
  ++pos_;  // the opening quote
  for (;;) {
    const char* close = static_cast<const char*>(std::memchr(pos_, dialect_.quote, static_cast<size_t>(end_ - pos_)));
    const char* text_end = close != nullptr ? close : end_;
    scratch_.append(pos_, text_end);
    lines_consumed_ += std::count(pos_, text_end, '\n');
    if (close == nullptr) {
      pos_ = end_;
      quote_unclosed_ = true;
      break;
    }
    pos_ = close + 1;
    if (pos_ == end_ || *pos_ != dialect_.quote) break;
    scratch_ += dialect_.quote;  // "" inside quotes
    ++pos_;
  }
  const char* rest = pos_;  // text after the closing quote still belongs to the field ('"1"5' is 15)
  skip_plain();
  scratch_.append(rest, pos_);
  quoted_.push_back({fields_.size(), start, scratch_.size() - start});
  fields_.emplace_back();
}

void LineTokenizer::finish_line() {
  pos_ = next_line_start(pos_, end_);
  lines_consumed_ += 1;
  for (const QuotedSpan& q : quoted_) fields_[q.field] = std::string_view(scratch_.data() + q.offset, q.length);
}

bool LineTokenizer::next_line() {
  fields_.clear();
  quoted_.clear();
  scratch_.clear();
  lines_consumed_ = 0;
  if (pos_ == end_) return false;
  const bool whitespace = dialect_.delimiter == 0;
  if (whitespace) {
    while (pos_ != end_ && is_blank(*pos_)) ++pos_;
    if (pos_ == end_ || is_newline(*pos_) || at_comment()) {
      finish_line();
      return true;
    }
  }
  for (;;) {
    if (dialect_.quote != 0 && pos_ != end_ && *pos_ == dialect_.quote) {
      read_quoted_field();
    } else {
      read_unquoted_field();
    }
    if (pos_ == end_ || is_newline(*pos_) || at_comment()) break;
    if (whitespace) {
      while (pos_ != end_ && is_blank(*pos_)) ++pos_;
      if (pos_ == end_ || is_newline(*pos_) || at_comment()) break;
    } else {
      ++pos_;  // the delimiter
    }
  }
  finish_line();
  if (fields_.size() == 1 && fields_[0].empty() && quoted_.empty()) fields_.clear();
  return true;
}

}  // namespace numfuse::algorithms::text
