// The dtype rules of the reduction table (reduction_table.hpp).
#include <string>

#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/reduction_table.hpp"

namespace numfuse {

ReductionOp reduction_from_name(std::string_view name) {
  for (int i = 0; i < kNumReductions; ++i) {
    if (kReductionTable[i].name == name) return static_cast<ReductionOp>(i);
  }
  throw_value_error("unknown reduction '" + std::string(name) + "'");
}

namespace {

bool is_bool_or_integer(DType d) { return d == DType::Bool || is_integer(d); }

// NumPy's sum/prod upcast: everything narrower than the platform integer becomes it.
DType sum_dtype(DType input) {
  switch (input) {
    case DType::Bool:
    case DType::Int8:
    case DType::Int16:
    case DType::Int32: return DType::Int64;
    case DType::UInt8:
    case DType::UInt16:
    case DType::UInt32: return DType::UInt64;
    default: return input;
  }
}

}  // namespace

DType reduction_accumulator_dtype(ReductionOp op, DType input, const DType* requested) {
  const ReductionDTypeRule rule = info(op).dtype_rule;
  if (requested != nullptr) {
    // var/std of an integer dtype= would divide in integers; numfuse computes in float64 and casts
    // the result instead.
    if (rule == ReductionDTypeRule::VarLike && is_bool_or_integer(*requested)) return DType::Float64;
    return *requested;
  }
  switch (rule) {
    case ReductionDTypeRule::SumLike: return sum_dtype(input);
    case ReductionDTypeRule::MeanLike:
    case ReductionDTypeRule::VarLike: return is_bool_or_integer(input) ? DType::Float64 : input;
    case ReductionDTypeRule::Same:
    case ReductionDTypeRule::Index:
    case ReductionDTypeRule::Bool: return input;
  }
  __builtin_unreachable();
}

DType reduction_result_dtype(ReductionOp op, DType accumulator) {
  switch (info(op).dtype_rule) {
    case ReductionDTypeRule::SumLike:
    case ReductionDTypeRule::Same:
    case ReductionDTypeRule::MeanLike: return accumulator;
    case ReductionDTypeRule::VarLike:
      if (accumulator == DType::Complex64) return DType::Float32;
      if (accumulator == DType::Complex128) return DType::Float64;
      return accumulator;
    case ReductionDTypeRule::Index: return DType::Int64;
    case ReductionDTypeRule::Bool: return DType::Bool;
  }
  __builtin_unreachable();
}

}  // namespace numfuse
