// The kernel interface: one function per (op, loop dtype), run over one block of n elements.
// Inputs have already been cast to the loop dtype; the kernel knows nothing about whole arrays,
// so the eager path, the graph interpreter and the JIT's fallback all call the same functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::ufuncs {

// in[k] points at input k's first element, in_strides[k] is its stride in bytes (0: a scalar
// repeated n times). The output dtype is resolve_dtypes(...).output.
using Kernel = void (*)(const std::byte* const* in, const int64_t* in_strides, std::byte* out,
                        int64_t out_stride, int64_t n);

// nullptr when the op has no loop for this dtype. SIMD kernels of the best instruction set the
// CPU supports (chosen once, at the first call) replace the portable ones where they exist.
Kernel find_kernel(OpId op, DType loop_dtype);

// "avx512f", "avx2", "sse4_2" or "generic": the instruction set whose kernels are in use.
std::string_view simd_arch_name();
// Throws a ValueError-kind error when NUMFUSE_SIMD names an unknown level or one this CPU cannot
// run (the module calls it at import, so the mistake shows at once).
void check_simd_request();

// True if find_kernel(op, dtype) is an explicitly vectorized (xsimd) kernel.
bool has_simd_kernel(OpId op, DType loop_dtype);

// Floating-point flags (fp_status.hpp). The kernels of most ops raise NumPy's flags in hardware;
// the others have an fp_rule (op_defs.hpp), run over a block's inputs BEFORE its kernel (the
// output may overwrite an input), which notes NumPy's flags for that block.
using FpRule = void (*)(const std::byte* const* in, const int64_t* in_strides, int64_t n);
// nullptr when the op's hardware flags are NumPy's (or it raises nothing).
FpRule find_fp_rule(OpId op, DType loop_dtype);
// False when the hardware flags of op's kernels are not NumPy's (the evaluator drops them).
bool fp_trusts_hardware(OpId op);

}  // namespace numfuse::ufuncs
