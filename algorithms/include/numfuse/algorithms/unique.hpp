// unique and isin with NumPy's semantics (values equal as NumPy's == says: -0.0 == 0.0, NaN
// never equal except that unique's equal_nan groups all NaNs). unique hashes (unique_table.hpp,
// one table per thread, merged) when there are few distinct values and sorts otherwise; isin
// uses a lookup table or a robin-map set. Outputs are sorted as NumPy's either way.
#pragma once

#include "numfuse/core/array.hpp"

namespace numfuse::algorithms {

struct UniqueResult {
  Array values;   // the distinct values in NumPy's order, `a`'s dtype
  Array index;    // int64: first occurrence of each (in `a` flattened in C order)
  Array inverse;  // int64, a's size: the group of every element
  Array counts;   // int64: elements per group
};

// The arrays not asked for are left empty (default Arrays).
UniqueResult unique(const Array& a, bool equal_nan, bool want_index, bool want_inverse, bool want_counts);

// A bool array of element's shape: whether each element equals some element of `test` (both of
// one dtype; the caller promotes), negated when `invert`.
Array isin(const Array& element, const Array& test, bool invert);

}  // namespace numfuse::algorithms
