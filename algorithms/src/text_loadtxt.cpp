// loadtxt of text_io.hpp: every piece of the text parsed on its own into rows of the target dtype,
// then the pieces checked in file order (column counts, the first bad field) and copied into one
// table. Row and line numbers of messages are NumPy's, plus the line of the file.
#include <algorithm>
#include <cstring>
#include <limits>

#include "numfuse/algorithms/pooled_vector.hpp"
#include "numfuse/algorithms/text_chunks.hpp"
#include "numfuse/algorithms/text_io.hpp"
#include "numfuse/algorithms/text_number.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms::text {

namespace {

struct PieceError {
  enum Kind { kNone, kConvert, kColumns, kUsecol } kind = kNone;
  int64_t row = 0;     // data row in the piece, 0-based
  int64_t line = 0;    // line in the piece, 0-based
  int64_t column = 0;  // kConvert: 1-based column of the line; kUsecol: the usecols entry
  int64_t fields = 0;  // fields on that line
  std::string token;
};

struct Piece {
  PooledVector<std::byte> values;  // rows x columns elements, row-major
  int64_t rows = 0;
  int64_t columns = -1;      // values per row; -1 before the first row
  int64_t first_row_line = 0;
  int64_t lines = 0;
  int64_t first_empty_line = -1;  // 0-based in the piece, -1: none
  int64_t rows_before_empty = 0;
  PieceError error;
};

class PieceReader {
 public:
  explicit PieceReader(const LoadtxtOptions& options)
      : options_(options),
        parse_(field_parser(options.dtype)),
        itemsize_(static_cast<size_t>(itemsize(options.dtype))),
        fast_(!options.has_usecols && (options.dtype == DType::Float64 || options.dtype == DType::Float32)) {}

  // Reads at most `row_cap` rows of [begin, end) into `piece`, stopping at the first error.
  void read(const char* begin, const char* end, int64_t row_cap, Piece& piece) const {
    LineTokenizer lines(options_.dialect, begin, end);
    for (const char* pos = begin; piece.rows < row_cap && pos != end; pos = lines.position()) {
      if (piece.rows == 1 && pos > begin) {  // room for the rows the piece likely holds: no regrowth copies
        piece.values.reserve(static_cast<size_t>(((end - begin) / (pos - begin) * 5 / 4 + 16) * piece.columns) * itemsize_);
      }
      if (fast_ && piece.columns > 0) {
        if (const char* next = read_plain_row(pos, end, piece)) {
          lines.reset(next);
          ++piece.lines;
          ++piece.rows;
          continue;
        }
      }
      lines.reset(pos);
      lines.next_line();
      const int64_t line = piece.lines;
      piece.lines += lines.lines_consumed();
      const auto& fields = lines.fields();
      // genfromtxt strips only spaces around a line: a lone tab is a field, not a blank line
      if (fields.empty() ||
          (options_.lenient && fields.size() == 1 && fields[0].find_first_not_of(' ') == std::string_view::npos)) {
        if (piece.first_empty_line < 0) {
          piece.first_empty_line = line;
          piece.rows_before_empty = piece.rows;
        }
        continue;
      }
      const int64_t count = static_cast<int64_t>(fields.size());
      const int64_t width = options_.has_usecols ? static_cast<int64_t>(options_.usecols.size()) : count;
      if (piece.columns < 0) {
        piece.columns = width;
        piece.first_row_line = line;
      } else if (width != piece.columns) {
        return fail(piece, {PieceError::kColumns, piece.rows, line, 0, count, {}});
      }
      const size_t at = piece.values.size();
      piece.values.resize(at + static_cast<size_t>(width) * itemsize_);
      std::byte* out = piece.values.data() + at;
      for (int64_t c = 0; c < width; ++c) {
        int64_t source = c;
        if (options_.has_usecols) {
          source = options_.usecols[static_cast<size_t>(c)];
          if (source < 0) source += count;
          if (source < 0 || source >= count) {
            piece.values.resize(at);
            return fail(piece, {PieceError::kUsecol, piece.rows, line, options_.usecols[static_cast<size_t>(c)], count, {}});
          }
        }
        const std::string_view field = fields[static_cast<size_t>(source)];
        if (!parse_field(field, out + static_cast<size_t>(c) * itemsize_)) {
          piece.values.resize(at);
          return fail(piece, {PieceError::kConvert, piece.rows, line, source + 1, count, std::string(field.substr(0, 100))});
        }
      }
      ++piece.rows;
    }
  }

 private:
  bool parse_field(std::string_view field, std::byte* out) const {
    if (!options_.lenient) return parse_(field, out);
    double value;
    store_float(parse_double(field, value) ? value : options_.filling, out);
    return true;
  }

  void store_float(double value, std::byte* out) const {
    if (options_.dtype == DType::Float64) {
      std::memcpy(out, &value, 8);
    } else {
      const float narrow = static_cast<float>(value);
      std::memcpy(out, &narrow, 4);
    }
  }

  // The fast path: a line of exactly piece.columns plain numbers, scanned without tokenizing.
  // nullptr (nothing kept) for anything else: the tokenizer then reads the line.
  const char* read_plain_row(const char* p, const char* end, Piece& piece) const {
    const size_t at = piece.values.size();
    piece.values.resize(at + static_cast<size_t>(piece.columns) * itemsize_);
    std::byte* out = piece.values.data() + at;
    for (int64_t c = 0; p != nullptr && c < piece.columns; ++c) {
      double value;
      p = scan_double(p, end, value);
      if (p == nullptr) break;
      store_float(value, out + static_cast<size_t>(c) * itemsize_);
      p = c + 1 < piece.columns ? scan_separator(p, end, options_.dialect.delimiter) : scan_line_end(p, end);
    }
    if (p == nullptr) piece.values.resize(at);
    return p;
  }

  static void fail(Piece& piece, PieceError error) { piece.error = std::move(error); }

  const LoadtxtOptions& options_;
  FieldParser parse_;
  size_t itemsize_;
  bool fast_;  // float rows of every column may take the fast path
};

// NumPy's message for the error, with absolute rows, and the line of the file added.
[[noreturn]] void raise(const PieceError& e, int64_t rows_before, int64_t line_before, int64_t columns,
                        const LoadtxtOptions& options) {
  const std::string line = std::to_string(line_before + e.line + 1);
  const int64_t row = rows_before + e.row;
  const DType dtype = options.dtype;
  if (e.kind == PieceError::kColumns && options.lenient) {
    throw_value_error("Some errors were detected !\n    Line #" + line + " (got " + std::to_string(e.fields) +
                      " columns instead of " + std::to_string(columns) + ")");
  }
  switch (e.kind) {
    case PieceError::kConvert:
      throw_value_error("could not convert string '" + e.token + "' to " + std::string(name(dtype)) + " at row " +
                        std::to_string(row) + ", column " + std::to_string(e.column) + " (line " + line + ").");
    case PieceError::kColumns:
      throw_value_error("the number of columns changed from " + std::to_string(columns) + " to " +
                        std::to_string(e.fields) + " at row " + std::to_string(row + 1) + " (line " + line +
                        "); use `usecols` to select a subset and avoid this error");
    default:  // kUsecol
      throw_value_error("invalid column index " + std::to_string(e.column) + " at row " + std::to_string(row + 1) +
                        " with " + std::to_string(e.fields) + " columns (line " + line + ")");
  }
}

}  // namespace

LoadtxtResult loadtxt(const char* begin, const char* end, const LoadtxtOptions& options) {
  const char* body = skip_lines(begin, end, options.skiprows);
  const std::vector<const char*> cuts = split_at_lines(options.dialect, body, end, options.piece_bytes);
  const int count = static_cast<int>(cuts.size()) - 1;
  std::vector<Piece> pieces(static_cast<size_t>(count));
  const int64_t cap = options.max_rows < 0 ? std::numeric_limits<int64_t>::max() : options.max_rows;
  const PieceReader reader(options);

  // Rows of the batches read so far bound what a later piece can still contribute.
  int64_t rows_read = 0;
  int parsed = 0;
  parse_in_batches(
      count, [&](int i) { reader.read(cuts[i], cuts[i + 1], cap - rows_read, pieces[i]); },
      [&](int done) {
        bool failed = false;
        for (; parsed < done; ++parsed) {
          rows_read += pieces[parsed].rows;
          failed = failed || pieces[parsed].error.kind != PieceError::kNone;
        }
        return !failed && rows_read < cap;
      });

  // In file order: the first piece whose rows disagree or fail decides the error.
  LoadtxtResult result;
  int64_t rows = 0, line = options.skiprows, columns = -1;
  std::vector<int64_t> first_row(static_cast<size_t>(parsed));
  int used = 0;
  for (; used < parsed && rows < cap; ++used) {
    const Piece& p = pieces[used];
    if (p.first_empty_line >= 0 && result.first_empty_line == 0 && p.rows_before_empty < cap - rows) {
      result.first_empty_line = line + p.first_empty_line + 1;
    }
    if (p.columns >= 0 && columns < 0) columns = p.columns;
    if (p.columns >= 0 && p.columns != columns && !options.has_usecols) {
      raise({PieceError::kColumns, 0, p.first_row_line, 0, p.columns, {}}, rows, line, columns, options);
    }
    if (p.error.kind != PieceError::kNone && p.error.row < cap - rows) {
      raise(p.error, rows, line, columns, options);
    }
    first_row[used] = rows;
    rows += std::min(p.rows, cap - rows);
    line += p.lines;
  }
  if (columns < 0) columns = options.has_usecols ? static_cast<int64_t>(options.usecols.size()) : 1;
  result.table = Array::empty(Shape{rows, columns}, options.dtype);
  const int64_t row_bytes = columns * itemsize(options.dtype);
  std::byte* out = result.table.data();
  ufuncs::parallel_for(used, [&](int i) {
    const int64_t end_row = i + 1 < used ? first_row[i + 1] : rows;
    const size_t bytes = static_cast<size_t>((end_row - first_row[i]) * row_bytes);
    if (bytes > 0) std::memcpy(out + first_row[i] * row_bytes, pieces[i].values.data(), bytes);
  });
  return result;
}

}  // namespace numfuse::algorithms::text
