// Text tables to arrays: loadtxt (one dtype for every column, NumPy's rules and messages) and
// read_csv (a header, then columns whose dtype is inferred: bool, int64 or float64, as pandas'
// C engine). Both parse pieces of the text in parallel (text_chunks.hpp) and raise ValueError
// (numfuse::Error) naming the line and column of the first bad field; nothing is skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "numfuse/algorithms/text_tokenize.hpp"
#include "numfuse/core/array.hpp"

namespace numfuse::algorithms::text {

inline constexpr int64_t kPieceBytes = 1 << 20;

struct LoadtxtOptions {
  Dialect dialect;
  DType dtype = DType::Float64;
  int64_t skiprows = 0;             // physical lines skipped first
  int64_t max_rows = -1;            // data rows read at most; -1: all
  bool has_usecols = false;
  std::vector<int64_t> usecols;     // negative counts from each line's end
  int64_t piece_bytes = kPieceBytes;
  // genfromtxt's (loose) reading of float columns: a field that is no number (empty, a missing
  // marker, text) becomes `filling`, a line of blanks has no data, a ragged line gets
  // genfromtxt's message.
  bool lenient = false;
  double filling = 0;
};

struct LoadtxtResult {
  Array table;                   // (rows, columns) of options.dtype, C order
  int64_t first_empty_line = 0;  // 1-based line of the first line without data among those read; 0: none
};

LoadtxtResult loadtxt(const char* begin, const char* end, const LoadtxtOptions& options);

struct CsvOptions {
  Dialect dialect{',', '"', {}};         // comments make comment-only lines blank
  int64_t skiprows = 0;                  // physical lines skipped before the header
  bool header = true;                    // the first non-empty line names the columns
  std::vector<std::string> na_values;    // fields read as missing (NaN); empty fields always are
  int64_t piece_bytes = kPieceBytes;
  // Called between batches of pieces, on the calling thread, with (bytes parsed, bytes in all).
  std::function<void(int64_t, int64_t)> progress;
};

struct CsvResult {
  std::vector<std::string> names;  // as in the header (unescaped); "0", "1", ... without one
  std::vector<Array> columns;      // 1-D: bool, int64 or float64
};

CsvResult read_csv(const char* begin, const char* end, const CsvOptions& options);

}  // namespace numfuse::algorithms::text
