// The ufunc methods of any op in the table, run with the op's own kernels: reduce, accumulate and
// reduceat as an in-order fold of rows (numfuse.ufunc in python/numfuse/_ufunc_object.py arranges
// the axes; add/multiply/min/max/any/all reduce through the fused reductions instead), and the
// unbuffered in-place `at`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "numfuse/core/array.hpp"
#include "numfuse/core/indexing.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::ufuncs {

// rows: shape (n, rest...), any layout and dtype, read as `loop` (op's loop dtype, whose output
// dtype must be `loop` too). Segment k folds rows starts[k] .. ends[k]-1 in order, starting from
// `initial` (a 0-d array) when given, else from row starts[k]; ends[k] <= starts[k] takes row
// starts[k] alone (NumPy's reduceat rule). Every start must be a row. `where` (bool, broadcast to
// rows' shape; needs `initial`) leaves the elements where it is false out of the fold. Result:
// (segments, rest...) in `loop`. Large inputs are cut by columns across the pool's threads (same
// bits on any thread count).
Array fold_segments(OpId op, DType loop, const Array& rows, std::span<const int64_t> starts,
                    std::span<const int64_t> ends, const std::optional<Array>& initial,
                    const std::optional<Array>& where = std::nullopt);

// The running fold along axis 0: result[0] = rows[0], result[i] = op(result[i-1], rows[i]).
Array fold_accumulate(OpId op, DType loop, const Array& rows);

// view[index] = op(view[index], values) position by position in C order of the index, so a
// repeated index applies the op again (NumPy's unbuffered ufunc.at). Values (none for a unary op)
// broadcast to view[index]'s shape; the op runs in `loop` with output dtype `result`, cast back
// to the view's dtype unsafely, as NumPy's at does.
void apply_at(OpId op, DType loop, DType result, const Array& view, const FancyIndex& index,
              const std::optional<Array>& values);

}  // namespace numfuse::ufuncs
