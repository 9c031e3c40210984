// Eager application of an elementwise op to whole arrays: broadcasting, dtype resolution,
// block-wise casting to the loop dtype, overlap handling and axis collapsing around the kernels.
#pragma once

#include <optional>
#include <vector>

#include "numfuse/core/array.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "numfuse/ufuncs/promotion.hpp"

namespace numfuse::ufuncs {

struct Operand {
  Array array;              // weak scalars: a 0-d int64/float64/complex128 array
  Weak weak = Weak::None;
};

// out: written in place (NumPy's out=): its shape must equal the broadcast shape and the result
// must cast to its dtype under 'same_kind'. Returns the output array.
Array apply_elementwise(OpId op, const std::vector<Operand>& inputs,
                        const std::optional<Array>& out = std::nullopt);

// Same, for plain arrays (no weak scalars).
Array apply_elementwise(OpId op, const std::vector<Array>& inputs,
                        const std::optional<Array>& out = std::nullopt);

}  // namespace numfuse::ufuncs
