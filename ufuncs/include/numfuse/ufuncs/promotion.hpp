// NumPy 2 type promotion (NEP 50) and loop selection for the ops of the op table.
#pragma once

#include <array>
#include <span>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::ufuncs {

// A Python int/float/complex scalar is "weak": it takes the dtype of the arrays it meets when
// that dtype's kind can hold it (uint8_array + 1 stays uint8), otherwise the default dtype of
// its kind (int8_array + 1.5 -> float64).
enum class Weak : uint8_t { None, Int, Float, Complex };

struct OperandType {
  DType dtype;              // for weak scalars: int64 / float64 / complex128
  Weak weak = Weak::None;
};

// NumPy's can_cast(from, to, casting='safe') and promote_types(a, b).
bool can_cast_safe(DType from, DType to);
// casting='same_kind': safe, or a cast within the same kind or to a higher kind.
bool can_cast_same_kind(DType from, DType to);
DType promote_types(DType a, DType b);
// The real component type: complex128 -> float64, other dtypes unchanged.
DType real_dtype(DType d);

// The dtype NumPy 2 gives the mixture of arrays and weak scalars (np.result_type).
DType result_type(std::span<const OperandType> operands);

struct LoopTypes {
  std::array<DType, 3> inputs;  // what each input is cast to before the kernel runs
  DType loop;                   // the kernel's dtype: find_kernel(op, loop)
  DType output;                 // what the kernel writes
};

// Picks the loop for `op` over these operands; throws TypeError (NumPy's UFuncTypeError) when
// the op has no loop for them.
LoopTypes resolve_dtypes(OpId op, std::span<const OperandType> operands);

}  // namespace numfuse::ufuncs
