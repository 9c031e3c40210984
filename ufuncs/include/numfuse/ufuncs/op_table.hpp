// THE op table: every elementwise op numfuse knows, declared once. The enum OpId, the metadata
// returned by op_info(), the eager kernels (kernels_*.cpp), the Python functions and operators
// (python/numfuse/_ufuncs.py, through the list exported by the module) and the op-table tests are
// all generated from these lines. Adding an op = one line here + one functor in op_defs.hpp.
//
// Columns of NUMFUSE_ELEMENTWISE_OPS:
//   id       C++ identifier and NumPy's ufunc name
//   arity    number of inputs (one output always)
//   kind     Unary/Binary (same loop and output dtype, except the Real rule), Comparison (binary,
//            bool output), Predicate (unary, bool output), Ternary
//   rule     dtype resolution (see DTypeRule below)
//   loops    the loop dtypes a kernel exists for (NumPy's loop list restricted to our 13 dtypes)
//   flags    see OpFlags
//
// Reductions and cumulative ops go into NUMFUSE_REDUCTION_OPS (kinds Reduction/Cumulative),
// naming the elementwise op they fold with, so the graph and the JIT read one table for both.
#pragma once

#include <cstdint>
#include <string_view>

#include "numfuse/core/dtype.hpp"

namespace numfuse::ufuncs {

// Bit masks over DType (bit i = DType value i).
inline constexpr uint32_t dt_bit(DType d) { return 1u << static_cast<int>(d); }
inline constexpr uint32_t kB = dt_bit(DType::Bool);
inline constexpr uint32_t kI = dt_bit(DType::Int8) | dt_bit(DType::Int16) | dt_bit(DType::Int32) |
                               dt_bit(DType::Int64);
inline constexpr uint32_t kU = dt_bit(DType::UInt8) | dt_bit(DType::UInt16) |
                               dt_bit(DType::UInt32) | dt_bit(DType::UInt64);
inline constexpr uint32_t kF = dt_bit(DType::Float32) | dt_bit(DType::Float64);
inline constexpr uint32_t kC = dt_bit(DType::Complex64) | dt_bit(DType::Complex128);
inline constexpr uint32_t kIU = kI | kU;
inline constexpr uint32_t kBIU = kB | kIU;
inline constexpr uint32_t kIUF = kIU | kF;
inline constexpr uint32_t kIUFC = kIUF | kC;
inline constexpr uint32_t kBIUF = kB | kIUF;
inline constexpr uint32_t kAll = kB | kIUFC;
inline constexpr uint32_t kFC = kF | kC;
inline constexpr uint32_t kF64C128 = dt_bit(DType::Float64) | dt_bit(DType::Complex128);  // float_power

enum class OpKind : uint8_t { Unary, Binary, Comparison, Predicate, Ternary, Reduction, Cumulative };

// How the loop dtype and the output dtype follow from the (promoted) input dtypes:
//   Same:    loop = first supported loop the promoted inputs cast to safely (NumPy's default
//            resolver); output = loop.
//   Bool:    loop as Same; output bool (comparisons, predicates, logical ops).
//   Real:    loop as Same; output = the real component type of the loop (absolute, real, imag, angle).
//   Divide:  as Same, but integer/bool inputs use float64 (true_divide).
//   Where:   input 0 is cast to bool; inputs 1, 2 promote as Same.
enum class DTypeRule : uint8_t { Same, Bool, Real, Divide, Where };

enum OpFlags : uint8_t {
  kNoFlags = 0,
  kNoBool = 1,     // a bool input is a TypeError instead of being upcast to the first loop
  kBoolAsInt = 2,  // a bool input counts as int64 (np.angle(bool) is float64, as arctan2(0, b))
};

// clang-format off
#define NUMFUSE_ELEMENTWISE_OPS(X)                                  \
  /* arithmetic */                                                  \
  X(add,           2, Binary,     Same,   kAll,  kNoFlags)          \
  X(subtract,      2, Binary,     Same,   kIUFC, kNoBool)           \
  X(multiply,      2, Binary,     Same,   kAll,  kNoFlags)          \
  X(true_divide,   2, Binary,     Divide, kFC,   kNoFlags)          \
  X(floor_divide,  2, Binary,     Same,   kIUF,  kNoFlags)          \
  X(remainder,     2, Binary,     Same,   kIUF,  kNoFlags)          \
  X(fmod,          2, Binary,     Same,   kIUF,  kNoFlags)          \
  X(power,         2, Binary,     Same,   kIUFC, kNoFlags)          \
  X(float_power,   2, Binary,     Same,   kF64C128, kNoFlags)       \
  X(negative,      1, Unary,      Same,   kIUFC, kNoBool)           \
  X(positive,      1, Unary,      Same,   kIUFC, kNoBool)           \
  X(absolute,      1, Unary,      Real,   kAll,  kNoFlags)          \
  X(fabs,          1, Unary,      Same,   kF,    kNoFlags)          \
  X(sign,          1, Unary,      Same,   kIUFC, kNoBool)           \
  X(reciprocal,    1, Unary,      Same,   kIUFC, kNoFlags)          \
  X(square,        1, Unary,      Same,   kIUFC, kNoFlags)          \
  X(sqrt,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(cbrt,          1, Unary,      Same,   kF,    kNoFlags)          \
  /* exponential and logarithm */                                   \
  X(exp,           1, Unary,      Same,   kFC,   kNoFlags)          \
  X(exp2,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(expm1,         1, Unary,      Same,   kFC,   kNoFlags)          \
  X(log,           1, Unary,      Same,   kFC,   kNoFlags)          \
  X(log2,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(log10,         1, Unary,      Same,   kFC,   kNoFlags)          \
  X(log1p,         1, Unary,      Same,   kFC,   kNoFlags)          \
  X(logaddexp,     2, Binary,     Same,   kF,    kNoFlags)          \
  X(logaddexp2,    2, Binary,     Same,   kF,    kNoFlags)          \
  /* trigonometric and hyperbolic */                                \
  X(sin,           1, Unary,      Same,   kFC,   kNoFlags)          \
  X(cos,           1, Unary,      Same,   kFC,   kNoFlags)          \
  X(tan,           1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arcsin,        1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arccos,        1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arctan,        1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arctan2,       2, Binary,     Same,   kF,    kNoFlags)          \
  X(hypot,         2, Binary,     Same,   kF,    kNoFlags)          \
  X(sinh,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(cosh,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(tanh,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arcsinh,       1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arccosh,       1, Unary,      Same,   kFC,   kNoFlags)          \
  X(arctanh,       1, Unary,      Same,   kFC,   kNoFlags)          \
  X(deg2rad,       1, Unary,      Same,   kF,    kNoFlags)          \
  X(rad2deg,       1, Unary,      Same,   kF,    kNoFlags)          \
  X(radians,       1, Unary,      Same,   kF,    kNoFlags)          \
  X(degrees,       1, Unary,      Same,   kF,    kNoFlags)          \
  /* rounding and parts */                                          \
  X(floor,         1, Unary,      Same,   kBIUF, kNoFlags)          \
  X(ceil,          1, Unary,      Same,   kBIUF, kNoFlags)          \
  X(trunc,         1, Unary,      Same,   kBIUF, kNoFlags)          \
  X(rint,          1, Unary,      Same,   kFC,   kNoFlags)          \
  X(copysign,      2, Binary,     Same,   kF,    kNoFlags)          \
  X(nextafter,     2, Binary,     Same,   kF,    kNoFlags)          \
  X(spacing,       1, Unary,      Same,   kF,    kNoFlags)          \
  X(heaviside,     2, Binary,     Same,   kF,    kNoFlags)          \
  X(signbit,       1, Predicate,  Bool,   kF,    kNoFlags)          \
  X(conjugate,     1, Unary,      Same,   kIUFC, kNoFlags)          \
  X(real,          1, Unary,      Real,   kAll,  kNoFlags)          \
  X(imag,          1, Unary,      Real,   kAll,  kNoFlags)          \
  X(angle,         1, Unary,      Real,   kFC,   kBoolAsInt)          \
  /* comparison and logic */                                        \
  X(equal,         2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(not_equal,     2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(less,          2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(less_equal,    2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(greater,       2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(greater_equal, 2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(logical_and,   2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(logical_or,    2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(logical_xor,   2, Comparison, Bool,   kAll,  kNoFlags)          \
  X(logical_not,   1, Predicate,  Bool,   kAll,  kNoFlags)          \
  X(isnan,         1, Predicate,  Bool,   kAll,  kNoFlags)          \
  X(isinf,         1, Predicate,  Bool,   kAll,  kNoFlags)          \
  X(isfinite,      1, Predicate,  Bool,   kAll,  kNoFlags)          \
  X(maximum,       2, Binary,     Same,   kAll,  kNoFlags)          \
  X(minimum,       2, Binary,     Same,   kAll,  kNoFlags)          \
  X(fmax,          2, Binary,     Same,   kAll,  kNoFlags)          \
  X(fmin,          2, Binary,     Same,   kAll,  kNoFlags)          \
  X(clip,          3, Ternary,    Same,   kAll,  kNoFlags)          \
  X(where,         3, Ternary,    Where,  kAll,  kNoFlags)          \
  /* bitwise (integers and bool) */                                 \
  X(bitwise_and,   2, Binary,     Same,   kBIU,  kNoFlags)          \
  X(bitwise_or,    2, Binary,     Same,   kBIU,  kNoFlags)          \
  X(bitwise_xor,   2, Binary,     Same,   kBIU,  kNoFlags)          \
  X(invert,        1, Unary,      Same,   kBIU,  kNoFlags)          \
  X(left_shift,    2, Binary,     Same,   kIU,   kNoFlags)          \
  X(right_shift,   2, Binary,     Same,   kIU,   kNoFlags)          \
  /* number theory (integers) */                                    \
  X(gcd,           2, Binary,     Same,   kIU,   kNoBool)           \
  X(lcm,           2, Binary,     Same,   kIU,   kNoBool)

// Reductions: id, kind, the elementwise op they fold with (or `none`), the dtype rule and the
// identity (ReductionDTypeRule / ReductionIdentity in reduction_table.hpp, which documents them).
// Their block kernels and eager engine live in reduce*.hpp / reduce*.cpp; the ids share OpId so
// graph nodes need one enum.
#define NUMFUSE_REDUCTION_OPS(X)                             \
  X(sum,      Reduction,  add,         SumLike,  Zero)       \
  X(prod,     Reduction,  multiply,    SumLike,  One)        \
  X(max,      Reduction,  maximum,     Same,     None)       \
  X(min,      Reduction,  minimum,     Same,     None)       \
  X(any,      Reduction,  logical_or,  Bool,     False)      \
  X(all,      Reduction,  logical_and, Bool,     True)       \
  X(argmax,   Reduction,  none,        Index,    None)       \
  X(argmin,   Reduction,  none,        Index,    None)       \
  X(mean,     Reduction,  none,        MeanLike, None)       \
  X(var,      Reduction,  none,        VarLike,  None)       \
  X(std,      Reduction,  none,        VarLike,  None)       \
  X(nansum,   Reduction,  add,         SumLike,  Zero)       \
  X(nanmean,  Reduction,  none,        MeanLike, None)       \
  X(nanmax,   Reduction,  fmax,        Same,     None)       \
  X(nanmin,   Reduction,  fmin,        Same,     None)       \
  X(cumsum,   Cumulative, add,         SumLike,  Zero)       \
  X(cumprod,  Cumulative, multiply,    SumLike,  One)
// clang-format on

enum class OpId : uint16_t {
#define NUMFUSE_X(id, ...) id,
  NUMFUSE_ELEMENTWISE_OPS(NUMFUSE_X)
#undef NUMFUSE_X
  kNumElementwise,
  // `none` marks reductions without an elementwise fold op.
  none = kNumElementwise,
#define NUMFUSE_X(id, ...) reduce_##id,
  NUMFUSE_REDUCTION_OPS(NUMFUSE_X)
#undef NUMFUSE_X
  kEnd,
};

inline constexpr int kNumElementwiseOps = static_cast<int>(OpId::kNumElementwise);

struct OpInfo {
  std::string_view name;  // NumPy's name
  int arity;
  OpKind kind;
  DTypeRule rule;
  uint32_t loops;  // DType bit mask
  uint8_t flags;
  OpId fold;       // reductions: the elementwise op folded with (OpId::none if none)

  constexpr bool supports(DType d) const { return (loops & dt_bit(d)) != 0; }
};

inline constexpr OpInfo kOpInfos[] = {
#define NUMFUSE_X(id, arity, kind, rule, loops, flags) \
  {#id, arity, OpKind::kind, DTypeRule::rule, loops, flags, OpId::none},
    NUMFUSE_ELEMENTWISE_OPS(NUMFUSE_X)
#undef NUMFUSE_X
    {"none", 0, OpKind::Reduction, DTypeRule::Same, 0, kNoFlags, OpId::none},
#define NUMFUSE_X(id, kind, fold, ...) {#id, 1, OpKind::kind, DTypeRule::Same, kAll, kNoFlags, OpId::fold},
    NUMFUSE_REDUCTION_OPS(NUMFUSE_X)
#undef NUMFUSE_X
};
static_assert(sizeof(kOpInfos) / sizeof(kOpInfos[0]) == static_cast<size_t>(OpId::kEnd));

constexpr const OpInfo& op_info(OpId op) { return kOpInfos[static_cast<int>(op)]; }

}  // namespace numfuse::ufuncs
