// The LLVM module (libnumfuse_native.so): lowers a kernel (module_abi.hpp) to one function that
// runs a block, optimizes it for the host CPU (O2: the loop vectorizer, no fast-math, no FMA
// contraction, so + - * / sqrt are correctly rounded as in tier 1), emits an object file and
// links objects into the process with ORC's LLJIT. The only translation unit that includes LLVM.
//
// Code shape: the instructions are cut into segments at every call (an op without a lowering, a
// conversion LLVM cannot express bit-identically). A segment is one loop over the block's
// elements with every value in registers; values crossing segments or feeding calls go through
// stack buffers of one block, as in tier 1.
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/IndVarSimplify.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopRotation.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Vectorize/LoopVectorize.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "module_abi.hpp"

namespace numfuse::jit::native {
namespace {

using ufuncs::Lowering;

constexpr int kBlock = 256;  // interpreter.hpp's kBlockElements (the caller never passes more)
constexpr int kWidestItem = 16;  // complex128
constexpr int kLanes = 8;  // NumPy's pairwise sum keeps 8 accumulators

bool is_float(DType d) { return abi_is_float(d); }
bool is_signed(DType d) { return abi_is_signed(d); }
bool is_bool(DType d) { return d == DType::Bool; }
int size_of(DType d) {
  static constexpr int sizes[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};
  return sizes[static_cast<int>(d)];
}

void write_error(char* error, size_t size, const std::string& message) {
  if (size == 0) return;
  std::strncpy(error, message.c_str(), size - 1);
  error[size - 1] = '\0';
}

struct Backend {
  std::mutex mutex;  // one compilation or link at a time (the target machine is shared)
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string cpu;
  int dylibs = 0;
};

Backend& backend() {
  // Never destroyed: linked code stays callable until the process ends.
  static Backend* b = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto* be = new Backend;
    auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!builder) {
      llvm::consumeError(builder.takeError());
      return be;
    }
    // Default, not Aggressive: ~10% less compile time (median 8.0 -> 7.3 ms per kernel on
    // bench_lazy's rows), no measurable change in the block loops (they are vectorized by the IR
    // passes, not by code generation).
    builder->setCodeGenOptLevel(llvm::CodeGenOpt::Default);
    builder->setRelocationModel(llvm::Reloc::PIC_);
    builder->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;  // no FMA contraction
    be->cpu = builder->getCPU() + ";" + builder->getFeatures().getString();
    auto machine = builder->createTargetMachine();
    if (!machine) {
      llvm::consumeError(machine.takeError());
      return be;
    }
    be->machine = std::move(*machine);
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*builder).create();
    if (!jit) {
      llvm::consumeError(jit.takeError());
      be->machine.reset();
      return be;
    }
    be->jit = std::move(*jit);
    return be;
  }();
  return *b;
}

class Lowerer {
 public:
  Lowerer(llvm::LLVMContext& ctx, llvm::Module& mod, const AbiKernel& k) : ctx_(ctx), mod_(mod), b_(ctx), k_(k) {}

  // nf_kernel (NativeEntry), or with `summing` nf_kernel_sum (NativeSumEntry: m is 256 and the
  // loop making the sink folds it instead of storing it).
  llvm::Function* run(const std::string& cpu, const std::string& features, bool summing) {
    auto* ptr_t = b_.getPtrTy();
    auto* i64 = b_.getInt64Ty();
    auto* fn_t = summing ? llvm::FunctionType::get(b_.getVoidTy(), {ptr_t, ptr_t, ptr_t, ptr_t}, false)
                         : llvm::FunctionType::get(b_.getVoidTy(), {ptr_t, ptr_t, i64, ptr_t, ptr_t}, false);
    fn_ = llvm::Function::Create(fn_t, llvm::Function::ExternalLinkage, summing ? "nf_kernel_sum" : "nf_kernel", mod_);
    fn_->addFnAttr("target-cpu", cpu);
    fn_->addFnAttr("target-features", features);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    auto args = fn_->arg_begin();
    ptr_arg_ = &*args++;
    stride_arg_ = &*args++;
    llvm::Value* sum_arg = nullptr;
    if (summing) {
      m_ = b_.getInt64(kBlock);
      sum_arg = &*args++;
      sink_arg_ = nullptr;  // the sink is folded in registers, never stored
    } else {
      m_ = &*args++;
      sink_arg_ = &*args++;
    }
    fns_arg_ = &*args++;
    entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    b_.SetInsertPoint(entry_);
    call_in_ = b_.CreateAlloca(llvm::ArrayType::get(ptr_t, 3));
    call_stride_ = b_.CreateAlloca(llvm::ArrayType::get(i64, 3));
    plan_memory();
    size_t i = 0;
    while (i < static_cast<size_t>(k_.num_code)) {
      if (abi_is_call(k_.code[i])) {
        emit_call(k_.code[i]);
        ++i;
        continue;
      }
      size_t end = i;
      bool makes_sink = false;
      while (end < static_cast<size_t>(k_.num_code) && !abi_is_call(k_.code[end])) {
        makes_sink = makes_sink || k_.code[end].out == k_.sink;
        ++end;
      }
      if (summing && makes_sink) b_.CreateStore(emit_sum_loops(i, end), sum_arg);
      else emit_loop(i, end);
      i = end;
    }
    b_.CreateRetVoid();
    return fn_;
  }

 private:
  DType dtype_of(int slot) const { return static_cast<DType>(k_.slots[slot].dtype); }

  llvm::Type* mem_type(DType d) {
    switch (d) {
      case DType::Bool: case DType::Int8: case DType::UInt8: return b_.getInt8Ty();
      case DType::Int16: case DType::UInt16: return b_.getInt16Ty();
      case DType::Int32: case DType::UInt32: return b_.getInt32Ty();
      case DType::Int64: case DType::UInt64: return b_.getInt64Ty();
      case DType::Float32: return b_.getFloatTy();
      case DType::Float64: return b_.getDoubleTy();
      default: return llvm::ArrayType::get(b_.getInt8Ty(), size_of(d));
    }
  }
  llvm::Type* reg_type(DType d) { return is_bool(d) ? b_.getInt1Ty() : mem_type(d); }

  // Temps in memory: produced or read by a call, the sink, or read by a later segment.
  void plan_memory() {
    std::vector<int> segment(k_.num_code);
    int seg = 0;
    for (int i = 0; i < k_.num_code; ++i) {
      if (abi_is_call(k_.code[i]) || (i > 0 && abi_is_call(k_.code[i - 1]))) ++seg;
      segment[i] = seg;
    }
    std::vector<int> made_in(k_.num_slots, -1);
    in_memory_.assign(k_.num_slots, false);
    for (int i = 0; i < k_.num_code; ++i) {
      const AbiInstr& ins = k_.code[i];
      for (int j = 0; j < ins.nin; ++j) {
        const int s = ins.in[j];
        if (abi_is_call(ins) || (made_in[s] >= 0 && made_in[s] != segment[i])) in_memory_[s] = true;
      }
      made_in[ins.out] = segment[i];
      if (abi_is_call(ins)) in_memory_[ins.out] = true;
    }
    if (k_.sink >= 0) in_memory_[k_.sink] = true;
    base_.assign(k_.num_slots, nullptr);
    step_.assign(k_.num_slots, nullptr);
    std::map<int, llvm::Value*> buffers;
    for (int s = 0; s < k_.num_slots; ++s) {
      const AbiSlot& slot = k_.slots[s];
      if (slot.place != 2) {  // a leaf or output: its operand's block
        auto* p = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), ptr_arg_, slot.operand));
        base_[s] = p;
        step_[s] = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt64Ty(), stride_arg_, slot.operand));
      } else if (s == k_.sink) {
        base_[s] = sink_arg_;
        step_[s] = b_.getInt64(size_of(dtype_of(s)));
      } else if (in_memory_[s]) {
        // Tier 1's buffer assignment bounds the stack a kernel needs: a buffer is reused only
        // after the last instruction reading it, and a loop runs instructions in that order
        // for each element, so a reuse never overwrites an element still to be read.
        llvm::Value*& buf = buffers[slot.operand];
        if (!buf) {
          auto* alloca = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), kBlock * kWidestItem));
          alloca->setAlignment(llvm::Align(64));
          buf = alloca;
        }
        base_[s] = buf;
        step_[s] = b_.getInt64(size_of(dtype_of(s)));
      }
    }
  }

  // Address of element i of a slot in memory.
  llvm::Value* address(int s, llvm::Value* i) {
    const AbiSlot& slot = k_.slots[s];
    const DType d = dtype_of(s);
    if (slot.place == 2 || slot.layout == 'c') return b_.CreateGEP(mem_type(d), base_[s], i);
    if (slot.layout == 's') return base_[s];
    return b_.CreateGEP(b_.getInt8Ty(), base_[s], b_.CreateMul(i, step_[s]));
  }

  llvm::Value* load(int s, llvm::Value* i) {
    const DType d = dtype_of(s);
    llvm::Value* v = b_.CreateLoad(mem_type(d), address(s, i));
    if (is_bool(d)) v = b_.CreateICmpNE(v, b_.getInt8(0));
    return v;
  }

  void store(int s, llvm::Value* i, llvm::Value* v) {
    if (is_bool(dtype_of(s))) v = b_.CreateZExt(v, b_.getInt8Ty());
    b_.CreateStore(v, address(s, i));
  }

  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* a, llvm::Value* b = nullptr) {
    if (b) return b_.CreateBinaryIntrinsic(id, a, b);
    return b_.CreateUnaryIntrinsic(id, a);
  }

  llvm::Value* nonzero(DType t, llvm::Value* a) {
    if (is_bool(t)) return a;
    if (is_float(t)) return b_.CreateFCmpUNE(a, llvm::ConstantFP::get(a->getType(), 0.0));
    return b_.CreateICmpNE(a, llvm::ConstantInt::get(a->getType(), 0));
  }

  llvm::Value* compare(Lowering l, DType t, llvm::Value* a, llvm::Value* b) {
    using P = llvm::CmpInst::Predicate;
    const bool f = is_float(t), s = is_signed(t);
    P p;
    switch (l) {
      case Lowering::Equal: p = f ? P::FCMP_OEQ : P::ICMP_EQ; break;
      case Lowering::NotEqual: p = f ? P::FCMP_UNE : P::ICMP_NE; break;
      case Lowering::Less: p = f ? P::FCMP_OLT : s ? P::ICMP_SLT : P::ICMP_ULT; break;
      case Lowering::LessEqual: p = f ? P::FCMP_OLE : s ? P::ICMP_SLE : P::ICMP_ULE; break;
      case Lowering::Greater: p = f ? P::FCMP_OGT : s ? P::ICMP_SGT : P::ICMP_UGT; break;
      default: p = f ? P::FCMP_OGE : s ? P::ICMP_SGE : P::ICMP_UGE; break;
    }
    return f ? b_.CreateFCmp(p, a, b) : b_.CreateICmp(p, a, b);
  }

  llvm::Value* is_nan(llvm::Value* a) { return b_.CreateFCmpUNO(a, a); }

  llvm::Value* op(Lowering l, DType t, llvm::Value* a, llvm::Value* b, llvm::Value* c) {
    const bool f = is_float(t), boolean = is_bool(t);
    switch (l) {
      case Lowering::Add: return f ? b_.CreateFAdd(a, b) : boolean ? b_.CreateOr(a, b) : b_.CreateAdd(a, b);
      case Lowering::Subtract: return f ? b_.CreateFSub(a, b) : b_.CreateSub(a, b);
      case Lowering::Multiply: return f ? b_.CreateFMul(a, b) : boolean ? b_.CreateAnd(a, b) : b_.CreateMul(a, b);
      case Lowering::Divide: return b_.CreateFDiv(a, b);
      case Lowering::Negate: return f ? b_.CreateFNeg(a) : b_.CreateNeg(a);
      case Lowering::Identity: return a;
      case Lowering::Absolute:
        if (f) return intrinsic(llvm::Intrinsic::fabs, a);
        if (is_signed(t)) return b_.CreateSelect(b_.CreateICmpSLT(a, llvm::ConstantInt::get(a->getType(), 0)), b_.CreateNeg(a), a);
        return a;
      case Lowering::Square: return f ? b_.CreateFMul(a, a) : boolean ? a : b_.CreateMul(a, a);
      case Lowering::Sqrt: return intrinsic(llvm::Intrinsic::sqrt, a);
      case Lowering::Floor: return f ? intrinsic(llvm::Intrinsic::floor, a) : a;
      case Lowering::Ceil: return f ? intrinsic(llvm::Intrinsic::ceil, a) : a;
      case Lowering::Trunc: return f ? intrinsic(llvm::Intrinsic::trunc, a) : a;
      case Lowering::Maximum:
      case Lowering::Minimum:
      case Lowering::FMax:
      case Lowering::FMin: {
        // maximum: a >= b || isnan(a) ? a : b; fmax: a >= b || isnan(b) ? a : b (op_defs.hpp)
        const bool greater = l == Lowering::Maximum || l == Lowering::FMax;
        llvm::Value* keep = compare(greater ? Lowering::GreaterEqual : Lowering::LessEqual, t, a, b);
        if (f) keep = b_.CreateOr(keep, is_nan(l == Lowering::Maximum || l == Lowering::Minimum ? a : b));
        return b_.CreateSelect(keep, a, b);
      }
      case Lowering::Equal: case Lowering::NotEqual: case Lowering::Less:
      case Lowering::LessEqual: case Lowering::Greater: case Lowering::GreaterEqual:
        return compare(l, t, a, b);
      case Lowering::LogicalAnd: return b_.CreateAnd(nonzero(t, a), nonzero(t, b));
      case Lowering::LogicalOr: return b_.CreateOr(nonzero(t, a), nonzero(t, b));
      case Lowering::LogicalXor: return b_.CreateXor(nonzero(t, a), nonzero(t, b));
      case Lowering::LogicalNot: return b_.CreateNot(nonzero(t, a));
      case Lowering::Where: return b_.CreateSelect(a, b, c);
      case Lowering::BitAnd: return b_.CreateAnd(a, b);
      case Lowering::BitOr: return b_.CreateOr(a, b);
      case Lowering::BitXor: return b_.CreateXor(a, b);
      case Lowering::Invert: return b_.CreateNot(a);
      case Lowering::CopySign: return intrinsic(llvm::Intrinsic::copysign, a, b);
      case Lowering::None: break;
    }
    return nullptr;
  }

  llvm::Value* cast(DType from, DType to, llvm::Value* v) {
    llvm::Type* target = reg_type(to);
    if (auto* lanes = llvm::dyn_cast<llvm::FixedVectorType>(v->getType())) {
      target = llvm::FixedVectorType::get(target, lanes->getNumElements());
    }
    if (is_bool(to)) return nonzero(from, v);
    if (is_bool(from)) return is_float(to) ? b_.CreateUIToFP(v, target) : b_.CreateZExt(v, target);
    if (is_float(from)) return b_.CreateFPCast(v, target);  // float -> float (others are calls)
    if (is_float(to)) return is_signed(from) ? b_.CreateSIToFP(v, target) : b_.CreateUIToFP(v, target);
    return b_.CreateIntCast(v, target, is_signed(from));
  }

  // One loop over the block for the lowered instructions [first, end).
  void emit_loop(size_t first, size_t end) {
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    auto* body = llvm::BasicBlock::Create(ctx_, "loop", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "next", fn_);
    b_.CreateCondBr(b_.CreateICmpSGT(m_, b_.getInt64(0)), body, done);
    b_.SetInsertPoint(body);
    llvm::PHINode* i = b_.CreatePHI(b_.getInt64Ty(), 2);
    i->addIncoming(b_.getInt64(0), pre);
    std::map<int, llvm::Value*> values;
    auto value = [&](int s) {
      auto it = values.find(s);
      if (it != values.end()) return it->second;
      llvm::Value* v = load(s, i);
      values[s] = v;
      return v;
    };
    for (size_t n = first; n < end; ++n) {
      const AbiInstr& ins = k_.code[n];
      llvm::Value* result = compute(ins, value);
      values[ins.out] = result;
      if (k_.slots[ins.out].place != 2 || in_memory_[ins.out]) store(ins.out, i, result);
    }
    llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1));
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, m_), body, done);
    b_.SetInsertPoint(done);
  }

  // The value of instruction `ins` from its inputs' values.
  llvm::Value* compute(const AbiInstr& ins, const std::function<llvm::Value*(int)>& value) {
    if (ins.kind == AbiKind::LoweredCast) {
      return cast(static_cast<DType>(ins.dtype), dtype_of(ins.out), value(ins.in[0]));
    }
    llvm::Value* in[3] = {nullptr, nullptr, nullptr};
    for (int j = 0; j < ins.nin; ++j) in[j] = value(ins.in[j]);
    return op(static_cast<Lowering>(ins.lowering), static_cast<DType>(ins.dtype), in[0], in[1], in[2]);
  }

  // Elements i..i+7 of a slot as one vector (lane j: element i + j).
  llvm::Value* load_lanes(int s, llvm::Value* i) {
    const DType d = dtype_of(s);
    const AbiSlot& slot = k_.slots[s];
    auto* type = llvm::FixedVectorType::get(mem_type(d), kLanes);
    llvm::Value* v;
    if (slot.place == 2 || slot.layout == 'c') {
      v = b_.CreateAlignedLoad(type, address(s, i), llvm::Align(size_of(d)));
    } else if (slot.layout == 's') {
      v = b_.CreateVectorSplat(kLanes, b_.CreateLoad(mem_type(d), base_[s]));
    } else {
      v = llvm::PoisonValue::get(type);
      for (int j = 0; j < kLanes; ++j) {
        llvm::Value* e = b_.CreateLoad(mem_type(d), address(s, b_.CreateAdd(i, b_.getInt64(j))));
        v = b_.CreateInsertElement(v, e, j);
      }
    }
    if (is_bool(d)) v = b_.CreateICmpNE(v, llvm::ConstantInt::get(type, 0));
    return v;
  }

  void store_lanes(int s, llvm::Value* i, llvm::Value* v) {
    const DType d = dtype_of(s);
    if (is_bool(d)) v = b_.CreateZExt(v, llvm::FixedVectorType::get(b_.getInt8Ty(), kLanes));
    if (k_.slots[s].layout == 'c') {
      b_.CreateAlignedStore(v, address(s, i), llvm::Align(size_of(d)));
      return;
    }
    for (int j = 0; j < kLanes; ++j) {  // in element order: a stride-0 output keeps the last
      b_.CreateStore(b_.CreateExtractElement(v, j), address(s, b_.CreateAdd(i, b_.getInt64(j))));
    }
  }

  // The instructions [first, end) on elements i..i+7, every value a vector of 8 lanes; outputs
  // are stored. Returns the sink's lanes.
  llvm::Value* emit_lanes(size_t first, size_t end, llvm::Value* i) {
    std::map<int, llvm::Value*> values;
    auto value = [&](int s) {
      auto it = values.find(s);
      return it != values.end() ? it->second : values[s] = load_lanes(s, i);
    };
    for (size_t n = first; n < end; ++n) {
      const AbiInstr& ins = k_.code[n];
      llvm::Value* result = compute(ins, value);
      values[ins.out] = result;
      if (k_.slots[ins.out].place == 1) store_lanes(ins.out, i, result);
    }
    return values.at(k_.sink);
  }

  // The loop [first, end) over a block of 256 elements, folding the sink as NumPy's pairwise sum
  // does (reduce_pairwise.hpp): two halves of 128, each summed by 8 accumulators (lane j of the
  // running vector is accumulator r[j]: element i + j is added to it) and a balanced tree,
  // ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)); the block's sum is the first half's plus the second's.
  llvm::Value* emit_sum_loops(size_t first, size_t end) {
    llvm::Value* total = nullptr;
    for (int64_t half = 0; half < kBlock; half += kBlock / 2) {
      llvm::Value* first_lanes = emit_lanes(first, end, b_.getInt64(half));
      llvm::BasicBlock* pre = b_.GetInsertBlock();
      auto* body = llvm::BasicBlock::Create(ctx_, "fold", fn_);
      auto* done = llvm::BasicBlock::Create(ctx_, "folded", fn_);
      b_.CreateBr(body);
      b_.SetInsertPoint(body);
      llvm::PHINode* i = b_.CreatePHI(b_.getInt64Ty(), 2);
      llvm::PHINode* acc = b_.CreatePHI(first_lanes->getType(), 2);
      i->addIncoming(b_.getInt64(half + kLanes), pre);
      acc->addIncoming(first_lanes, pre);
      llvm::Value* sum = b_.CreateFAdd(acc, emit_lanes(first, end, i));
      llvm::Value* next = b_.CreateAdd(i, b_.getInt64(kLanes));
      i->addIncoming(next, b_.GetInsertBlock());
      acc->addIncoming(sum, b_.GetInsertBlock());
      b_.CreateCondBr(b_.CreateICmpSLT(next, b_.getInt64(half + kBlock / 2)), body, done);
      b_.SetInsertPoint(done);
      llvm::Value* r[kLanes];
      for (int j = 0; j < kLanes; ++j) r[j] = b_.CreateExtractElement(sum, j);
      llvm::Value* tree = b_.CreateFAdd(b_.CreateFAdd(b_.CreateFAdd(r[0], r[1]), b_.CreateFAdd(r[2], r[3])),
                                        b_.CreateFAdd(b_.CreateFAdd(r[4], r[5]), b_.CreateFAdd(r[6], r[7])));
      total = total ? b_.CreateFAdd(total, tree) : tree;
    }
    return total;
  }

  llvm::Value* function_pointer(int index) {
    return b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), fns_arg_, index));
  }

  void emit_call(const AbiInstr& ins) {
    auto* ptr_t = b_.getPtrTy();
    auto* i64 = b_.getInt64Ty();
    auto* void_t = b_.getVoidTy();
    if (ins.kind == AbiKind::CallCast) {
      auto* cast_t = llvm::FunctionType::get(void_t, {ptr_t, i64, ptr_t, i64, i64}, false);
      b_.CreateCall(cast_t, function_pointer(ins.fn),
                    {base_[ins.in[0]], step_[ins.in[0]], base_[ins.out], step_[ins.out], m_});
      return;
    }
    for (int j = 0; j < ins.nin; ++j) {
      b_.CreateStore(base_[ins.in[j]], b_.CreateConstGEP2_64(llvm::ArrayType::get(ptr_t, 3), call_in_, 0, j));
      b_.CreateStore(step_[ins.in[j]], b_.CreateConstGEP2_64(llvm::ArrayType::get(i64, 3), call_stride_, 0, j));
    }
    // The op's floating-point rule first (the output may alias an input), when it has one.
    llvm::Value* rule = function_pointer(ins.fn + 1);
    auto* has_rule = llvm::BasicBlock::Create(ctx_, "rule", fn_);
    auto* kernel = llvm::BasicBlock::Create(ctx_, "kernel", fn_);
    b_.CreateCondBr(b_.CreateIsNotNull(rule), has_rule, kernel);
    b_.SetInsertPoint(has_rule);
    b_.CreateCall(llvm::FunctionType::get(void_t, {ptr_t, ptr_t, i64}, false), rule, {call_in_, call_stride_, m_});
    b_.CreateBr(kernel);
    b_.SetInsertPoint(kernel);
    auto* kernel_t = llvm::FunctionType::get(void_t, {ptr_t, ptr_t, ptr_t, i64, i64}, false);
    b_.CreateCall(kernel_t, function_pointer(ins.fn), {call_in_, call_stride_, base_[ins.out], step_[ins.out], m_});
  }

  llvm::LLVMContext& ctx_;
  llvm::Module& mod_;
  llvm::IRBuilder<> b_;
  const AbiKernel& k_;
  llvm::Function* fn_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  llvm::Value *ptr_arg_ = nullptr, *stride_arg_ = nullptr, *m_ = nullptr, *sink_arg_ = nullptr, *fns_arg_ = nullptr;
  llvm::Value *call_in_ = nullptr, *call_stride_ = nullptr;
  std::vector<bool> in_memory_;
  std::vector<llvm::Value*> base_, step_;
};

// The passes a block loop needs, not O2's whole pipeline (no inlining, nothing interprocedural:
// a kernel is one function): cleanup, loop canonicalization, the loop vectorizer (runtime alias
// checks between operands), cleanup. A third of O2's compile time for the same loops.
void optimize(llvm::Module& mod, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&machine);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::EarlyCSEPass());
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::SimplifyCFGPass());
  llvm::LoopPassManager lpm;
  lpm.addPass(llvm::LoopRotatePass());
  lpm.addPass(llvm::LICMPass(llvm::LICMOptions()));
  lpm.addPass(llvm::IndVarSimplifyPass());
  fpm.addPass(llvm::createFunctionToLoopPassAdaptor(std::move(lpm), /*UseMemorySSA=*/true));
  fpm.addPass(llvm::LoopSimplifyPass());
  fpm.addPass(llvm::LCSSAPass());
  fpm.addPass(llvm::LoopVectorizePass());
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(mod, mam);
}

const char* host_cpu() { return backend().cpu.c_str(); }

int compile(const AbiKernel* kernel, char** object, size_t* size, char* error, size_t error_size) {
  Backend& be = backend();
  if (!be.machine || !be.jit) {
    write_error(error, error_size, "LLVM has no target machine for this host");
    return 1;
  }
  for (int n = 0; n < kernel->num_code; ++n) {
    const AbiInstr& ins = kernel->code[n];
    const bool ok = ins.kind == AbiKind::LoweredOp
                        ? lowerable_op(static_cast<Lowering>(ins.lowering), static_cast<DType>(ins.dtype))
                        : ins.kind != AbiKind::LoweredCast ||
                              lowerable_cast(static_cast<DType>(ins.dtype),
                                             static_cast<DType>(kernel->slots[ins.out].dtype));
    if (!ok) {
      write_error(error, error_size, "instruction not lowerable");
      return 1;
    }
  }
  std::lock_guard<std::mutex> lock(be.mutex);
  llvm::LLVMContext ctx;
  llvm::Module mod("nf_kernel", ctx);
  mod.setDataLayout(be.machine->createDataLayout());
  mod.setTargetTriple(be.machine->getTargetTriple().str());
  const std::string cpu(be.machine->getTargetCPU()), features(be.machine->getTargetFeatureString());
  Lowerer(ctx, mod, *kernel).run(cpu, features, /*summing=*/false);
  if (kernel->sum_sink) Lowerer(ctx, mod, *kernel).run(cpu, features, /*summing=*/true);
  std::string message;
  llvm::raw_string_ostream errs(message);
  if (llvm::verifyModule(mod, &errs)) {
    write_error(error, error_size, "invalid IR: " + errs.str());
    return 1;
  }
  optimize(mod, *be.machine);
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream out(bytes);
  llvm::legacy::PassManager codegen;
  if (be.machine->addPassesToEmitFile(codegen, out, nullptr, llvm::CGFT_ObjectFile)) {
    write_error(error, error_size, "the target cannot emit object files");
    return 1;
  }
  codegen.run(mod);
  *size = bytes.size();
  *object = static_cast<char*>(std::malloc(bytes.size()));
  std::memcpy(*object, bytes.data(), bytes.size());
  return 0;
}

NativeEntry load(const char* object, size_t size, NativeSumEntry* sum_entry, char* error, size_t error_size) {
  *sum_entry = nullptr;
  Backend& be = backend();
  if (!be.jit) {
    write_error(error, error_size, "no JIT");
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(be.mutex);
  // One JITDylib per kernel: every object defines the same symbol.
  auto dylib = be.jit->createJITDylib("nf" + std::to_string(be.dylibs++));
  if (!dylib) {
    write_error(error, error_size, llvm::toString(dylib.takeError()));
    return nullptr;
  }
  // Code generation may emit calls to the C library (memset, memcpy): resolved in the process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      be.jit->getDataLayout().getGlobalPrefix());
  if (!process) {
    write_error(error, error_size, llvm::toString(process.takeError()));
    return nullptr;
  }
  dylib->addGenerator(std::move(*process));
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(object, size), "nf_kernel");
  if (auto err = be.jit->addObjectFile(*dylib, std::move(buffer))) {
    write_error(error, error_size, llvm::toString(std::move(err)));
    return nullptr;
  }
  auto symbol = be.jit->lookup(*dylib, "nf_kernel");
  if (!symbol) {
    write_error(error, error_size, llvm::toString(symbol.takeError()));
    return nullptr;
  }
  if (auto summing = be.jit->lookup(*dylib, "nf_kernel_sum")) {
    *sum_entry = summing->toPtr<NativeSumEntry>();
  } else {
    llvm::consumeError(summing.takeError());
  }
  return symbol->toPtr<NativeEntry>();
}

void release(char* object) { std::free(object); }

const ModuleApi kApi = {kModuleAbiVersion, host_cpu, compile, load, release};

}  // namespace
}  // namespace numfuse::jit::native

extern "C" __attribute__((visibility("default"))) const numfuse::jit::native::ModuleApi* numfuse_native_module() {
  return &numfuse::jit::native::kApi;
}
