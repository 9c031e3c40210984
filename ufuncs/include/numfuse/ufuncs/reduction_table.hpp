// The reductions' view of the op table. The entries themselves are the NUMFUSE_REDUCTION_OPS lines
// of op_table.hpp (the single source of truth for every op):
//   X(name, kind, folds, dtype_rule, identity)
//   name        NumPy's function name (the enum value here, `reduce_<name>` in OpId)
//   kind        Reduction (folds the reduced axes to one value) or Cumulative (running fold)
//   folds       the elementwise op folded with (add, multiply, minimum, fmin, ...), or none when
//               the fold is not one binary op (mean, var, argmax)
//   dtype_rule  how the accumulator/result dtype follows from the input (ReductionDTypeRule)
//   identity    the value an empty reduction starts from (Zero, One, False, True), or None when an
//               empty reduction is an error (min, max, argmin, ...) or NaN (mean, var)
// The eager engine (reduce.hpp), the Python functions and the table-driven tests walk this table;
// adding a reduction is one line in op_table.hpp plus its block kernel (reduce_kernels.hpp,
// reduce_extrema.hpp, reduce_moments.hpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse {

enum class ReductionOp : uint8_t {
#define NUMFUSE_X(name, ...) name,
  NUMFUSE_REDUCTION_OPS(NUMFUSE_X)
#undef NUMFUSE_X
};

enum class ReductionKind : uint8_t { Reduction, Cumulative };

// Result dtypes, as NumPy 2 computes them when dtype= is not given:
//   SumLike   bool and signed ints narrower than int64 -> int64, unsigned -> uint64, else same
//   Same      the input dtype (min, max)
//   MeanLike  bool/ints -> float64, else same
//   VarLike   bool/ints -> float64, complex -> its real dtype, else same
//   Index     int64 (argmin, argmax)
//   Bool      bool (any, all)
enum class ReductionDTypeRule : uint8_t { SumLike, Same, MeanLike, VarLike, Index, Bool };

enum class ReductionIdentity : uint8_t { None, Zero, One, False, True };

struct ReductionInfo {
  std::string_view name;
  ReductionKind kind;
  std::string_view folds;  // op-table name of the folded elementwise op, "none" if not one op
  ReductionDTypeRule dtype_rule;
  ReductionIdentity identity;
};

inline constexpr ReductionInfo kReductionTable[] = {
#define NUMFUSE_X(name, kind, folds, rule, identity)                                        \
  {#name, ReductionKind::kind, #folds, ReductionDTypeRule::rule, ReductionIdentity::identity},
    NUMFUSE_REDUCTION_OPS(NUMFUSE_X)
#undef NUMFUSE_X
};

inline constexpr int kNumReductions = sizeof(kReductionTable) / sizeof(kReductionTable[0]);

inline const ReductionInfo& info(ReductionOp op) { return kReductionTable[static_cast<int>(op)]; }

// Whether op's IEEE flags are NumPy's (sums, products, means, variances overflow as NumPy's
// add.reduce does: "overflow encountered in reduce"); the comparisons of min/max/arg* signal on
// NaN, which NumPy never reports, so their flags are dropped (ufuncs/fp_status.hpp).
inline bool reduction_reports_fp_flags(ReductionOp op) {
  const ReductionDTypeRule r = info(op).dtype_rule;
  return r == ReductionDTypeRule::SumLike || r == ReductionDTypeRule::MeanLike || r == ReductionDTypeRule::VarLike;
}

// Throws ValueError for a name that is not in the table.
ReductionOp reduction_from_name(std::string_view name);

// The dtype the fold accumulates in: `requested` (dtype=) when given, else the table's rule
// applied to the input. For VarLike this is the dtype of the mean (complex stays complex).
DType reduction_accumulator_dtype(ReductionOp op, DType input, const DType* requested);
// The dtype of the result array, given the accumulator dtype.
DType reduction_result_dtype(ReductionOp op, DType accumulator);

}  // namespace numfuse
