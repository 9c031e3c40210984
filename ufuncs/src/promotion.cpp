// NumPy 2 promotion and loop selection. Everything derives from can_cast_safe and NumPy's loop
// order; there is no hand-written promotion table to drift out of sync.
#include "numfuse/ufuncs/promotion.hpp"

#include <string>

#include "numfuse/core/error.hpp"

namespace numfuse::ufuncs {

namespace {

// NumPy's type-number order (?, b, B, h, H, i, I, l, L, f, d, F, D): loops are searched, and
// promotion candidates tried, in this order.
constexpr DType kNumpyOrder[] = {
    DType::Bool,  DType::Int8,  DType::UInt8,  DType::Int16,   DType::UInt16,
    DType::Int32, DType::UInt32, DType::Int64, DType::UInt64,  DType::Float32,
    DType::Float64, DType::Complex64, DType::Complex128,
};

// Kind rank for 'same_kind' casting: a cast may go up the ranks or stay within one.
int same_kind_rank(DType d) {
  switch (kind(d)) {
    case DTypeKind::Bool: return 0;
    case DTypeKind::UnsignedInt: return 1;
    case DTypeKind::SignedInt: return 2;
    case DTypeKind::Float: return 3;
    case DTypeKind::Complex: return 4;
  }
  return 0;
}

// Bytes of the real component (complex128 -> 8).
int component_size(DType d) { return is_complex(d) ? itemsize(d) / 2 : itemsize(d); }

// The category a weak scalar competes in: bool < integer < float < complex.
int category(DType d) {
  switch (kind(d)) {
    case DTypeKind::Bool: return 0;
    case DTypeKind::SignedInt:
    case DTypeKind::UnsignedInt: return 1;
    case DTypeKind::Float: return 2;
    case DTypeKind::Complex: return 3;
  }
  return 0;
}

[[noreturn]] void no_loop(OpId op, std::span<const OperandType> operands) {
  std::string types;
  for (const auto& o : operands) {
    if (!types.empty()) types += ", ";
    types += std::string(name(o.dtype));
  }
  throw_type_error("ufunc '" + std::string(op_info(op).name) +
                   "' not supported for the input types (" + types +
                   "), and the inputs could not be safely coerced to any supported types "
                   "according to the casting rule ''safe''");
}

}  // namespace

bool can_cast_safe(DType from, DType to) {
  if (from == to || from == DType::Bool) return true;
  if (to == DType::Bool) return false;
  const DTypeKind fk = kind(from), tk = kind(to);
  const int fs = itemsize(from), ts = component_size(to);
  switch (fk) {
    case DTypeKind::SignedInt:
      if (tk == DTypeKind::SignedInt) return fs <= ts;
      if (tk == DTypeKind::UnsignedInt) return false;
      return fs < ts || ts == 8;  // int8/16 -> float32; everything -> float64 (NumPy's rule)
    case DTypeKind::UnsignedInt:
      if (tk == DTypeKind::UnsignedInt) return fs <= ts;
      if (tk == DTypeKind::SignedInt) return fs < ts;
      return fs < ts || ts == 8;
    case DTypeKind::Float:
      return (tk == DTypeKind::Float || tk == DTypeKind::Complex) && fs <= ts;
    case DTypeKind::Complex:
      return tk == DTypeKind::Complex && itemsize(from) <= itemsize(to);
    case DTypeKind::Bool:
      return true;
  }
  return false;
}

bool can_cast_same_kind(DType from, DType to) {
  return can_cast_safe(from, to) || same_kind_rank(to) >= same_kind_rank(from);
}

DType promote_types(DType a, DType b) {
  for (DType d : kNumpyOrder) {
    if (can_cast_safe(a, d) && can_cast_safe(b, d)) return d;
  }
  return DType::Complex128;  // unreachable: everything casts safely to complex128
}

DType real_dtype(DType d) {
  if (d == DType::Complex64) return DType::Float32;
  if (d == DType::Complex128) return DType::Float64;
  return d;
}

DType result_type(std::span<const OperandType> operands) {
  bool have_strong = false;
  DType strong = DType::Bool;
  for (const auto& o : operands) {
    if (o.weak != Weak::None) continue;
    strong = have_strong ? promote_types(strong, o.dtype) : o.dtype;
    have_strong = true;
  }
  // A weak int's default dtype is int64 whatever its value (2**63 then fails to convert, as in
  // NumPy); weak floats and complex numbers travel as float64 / complex128 already.
  auto default_dtype = [](const OperandType& o) { return o.weak == Weak::Int ? DType::Int64 : o.dtype; };
  if (!have_strong) {  // only Python scalars: their default dtypes promote normally
    DType r = default_dtype(operands[0]);
    for (const auto& o : operands) r = promote_types(r, default_dtype(o));
    return r;
  }
  DType result = strong;
  for (const auto& o : operands) {
    if (o.weak == Weak::None) continue;
    const int weak_category = static_cast<int>(o.weak);  // Int 1, Float 2, Complex 3
    if (category(strong) >= weak_category) continue;      // the scalar takes the array's dtype
    DType adopted = default_dtype(o);                      // int64 / float64 / complex128
    if (o.weak == Weak::Complex && strong == DType::Float32) adopted = DType::Complex64;
    result = promote_types(result, adopted);
  }
  return result;
}

LoopTypes resolve_dtypes(OpId op, std::span<const OperandType> operands) {
  const OpInfo& oi = op_info(op);
  if (static_cast<int>(operands.size()) != oi.arity) {
    throw_type_error(std::string(oi.name) + "() takes " + std::to_string(oi.arity) +
                     " input(s), got " + std::to_string(operands.size()));
  }
  LoopTypes lt{};
  std::span<const OperandType> promoted_operands = operands;
  if (oi.rule == DTypeRule::Where) promoted_operands = operands.subspan(1);
  const DType promoted = result_type(promoted_operands);

  if ((oi.flags & kNoBool) && promoted == DType::Bool) {
    throw_type_error("numpy boolean " + std::string(oi.name) +
                     " is not supported; use the bitwise/logical operators instead");
  }
  DType loop = promoted;
  if ((oi.flags & kBoolAsInt) && loop == DType::Bool) loop = DType::Int64;
  if (oi.rule == DTypeRule::Divide && category(promoted) < 2) loop = DType::Float64;
  if (!oi.supports(loop)) {
    // NumPy's legacy resolver: the first loop every input casts to safely, input by input
    // (logaddexp(int8, uint16) is float32 although int8 and uint16 promote to int32). Weak
    // scalars take part with the dtype they promoted to.
    auto fits = [&](DType d) {
      if (loop != promoted) return can_cast_safe(loop, d);  // bool-as-int / int-to-float rules
      for (const auto& o : promoted_operands) {
        if (!can_cast_safe(o.weak == Weak::None ? o.dtype : promoted, d)) return false;
      }
      return true;
    };
    bool found = false;
    for (DType d : kNumpyOrder) {
      if (oi.supports(d) && fits(d)) { loop = d; found = true; break; }
    }
    if (!found) no_loop(op, operands);
  }
  lt.loop = loop;
  lt.inputs = {loop, loop, loop};
  if (oi.rule == DTypeRule::Where) lt.inputs[0] = DType::Bool;
  switch (oi.rule) {
    case DTypeRule::Bool: lt.output = DType::Bool; break;
    case DTypeRule::Real: lt.output = real_dtype(loop); break;
    default: lt.output = loop; break;
  }
  return lt;
}

}  // namespace numfuse::ufuncs
