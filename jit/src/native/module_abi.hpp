// The interface between numfuse and its LLVM module (libnumfuse_native.so, loaded on first use:
// loader.cpp). Plain data and function pointers only: the module shares no code with numfuse.
// A kernel is its tier-1 program's slots and instructions, with each instruction either lowered
// (ufuncs/lowering.hpp) or a call through a function-pointer table handed to the compiled code
// at every call (so the object code holds no addresses and can be cached on disk).
#pragma once

#include <cstddef>
#include <cstdint>

#include "numfuse/core/dtype.hpp"
#include "numfuse/ufuncs/lowering.hpp"

namespace numfuse::jit::native {

inline constexpr uint32_t kModuleAbiVersion = 3;

// dtype.hpp's info() lives in numfuse's core library, which the module does not link.
inline bool abi_is_float(DType d) { return d == DType::Float32 || d == DType::Float64; }
inline bool abi_is_complex(DType d) { return d == DType::Complex64 || d == DType::Complex128; }
inline bool abi_is_signed(DType d) { return d >= DType::Int8 && d <= DType::Int64; }

// Whether an op's lowering gives tier 1's exact results on this loop dtype.
inline bool lowerable_op(ufuncs::Lowering l, DType t) {
  using ufuncs::Lowering;
  if (l == Lowering::None || abi_is_complex(t)) return false;
  switch (l) {
    case Lowering::Divide:
    case Lowering::Sqrt:
    case Lowering::CopySign:
      return abi_is_float(t);
    case Lowering::Subtract:
    case Lowering::Negate:
      return t != DType::Bool;
    default:
      return true;
  }
}

// Whether a conversion is expressed directly. float -> integer is not: LLVM's fptosi is poison
// out of range where x86 (and tier 1) gives the "integer indefinite" value.
inline bool lowerable_cast(DType from, DType to) {
  if (abi_is_complex(from) || abi_is_complex(to)) return false;
  return !(abi_is_float(from) && !abi_is_float(to) && to != DType::Bool);
}

struct AbiSlot {
  uint8_t place;   // Slot::Place: 0 leaf, 1 output, 2 temp
  uint8_t dtype;   // DType
  char layout;     // leaf/output: LayoutClass ('c', 's', 'x'); temp: 0
  int32_t operand; // leaf/output: its operand index in the space (outputs first); temp: its
                   // block buffer (tier 1's assignment: temps whose lifetimes are disjoint share one)
};

enum class AbiKind : uint8_t {
  LoweredOp,    // lowering(op) on the loop dtype
  LoweredCast,  // a conversion the module expresses directly
  CallKernel,   // fns[fn] is a ufuncs::Kernel; fns[fn + 1] its FpRule or null
  CallCast,     // fns[fn] is a CastFn
};

struct AbiInstr {
  AbiKind kind;
  uint8_t lowering;  // ufuncs::Lowering (LoweredOp)
  uint8_t dtype;     // loop dtype (ops) or source dtype (casts); the result's is the out slot's
  uint8_t nin;
  int32_t in[3];
  int32_t out;
  int32_t fn;        // calls: index into the function table
};

inline bool abi_is_call(const AbiInstr& ins) {
  return ins.kind == AbiKind::CallKernel || ins.kind == AbiKind::CallCast;
}

struct AbiKernel {
  const AbiSlot* slots;
  int32_t num_slots;
  const AbiInstr* code;
  int32_t num_code;
  int32_t sink;  // slot whose block of values the caller folds (-1: none); a temp sink is stored
                 // to the `sink` argument of the entry point
  // 1: also emit the summing entry (NativeSumEntry). The caller guarantees a float sink made by
  // a lowered instruction after the last call.
  int32_t sum_sink;
};

// The entry point of a compiled kernel: one block of m <= 256 elements; operand k's block at
// ptr[k] with stride stride[k] bytes.
using NativeEntry = void (*)(const std::byte* const* ptr, const int64_t* stride, int64_t m, std::byte* sink,
                             void* const* fns);
// The summing entry point: one block of exactly 256 elements, like NativeEntry, except that the
// sink's values are not stored: their pairwise sum (reduce_pairwise.hpp's order) goes to *sum.
using NativeSumEntry = void (*)(const std::byte* const* ptr, const int64_t* stride, std::byte* sum,
                                void* const* fns);

struct ModuleApi {
  uint32_t abi_version;
  // The CPU the module compiles for: name and features ("znver3;+avx2,+fma,...").
  const char* (*host_cpu)();
  // Compiles to an object file in memory: 0 on success (then *object/*size, released with
  // release), else writes a message to error.
  int (*compile)(const AbiKernel* kernel, char** object, size_t* size, char* error, size_t error_size);
  // Links an object file into the process; its entry point, or null on failure (a corrupt file).
  // *sum_entry: its summing entry point, or null when the object has none.
  NativeEntry (*load)(const char* object, size_t size, NativeSumEntry* sum_entry, char* error,
                      size_t error_size);
  void (*release)(char* object);
};

}  // namespace numfuse::jit::native

extern "C" const numfuse::jit::native::ModuleApi* numfuse_native_module();
