// Rows of a table as text, byte for byte as Python's `format % tuple(row)` writes them (what
// numpy.savetxt does) for printf-style conversions d/i/u and e/E/f/F/g/G with any flags, width
// and precision: C's snprintf renders finite values identically; NaN and inf are written the way
// Python writes them (no sign on NaN, zero padding kept).
#pragma once

#include <string>
#include <vector>

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms::text {

struct Conversion {
  std::string flags;      // any of "-+ 0#"
  int width = -1;         // -1: none
  int precision = -1;     // -1: none
  char type = 'e';        // d i u e E f F g G
};

struct RowFormat {
  std::vector<std::string> literals;     // text before each conversion, and after the last one
  std::vector<Conversion> conversions;   // one per column
};

// Appends rows [first, last) of the C-contiguous 2-D `table` to `out`, in parallel blocks.
// Returns false (out unspecified) when some value cannot be written as Python would without
// Python (an integer conversion of a NaN, inf or float beyond int64): the caller lets Python do it.
bool format_rows(const Array& table, const RowFormat& format, int64_t first, int64_t last, std::string& out);

}  // namespace numfuse::algorithms::text
