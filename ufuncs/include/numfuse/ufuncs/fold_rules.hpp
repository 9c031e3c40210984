// The ufunc methods' fold rules of the op table's binary ops (a column of the table kept beside
// it, so the kernels that include op_table.hpp do not depend on it). Every op not listed has no
// identity and is not reorderable, as np.subtract. Identity: ufunc.identity, the start of an
// empty reduce and of every non-empty one (NumPy's, so np.add.reduce([-0.0]) is 0.0);
// Reorderable: no identity, yet several axes may be reduced at once (np.maximum).
#pragma once

#include <cstdint>

#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::ufuncs {

// clang-format off
#define NUMFUSE_UFUNC_FOLD_RULES(X)                                                  \
  X(add, Zero) X(multiply, One) X(logaddexp, MinusInf) X(logaddexp2, MinusInf)       \
  X(hypot, Zero) X(logical_and, True) X(logical_or, False) X(logical_xor, False)     \
  X(bitwise_and, MinusOne) X(bitwise_or, Zero) X(bitwise_xor, Zero)                  \
  X(maximum, Reorderable) X(minimum, Reorderable) X(fmax, Reorderable) X(fmin, Reorderable) \
  X(gcd, Zero)
// clang-format on

enum class FoldRule : uint8_t { NotReorderable, Reorderable, Zero, One, MinusOne, MinusInf, False, True };

constexpr FoldRule ufunc_fold_rule(OpId op) {
  switch (op) {
#define NUMFUSE_X(id, rule) case OpId::id: return FoldRule::rule;
    NUMFUSE_UFUNC_FOLD_RULES(NUMFUSE_X)
#undef NUMFUSE_X
    default: return FoldRule::NotReorderable;
  }
}

}  // namespace numfuse::ufuncs
