// The kernel IR (jit/kernel_ir.hpp): a value type with equality, hash, a stable serialisation and
// a dump, from which the tier-1 program is built.
#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

#include "numfuse/jit/kernel_ir.hpp"
#include "numfuse/jit/program.hpp"

namespace numfuse::jit {
namespace {

using ufuncs::OpId;

// (l0 * l1) + l2 over float64 contiguous leaves, with l2 an int32 converted first.
FusedKernel multiply_add() {
  FusedKernel k;
  k.rank = 1;
  k.leaves.push_back({DType::Float64, LayoutClass::Contiguous});
  k.leaves.push_back({DType::Float64, LayoutClass::Scalar});
  k.leaves.push_back({DType::Int32, LayoutClass::Strided});
  FusedKernel::Op mul;
  mul.op = OpId::multiply;
  mul.loop_dtype = mul.dtype = DType::Float64;
  mul.nin = 2;
  mul.in[0] = 0;
  mul.in[1] = 1;
  mul.in_types[0] = mul.in_types[1] = DType::Float64;
  FusedKernel::Op add = mul;
  add.op = OpId::add;
  add.in[0] = -1;  // op 0
  add.in[1] = 2;
  k.ops.push_back(mul);
  k.ops.push_back(add);
  k.outputs.push_back({1, DType::Float64, LayoutClass::Contiguous});
  return k;
}

TEST(KernelIr, EqualKernelsHashAndSerializeAlike) {
  const FusedKernel a = multiply_add(), b = multiply_add();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.serialize(), b.serialize());
  const std::string s = a.serialize();
  EXPECT_EQ(s.rfind("numfuse-kernel/" + std::to_string(FusedKernel::kFormatVersion) + "/", 0), 0u);
  EXPECT_NE(s.find(numfuse_version()), std::string::npos);
}

TEST(KernelIr, EveryFieldDistinguishesKernels) {
  std::vector<FusedKernel> variants(8, multiply_add());
  variants[1].rank = 2;
  variants[2].leaves[1].layout = LayoutClass::Contiguous;
  variants[3].leaves[2].dtype = DType::Int64;
  variants[4].ops[1].op = OpId::subtract;
  variants[5].ops[1].in[1] = 0;
  variants[6].outputs[0].dtype = DType::Float32;
  variants[7].sink_op = 1;
  std::unordered_set<std::string> serialized;
  std::unordered_set<FusedKernel, FusedKernelHash> set;
  for (const auto& k : variants) {
    serialized.insert(k.serialize());
    set.insert(k);
  }
  EXPECT_EQ(serialized.size(), variants.size());
  EXPECT_EQ(set.size(), variants.size());
  for (size_t i = 1; i < variants.size(); ++i) EXPECT_FALSE(variants[0] == variants[i]) << i;
}

TEST(KernelIr, DumpNamesOpsDtypesAndLayouts) {
  const std::string d = multiply_add().dump();
  EXPECT_NE(d.find("t0 = multiply[float64](l0 as float64, l1 as float64) -> float64"), std::string::npos) << d;
  EXPECT_NE(d.find("l2: leaf int32 (x)"), std::string::npos) << d;
  EXPECT_NE(d.find("out0 <- t1 as float64 (c)"), std::string::npos) << d;
}

TEST(KernelIr, ProgramInsertsConversionsAndWritesOutputsInPlace) {
  const auto p = build_program(multiply_add());
  ASSERT_EQ(p->code.size(), 3u);  // multiply, cast int32 -> float64, add
  EXPECT_EQ(p->code[0].op, OpId::multiply);
  EXPECT_EQ(p->code[1].op, OpId::none);
  EXPECT_EQ(p->code[1].dtype, DType::Int32);
  EXPECT_EQ(p->slots[p->code[1].out].dtype, DType::Float64);
  EXPECT_EQ(p->code[2].op, OpId::add);
  EXPECT_EQ(p->slots[p->code[2].out].place, Slot::Place::Output);
  EXPECT_EQ(p->num_outputs, 1);
  EXPECT_EQ(p->sink, -1);
}

TEST(KernelIr, SinkGetsItsOwnSlotInTheReducedDtype) {
  FusedKernel k = multiply_add();
  k.outputs.clear();
  k.sink_op = 1;
  k.sink_dtype = DType::Float32;
  const auto p = build_program(k);
  ASSERT_GE(p->sink, 0);
  EXPECT_EQ(p->slots[p->sink].dtype, DType::Float32);
  EXPECT_EQ(p->slots[p->sink].place, Slot::Place::Temp);
}

}  // namespace
}  // namespace numfuse::jit
