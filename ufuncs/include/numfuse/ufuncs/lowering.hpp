// Lowerings of ops for the native code generator (jit/src/native/): a small vocabulary of IEEE
// and integer primitives that give bit-for-bit the results of the op's kernels (op_defs.hpp) for
// bool, integer and real loop dtypes. An op without a lowering (transcendentals, integer
// division, complex loops) is compiled as a call to its kernel, so its results stay those of
// tier 1. Adding an op stays one op-table line + its definitions; a line here is optional.
#pragma once

#include <cstdint>

#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::ufuncs {

enum class Lowering : uint8_t {
  None,
  Add, Subtract, Multiply, Divide,   // bool: add is or, multiply is and; integers wrap
  Negate, Identity, Absolute, Square, Sqrt, Floor, Ceil, Trunc,  // integers: floor/ceil/trunc = identity
  Maximum, Minimum,                  // NaN propagates (the first NaN wins)
  FMax, FMin,                        // NaN ignored unless both are NaN
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
  LogicalAnd, LogicalOr, LogicalXor, LogicalNot,
  Where,                             // (bool, x, y)
  BitAnd, BitOr, BitXor, Invert,
  CopySign,
};

constexpr Lowering lowering(OpId op) {
  switch (op) {
    case OpId::add: return Lowering::Add;
    case OpId::subtract: return Lowering::Subtract;
    case OpId::multiply: return Lowering::Multiply;
    case OpId::true_divide: return Lowering::Divide;
    case OpId::negative: return Lowering::Negate;
    case OpId::positive: return Lowering::Identity;
    case OpId::absolute: return Lowering::Absolute;
    case OpId::fabs: return Lowering::Absolute;
    case OpId::square: return Lowering::Square;
    case OpId::sqrt: return Lowering::Sqrt;
    case OpId::floor: return Lowering::Floor;
    case OpId::ceil: return Lowering::Ceil;
    case OpId::trunc: return Lowering::Trunc;
    case OpId::maximum: return Lowering::Maximum;
    case OpId::minimum: return Lowering::Minimum;
    case OpId::fmax: return Lowering::FMax;
    case OpId::fmin: return Lowering::FMin;
    case OpId::equal: return Lowering::Equal;
    case OpId::not_equal: return Lowering::NotEqual;
    case OpId::less: return Lowering::Less;
    case OpId::less_equal: return Lowering::LessEqual;
    case OpId::greater: return Lowering::Greater;
    case OpId::greater_equal: return Lowering::GreaterEqual;
    case OpId::logical_and: return Lowering::LogicalAnd;
    case OpId::logical_or: return Lowering::LogicalOr;
    case OpId::logical_xor: return Lowering::LogicalXor;
    case OpId::logical_not: return Lowering::LogicalNot;
    case OpId::where: return Lowering::Where;
    case OpId::bitwise_and: return Lowering::BitAnd;
    case OpId::bitwise_or: return Lowering::BitOr;
    case OpId::bitwise_xor: return Lowering::BitXor;
    case OpId::invert: return Lowering::Invert;
    case OpId::copysign: return Lowering::CopySign;
    default: return Lowering::None;
  }
}

}  // namespace numfuse::ufuncs
