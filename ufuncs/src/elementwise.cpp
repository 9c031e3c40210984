// Eager elementwise application: the glue between whole arrays and the block kernels.
#include "numfuse/ufuncs/elementwise.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/kernels.hpp"

namespace numfuse::ufuncs {

namespace {

// Elements converted per step when an input or the output needs a cast: 1024 x 16 bytes per
// operand stays on the stack and in L1/L2.
constexpr int64_t kCastBlock = 1024;

struct Plan {
  OpId op;
  Kernel kernel;
  FpRule fp_rule;                   // nullptr: the kernel's hardware flags are NumPy's
  bool fp_trusted;                  // fp_trusts_hardware(op)
  int nin;
  std::array<DType, 3> in_types;    // the kernel's input dtypes
  DType kernel_out;                 // the kernel's output dtype
  std::array<CastFn, 3> in_casts;   // nullptr where the input already has the kernel's dtype
  CastFn out_cast;                  // nullptr where out has the kernel's output dtype
};

// Runs one innermost run of n elements: ptrs[0] is the output, ptrs[1..] the inputs.
template <size_t N>
void run_block(const Plan& p, const std::array<std::byte*, N>& ptrs,
               const std::array<int64_t, N>& strides, int64_t n) {
  const std::byte* in[3];
  int64_t in_strides[3];
  bool needs_cast = p.out_cast != nullptr;
  for (int k = 0; k < p.nin; ++k) {
    in[k] = ptrs[k + 1];
    in_strides[k] = strides[k + 1];
    needs_cast = needs_cast || p.in_casts[k];
  }
  auto call_kernel = [&p](const std::byte* const* kin, const int64_t* kstrides, std::byte* out,
                         int64_t out_stride, int64_t m) {
    fp::collect(fp::kSourceCast, true);  // the input casts' flags (nan -> int: invalid)
    if (p.fp_rule) p.fp_rule(kin, kstrides, m);
    p.kernel(kin, kstrides, out, out_stride, m);
    fp::collect(static_cast<int16_t>(p.op), p.fp_trusted);
  };
  if (!needs_cast) {
    call_kernel(in, in_strides, ptrs[0], strides[0], n);
    return;
  }
  alignas(64) std::byte in_buf[3][kCastBlock * 16];
  alignas(64) std::byte out_buf[kCastBlock * 16];
  const int out_size = itemsize(p.kernel_out);
  for (int64_t start = 0; start < n; start += kCastBlock) {
    const int64_t m = std::min(kCastBlock, n - start);
    const std::byte* block_in[3];
    int64_t block_strides[3];
    for (int k = 0; k < p.nin; ++k) {
      const std::byte* src = ptrs[k + 1] + start * strides[k + 1];
      if (p.in_casts[k] && strides[k + 1] == 0) {  // a broadcast value: convert it once
        if (start == 0) p.in_casts[k](src, 0, in_buf[k], 0, 1);
        block_in[k] = in_buf[k];
        block_strides[k] = 0;
      } else if (p.in_casts[k]) {
        p.in_casts[k](src, strides[k + 1], in_buf[k], itemsize(p.in_types[k]), m);
        block_in[k] = in_buf[k];
        block_strides[k] = itemsize(p.in_types[k]);
      } else {
        block_in[k] = src;
        block_strides[k] = strides[k + 1];
      }
    }
    std::byte* dst = ptrs[0] + start * strides[0];
    if (p.out_cast) {
      call_kernel(block_in, block_strides, out_buf, out_size, m);
      p.out_cast(out_buf, out_size, dst, strides[0], m);
    } else {
      call_kernel(block_in, block_strides, dst, strides[0], m);
    }
  }
}

template <size_t N>
void run(const Plan& p, const Array& out, const std::vector<Array>& ins) {
  std::array<std::byte*, N> ptrs;
  std::array<const int64_t*, N> strides;
  ptrs[0] = out.data();
  strides[0] = out.strides().data();
  for (size_t k = 1; k < N; ++k) {
    ptrs[k] = ins[k - 1].data();
    strides[k] = ins[k - 1].strides().data();
  }
  for_each_run<N>(out.shape(), ptrs, strides,
                  [&](const std::array<std::byte*, N>& pt, const std::array<int64_t, N>& st,
                      int64_t n) { run_block<N>(p, pt, st, n); });
}

// A view of `a` broadcast to `shape` (stride 0 along the new and the stretched axes).
Array broadcast_view(const Array& a, const Shape& shape) {
  const int nd = static_cast<int>(shape.size());
  const int off = nd - a.ndim();
  Strides strides(nd, 0);
  for (int i = 0; i < a.ndim(); ++i) {
    strides[off + i] = a.shape()[i] == 1 ? 0 : a.strides()[i];
  }
  return a.with_layout(a.offset(), shape, strides);
}

// True when out and input share memory in a way that a single pass could read an element
// after it was overwritten. Identical layouts (a += b writes where it reads) are safe.
bool overlaps_unsafely(const Array& out, const Array& in) {
  if (!out.may_share_memory(in)) return false;
  return !(out.data() == in.data() && out.strides() == in.strides() && out.shape() == in.shape());
}

[[noreturn]] void cast_error(OpId op, const char* what, DType from, DType to) {
  throw_type_error("Cannot cast ufunc '" + std::string(op_info(op).name) + "' " + what +
                   " from dtype('" + std::string(name(from)) + "') to dtype('" +
                   std::string(name(to)) + "') with casting rule 'same_kind'");
}

}  // namespace

Array apply_elementwise(OpId op, const std::vector<Operand>& inputs,
                        const std::optional<Array>& out_arg) {
  const OpInfo& oi = op_info(op);
  if (static_cast<int>(op) >= kNumElementwiseOps) {
    throw_type_error("'" + std::string(oi.name) + "' is not an elementwise op");
  }
  const int nin = static_cast<int>(inputs.size());
  std::vector<OperandType> types;
  for (const auto& o : inputs) types.push_back({o.array.dtype(), o.weak});
  const LoopTypes lt = resolve_dtypes(op, types);
  Kernel kernel = find_kernel(op, lt.loop);
  if (!kernel) {
    throw_type_error("ufunc '" + std::string(oi.name) + "' has no loop for dtype " +
                     std::string(name(lt.loop)));
  }

  std::vector<Shape> shapes;
  for (const auto& o : inputs) shapes.push_back(o.array.shape());
  if (out_arg) shapes.push_back(out_arg->shape());
  const Shape shape = broadcast_shapes(shapes);

  Array out;
  if (out_arg) {
    out = *out_arg;
    if (out.shape() != shape) {
      throw_value_error("non-broadcastable output operand with shape " + shape_repr(out.shape()) +
                        " doesn't match the broadcast shape " + shape_repr(shape));
    }
    if (!out.writeable()) throw_value_error("output array is read-only");
    if (!can_cast_same_kind(lt.output, out.dtype())) cast_error(op, "output", lt.output, out.dtype());
  } else {
    out = Array::empty(shape, lt.output);
  }

  Plan plan{op, kernel, find_fp_rule(op, lt.loop), fp_trusts_hardware(op), nin, lt.inputs, lt.output, {}, nullptr};
  if (out.dtype() != lt.output) plan.out_cast = cast_function(lt.output, out.dtype());

  std::vector<Array> ins;
  for (int k = 0; k < nin; ++k) {
    Array a = inputs[k].array;
    const DType want = lt.inputs[k];
    if (a.dtype() != want) {
      if (inputs[k].weak == Weak::None && !can_cast_same_kind(a.dtype(), want) && out_arg) {
        cast_error(op, "input", a.dtype(), want);
      }
      // Scalars (0-d) are converted once; everything else block by block inside the loop.
      if (a.ndim() == 0) a = astype(a, want);
    }
    if (out_arg && overlaps_unsafely(out, broadcast_view(a, shape))) a = copy(a);
    if (a.dtype() != want) plan.in_casts[k] = cast_function(a.dtype(), want);
    ins.push_back(broadcast_view(a, shape));
  }
  if (out.size() == 0) return out;
  fp::Evaluation fp_scope;
  switch (nin) {
    case 1: run<2>(plan, out, ins); break;
    case 2: run<3>(plan, out, ins); break;
    case 3: run<4>(plan, out, ins); break;
    default: throw_type_error("unsupported arity");
  }
  fp_scope.report(oi.name.data(), fp::kSourceCast);  // leftover: the output cast's flags
  return out;
}

Array apply_elementwise(OpId op, const std::vector<Array>& inputs, const std::optional<Array>& out) {
  std::vector<Operand> ops;
  for (const auto& a : inputs) ops.push_back({a, Weak::None});
  return apply_elementwise(op, ops, out);
}

}  // namespace numfuse::ufuncs
