// read_csv of text_io.hpp. Each piece infers its columns on its own (only missing values so far
// -> bool, int64 or float64; an int column meeting a missing value or a float becomes float64, as
// in pandas); the pieces are then checked in file order and their columns joined at the widest
// kind. Plain numeric rows take the fast path (numbers scanned straight from the text).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "numfuse/algorithms/pooled_vector.hpp"
#include "numfuse/algorithms/text_chunks.hpp"
#include "numfuse/algorithms/text_io.hpp"
#include "numfuse/algorithms/text_number.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms::text {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

enum class Kind : uint8_t { Missing, Bool, Int, Float };  // Missing: no value but missing ones yet

// Whether a number's text is an integer ([blanks][sign]digits[blanks]): pandas parses a column as
// floats from its text only when some value is not one.
bool is_int_token(const char* text, size_t length) {
  std::string_view t = strip_blanks(std::string_view(text, length));
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct ColumnPiece {
  Kind kind = Kind::Missing;
  int64_t missing = 0;         // missing values before the first value (kind Missing until then)
  PooledVector<int64_t> ints;   // Bool (0/1) and Int
  PooledVector<double> floats;  // Float
  // The sign of an integer "-0" is kept as pandas keeps it: a column with a non-integer number
  // (float_token, in any piece) is parsed from its text as floats, -0 -> -0.0; one of integers
  // and missing values is parsed as integers first, -0 -> 0.0. Until a piece sees such a number,
  // its "-0"s are stored as 0 and their rows listed here.
  bool float_token = false;
  std::vector<int64_t> negative_zeros;

  int64_t rows() const { return kind == Kind::Float ? static_cast<int64_t>(floats.size()) : missing + static_cast<int64_t>(ints.size()); }

  void push_int(int64_t v, const char* text, size_t length) {
    if (v == 0 && std::memchr(text, '-', length) != nullptr) negative_zeros.push_back(rows());
    ints.push_back(v);
  }
  void push_float(double v, const char* text, size_t length) {
    if (!float_token) {
      if (!is_int_token(text, length)) {
        float_token = true;
      } else if (v == 0 && std::signbit(v)) {
        negative_zeros.push_back(rows());
        v = 0.0;
      }
    }
    floats.push_back(v);
  }
  void widen_to_float() {
    floats.reserve(std::max(ints.size(), static_cast<size_t>(missing)) + 1);
    floats.assign(static_cast<size_t>(missing), kMissing);  // the missing values that came first
    for (int64_t v : ints) floats.push_back(static_cast<double>(v));
    ints = {};
    kind = Kind::Float;
  }
  void drop_last() {
    if (!negative_zeros.empty() && negative_zeros.back() + 1 == rows()) negative_zeros.pop_back();
    if (kind == Kind::Float) floats.pop_back(); else ints.pop_back();
  }
};

struct CsvError {
  enum Kind { kConvert, kFields, kBoolMissing, kQuote } kind;
  int64_t line;    // in the piece, 0-based
  int64_t column;  // 0-based; kFields: the fields seen
  std::string token;
};

struct CsvPiece {
  std::vector<ColumnPiece> columns;
  int64_t rows = 0;
  int64_t lines = 0;
  int64_t first_row_line = -1;
  std::optional<CsvError> error;
};

bool parse_bool(std::string_view s, int64_t& out) {
  if (s == "True" || s == "TRUE" || s == "true") return out = 1, true;
  if (s == "False" || s == "FALSE" || s == "false") return out = 0, true;
  return false;
}

class CsvPieceReader {
 public:
  CsvPieceReader(const CsvOptions& options, size_t columns) : options_(options), columns_(columns) {}

  void read(const char* begin, const char* end, CsvPiece& piece) const {
    piece.columns.resize(columns_);
    LineTokenizer lines(options_.dialect, begin, end);
    for (const char* pos = begin; pos != end; pos = lines.position()) {
      if (piece.rows == 1 && pos > begin) reserve(piece, (end - begin) / (pos - begin) * 5 / 4 + 16);
      if (const char* next = read_plain_row(pos, end, piece)) {
        lines.reset(next);
        note_row(piece, piece.lines++);
        continue;
      }
      lines.reset(pos);
      lines.next_line();
      const int64_t line = piece.lines;
      piece.lines += lines.lines_consumed();
      if (lines.quote_unclosed()) return fail(piece, {CsvError::kQuote, line, 0, {}});
      const auto& fields = lines.fields();
      if (fields.empty() || (fields.size() == 1 && strip_blanks(fields[0]).empty())) continue;  // blank line
      if (fields.size() != columns_) {
        return fail(piece, {CsvError::kFields, line, static_cast<int64_t>(fields.size()), {}});
      }
      for (size_t c = 0; c < columns_; ++c) {
        if (const auto bad = add_field(piece.columns[c], fields[c])) {
          for (size_t j = 0; j < c; ++j) piece.columns[j].drop_last();
          return fail(piece, {*bad, line, static_cast<int64_t>(c), std::string(fields[c].substr(0, 100))});
        }
      }
      note_row(piece, line);
    }
  }

 private:
  // Room for the rows the piece likely holds (from its first row's length): no regrowth copies.
  static void reserve(CsvPiece& piece, int64_t rows) {
    for (ColumnPiece& col : piece.columns) {
      if (col.kind == Kind::Float) col.floats.reserve(static_cast<size_t>(rows));
      if (col.kind == Kind::Int || col.kind == Kind::Bool) col.ints.reserve(static_cast<size_t>(rows));
    }
  }
  static void note_row(CsvPiece& piece, int64_t line) {
    if (piece.first_row_line < 0) piece.first_row_line = line;
    ++piece.rows;
  }
  static void fail(CsvPiece& piece, CsvError error) { piece.error = std::move(error); }

  // As pandas: the field exactly (a field of blanks is text, not missing).
  bool is_missing(std::string_view field) const {
    return field.empty() || std::find(options_.na_values.begin(), options_.na_values.end(), field) != options_.na_values.end();
  }

  // Appends one field to its column, widening the column's kind as needed; the error kind if the
  // field fits no kind the column can take.
  std::optional<CsvError::Kind> add_field(ColumnPiece& col, std::string_view field) const {
    int64_t i;
    double d;
    switch (col.kind) {
      case Kind::Float:
        if (parse_double(field, d)) return col.push_float(d, field.data(), field.size()), std::nullopt;
        if (is_missing(field)) return col.floats.push_back(kMissing), std::nullopt;
        return CsvError::kConvert;
      case Kind::Int:
        if (parse_int64(field, i)) return col.push_int(i, field.data(), field.size()), std::nullopt;
        if (parse_double(field, d)) {
          col.widen_to_float();
          return col.push_float(d, field.data(), field.size()), std::nullopt;
        }
        if (is_missing(field)) {
          col.widen_to_float();
          return col.floats.push_back(kMissing), std::nullopt;
        }
        return CsvError::kConvert;
      case Kind::Bool:
        if (parse_bool(strip_blanks(field), i)) return col.ints.push_back(i), std::nullopt;
        return is_missing(field) ? CsvError::kBoolMissing : CsvError::kConvert;
      case Kind::Missing:
        if (is_missing(field)) return ++col.missing, std::nullopt;
        if (parse_int64(field, i)) {
          col.kind = Kind::Int;
          col.push_int(i, field.data(), field.size());
          if (col.missing > 0) col.widen_to_float();
          return std::nullopt;
        }
        if (parse_double(field, d)) {
          col.widen_to_float();
          return col.push_float(d, field.data(), field.size()), std::nullopt;
        }
        if (parse_bool(strip_blanks(field), i)) {
          if (col.missing > 0) return CsvError::kBoolMissing;
          col.kind = Kind::Bool;
          return col.ints.push_back(i), std::nullopt;
        }
        return CsvError::kConvert;
    }
    return CsvError::kConvert;
  }

  // The fast path: a row of plain numbers in columns already int or float, scanned without
  // tokenizing; nullptr (nothing kept) for anything else.
  const char* read_plain_row(const char* p, const char* end, CsvPiece& piece) const {
    size_t c = 0;
    for (; c < columns_ && p != nullptr; ++c) {
      ColumnPiece& col = piece.columns[c];
      if (col.kind == Kind::Float) {
        double v;
        const char* start = p;
        if ((p = scan_double(p, end, v)) != nullptr) col.push_float(v, start, static_cast<size_t>(p - start));
      } else if (col.kind == Kind::Int) {
        int64_t v;
        const char* start = p;
        if ((p = scan_int64(p, end, v)) != nullptr) col.push_int(v, start, static_cast<size_t>(p - start));
      } else {
        p = nullptr;
      }
      if (p == nullptr) break;
      p = c + 1 < columns_ ? scan_separator(p, end, options_.dialect.delimiter) : scan_line_end(p, end);
      if (p == nullptr) {
        ++c;  // its value was kept: drop it below too
        break;
      }
    }
    if (p == nullptr) {
      for (size_t j = 0; j < c; ++j) piece.columns[j].drop_last();
    }
    return p;
  }

  const CsvOptions& options_;
  size_t columns_;
};

std::string quoted(const std::string& s) { return "'" + s + "'"; }

[[noreturn]] void raise(const CsvError& e, int64_t line_before, const std::vector<std::string>& names, Kind kind) {
  const std::string line = std::to_string(line_before + e.line + 1);
  const std::string where = " at line " + line + ", column " + std::to_string(e.column + 1) + " (" +
                            quoted(e.column < static_cast<int64_t>(names.size()) ? names[e.column] : "") + ")";
  switch (e.kind) {
    case CsvError::kConvert: {
      const char* target = kind == Kind::Bool ? "bool" : kind == Kind::Float ? "float64" : "a number or bool";
      throw_value_error("could not convert string " + quoted(e.token) + " to " + target + where +
                        ": read_csv reads numbers and booleans only");
    }
    case CsvError::kBoolMissing:
      throw_value_error("a missing value in a bool column" + where + " (bool has no missing value)");
    case CsvError::kFields:
      throw_value_error("Error tokenizing data: Expected " + std::to_string(names.size()) + " fields in line " + line + ", saw " +
                        std::to_string(e.column));
    default:
      throw_value_error("the quote opened on line " + line + " is not closed before the end of the input");
  }
}

// The kind of a whole column: the pieces' kinds joined; bool does not join with anything else.
Kind joined_kind(const std::vector<CsvPiece>& pieces, int used, size_t c, const std::vector<int64_t>& first_line,
                 const std::vector<std::string>& names) {
  std::optional<Kind> kind;
  for (int i = 0; i < used; ++i) {
    if (pieces[i].rows == 0) continue;
    const Kind k = pieces[i].columns[c].kind;
    if (kind && (*kind == Kind::Bool) != (k == Kind::Bool)) {
      throw_value_error("column " + quoted(names[c]) + " mixes booleans with numbers or missing values (from line " +
                        std::to_string(first_line[i] + 1) + ")");
    }
    kind = !kind ? k : std::max(*kind, k);
  }
  if (!kind || *kind == Kind::Missing) return Kind::Float;
  return *kind;
}

// A piece's column into the joined column (of `kind`); `signed_zeros`: some piece of the column
// has a non-integer number, so its integer "-0"s read -0.0 (ColumnPiece).
void copy_column(const ColumnPiece& col, Kind kind, int64_t rows, bool signed_zeros, std::byte* out) {
  if (kind == Kind::Float) {
    double* dst = reinterpret_cast<double*>(out);
    if (col.kind == Kind::Float) std::copy(col.floats.begin(), col.floats.end(), dst);
    else if (col.kind == Kind::Missing) std::fill(dst, dst + rows, kMissing);
    else std::transform(col.ints.begin(), col.ints.end(), dst, [](int64_t v) { return static_cast<double>(v); });
    if (signed_zeros) for (int64_t row : col.negative_zeros) dst[row] = -0.0;
  } else if (kind == Kind::Int) {
    std::copy(col.ints.begin(), col.ints.end(), reinterpret_cast<int64_t*>(out));
  } else {
    std::transform(col.ints.begin(), col.ints.end(), reinterpret_cast<bool*>(out), [](int64_t v) { return v != 0; });
  }
}

}  // namespace

CsvResult read_csv(const char* begin, const char* end, const CsvOptions& options) {
  if (end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;  // UTF-8 byte order mark
  CsvResult result;
  const char* after_skipped = skip_lines(begin, end, options.skiprows);
  LineTokenizer first(options.dialect, after_skipped, end);
  int64_t lines_before = options.skiprows;
  const char* body = begin;
  for (;;) {
    const char* line_start = first.position();
    if (!first.next_line()) throw_value_error("No columns to parse from file");
    const auto& fields = first.fields();
    if (fields.empty() || (fields.size() == 1 && strip_blanks(fields[0]).empty())) {
      lines_before += first.lines_consumed();
      continue;
    }
    for (size_t c = 0; c < fields.size(); ++c) {
      result.names.push_back(options.header ? std::string(fields[c]) : std::to_string(c));
    }
    body = options.header ? first.position() : line_start;
    if (options.header) lines_before += first.lines_consumed();
    break;
  }
  const size_t columns = result.names.size();
  const std::vector<const char*> cuts = split_at_lines(options.dialect, body, end, options.piece_bytes);
  const int count = static_cast<int>(cuts.size()) - 1;
  std::vector<CsvPiece> pieces(static_cast<size_t>(count));
  const CsvPieceReader reader(options, columns);
  int used = 0;
  if (options.progress) {
    parse_in_batches(
        count, [&](int i) { reader.read(cuts[i], cuts[i + 1], pieces[i]); },
        [&](int done) {
          options.progress(cuts[done] - begin, end - begin);
          bool failed = false;
          for (; used < done; ++used) failed = failed || pieces[used].error.has_value();
          return !failed;
        });
  } else {
    used = parse_until_failure(count, [&](int i) {
      reader.read(cuts[i], cuts[i + 1], pieces[i]);
      return !pieces[i].error.has_value();
    });
  }

  std::vector<int64_t> first_row(static_cast<size_t>(used) + 1), first_line(static_cast<size_t>(used));
  int64_t line = lines_before;
  for (int i = 0; i < used; ++i) {
    const CsvPiece& p = pieces[i];
    if (p.error) {
      const Kind kind = p.error->column < static_cast<int64_t>(columns) && p.error->kind != CsvError::kFields
                            ? p.columns[static_cast<size_t>(p.error->column)].kind : Kind::Missing;
      raise(*p.error, line, result.names, kind);
    }
    first_row[i + 1] = first_row[i] + p.rows;
    first_line[i] = line + std::max<int64_t>(p.first_row_line, 0);
    line += p.lines;
  }
  const int64_t rows = first_row[used];
  std::vector<Kind> kinds(columns);
  std::vector<char> signed_zeros(columns);
  for (size_t c = 0; c < columns; ++c) {
    for (int i = 0; i < used; ++i) signed_zeros[c] |= pieces[i].columns[c].float_token;
    kinds[c] = joined_kind(pieces, used, c, first_line, result.names);
    const DType dtype = kinds[c] == Kind::Float ? DType::Float64 : kinds[c] == Kind::Int ? DType::Int64 : DType::Bool;
    result.columns.push_back(Array::empty(Shape{rows}, dtype));
  }
  ufuncs::parallel_for(used, [&](int i) {
    for (size_t c = 0; c < columns; ++c) {
      const Array& out = result.columns[c];
      copy_column(pieces[i].columns[c], kinds[c], pieces[i].rows, signed_zeros[c], out.data() + first_row[i] * out.itemsize());
    }
  });
  return result;
}

}  // namespace numfuse::algorithms::text
