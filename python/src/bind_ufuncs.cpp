// Elementwise ops for Python: the op table exported as data (numfuse/_ufuncs.py generates the
// functions and operators from it) and one entry point that applies any op.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <complex>
#include <limits>
#include <span>
#include <string>

#include "bind_trace.hpp"
#include "bindings.hpp"
#include "convert.hpp"
#include "ufunc_call.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/small_vector.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/trace.hpp"
#include "numfuse/ufuncs/elementwise.hpp"
#include "numfuse/ufuncs/kernels.hpp"
#include "numfuse/ufuncs/fold_rules.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/op_table.hpp"

namespace numfuse::bind {

namespace {

using ufuncs::OpId;
using ufuncs::Operand;
using ufuncs::Weak;

const char* kind_name(ufuncs::OpKind k) {
  switch (k) {
    case ufuncs::OpKind::Unary: return "unary";
    case ufuncs::OpKind::Binary: return "binary";
    case ufuncs::OpKind::Comparison: return "comparison";
    case ufuncs::OpKind::Predicate: return "predicate";
    case ufuncs::OpKind::Ternary: return "ternary";
    case ufuncs::OpKind::Reduction: return "reduction";
    case ufuncs::OpKind::Cumulative: return "cumulative";
  }
  return "?";
}

// ufunc.identity as NumPy spells it (None, 0, 1, -1, True, False or -inf).
py::object fold_identity(ufuncs::FoldRule rule) {
  using ufuncs::FoldRule;
  switch (rule) {
    case FoldRule::NotReorderable:
    case FoldRule::Reorderable: return py::none();
    case FoldRule::Zero: return py::int_(0);
    case FoldRule::One: return py::int_(1);
    case FoldRule::MinusOne: return py::int_(-1);
    case FoldRule::MinusInf: return py::float_(-std::numeric_limits<double>::infinity());
    case FoldRule::False: return py::bool_(false);
    case FoldRule::True: return py::bool_(true);
  }
  return py::none();
}

py::list op_descriptors() {
  py::list ops;
  for (int i = 0; i < ufuncs::kNumElementwiseOps; ++i) {
    const auto op = static_cast<OpId>(i);
    const auto& oi = ufuncs::op_info(op);
    py::list dtypes, simd;
    for (int d = 0; d < kNumDTypes; ++d) {
      if (!oi.supports(static_cast<DType>(d))) continue;
      dtypes.append(dtype_to_py(static_cast<DType>(d)));
      if (ufuncs::has_simd_kernel(op, static_cast<DType>(d))) simd.append(dtype_to_py(static_cast<DType>(d)));
    }
    py::dict desc;
    desc["id"] = i;
    desc["name"] = std::string(oi.name);
    desc["arity"] = oi.arity;
    desc["kind"] = kind_name(oi.kind);
    desc["loops"] = dtypes;
    desc["simd"] = simd;
    const ufuncs::FoldRule rule = ufuncs::ufunc_fold_rule(op);
    desc["identity"] = fold_identity(rule);
    desc["reorderable"] = rule != ufuncs::FoldRule::NotReorderable;
    ops.append(desc);
  }
  return ops;
}

// Python int/float/complex are weak scalars (NEP 50); bool and NumPy scalars are strong.
// Ints that do not fit int64 travel as uint64 (2**63 <= v < 2**64) or raise OverflowError.
Operand operand_from_py(py::handle obj) {
  PyObject* p = obj.ptr();
  if (const Array* a = exact_array(p)) return {*a, Weak::None};
  // Python scalars become shared constants (jit::constant): expressions repeat them.
  if (PyLong_CheckExact(p) || (PyLong_Check(p) && !PyBool_Check(p) && !py::isinstance<Array>(obj))) {
    int overflow = 0;
    const int64_t v = PyLong_AsLongLongAndOverflow(p, &overflow);
    if (overflow == 0) return {jit::constant(DType::Int64, &v), Weak::Int};
    if (overflow > 0) {
      const uint64_t u = PyLong_AsUnsignedLongLong(p);
      if (!PyErr_Occurred()) return {jit::constant(DType::UInt64, &u), Weak::Int};
      PyErr_Clear();
    }
    PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C long");
    throw py::error_already_set();
  }
  if (PyFloat_CheckExact(p)) {
    const double v = PyFloat_AS_DOUBLE(p);
    return {jit::constant(DType::Float64, &v), Weak::Float};
  }
  if (PyComplex_CheckExact(p)) {
    const Py_complex c = PyComplex_AsCComplex(p);
    const std::complex<double> v(c.real, c.imag);
    return {jit::constant(DType::Complex128, &v), Weak::Complex};
  }
  if (auto traced = traced_scalar_operand(p)) return *traced;  // @nf.jit's scalar arguments
  return {array_from_py(obj), Weak::None};
}

// The int value of a weak-int operand (int64 or uint64 0-d array) fits `target`?
bool weak_int_fits(const Array& a, DType target) {
  if (!is_integer(target)) return true;
  const bool big = a.dtype() == DType::UInt64;
  const int64_t v = *a.data_as<int64_t>();
  const int bits = itemsize(target) * 8;
  if (kind(target) == DTypeKind::UnsignedInt) {
    if (big) return bits == 64;
    return v >= 0 && (bits == 64 || static_cast<uint64_t>(v) < (uint64_t{1} << bits));
  }
  if (big) return false;
  if (bits == 64) return true;
  const int64_t lim = int64_t{1} << (bits - 1);
  return v >= -lim && v < lim;
}

std::string weak_int_repr(const Array& a) {
  return a.dtype() == DType::UInt64 ? std::to_string(*a.data_as<uint64_t>())
                                     : std::to_string(*a.data_as<int64_t>());
}

// ==, !=, <, <=, >, >= compare a Python int's exact value with an integer array (NumPy 2).
bool is_ordering_comparison(OpId op) {
  return op == OpId::equal || op == OpId::not_equal || op == OpId::less ||
         op == OpId::less_equal || op == OpId::greater || op == OpId::greater_equal;
}

struct Call {
  OpId op;
  std::vector<Operand> operands;
  std::optional<Array> out;
};

// Converts Python arguments into operands and checks NEP 50's rules on Python ints.
Call prepare_call(int op_id, std::span<const py::handle> args, py::handle out_obj) {
  if (op_id < 0 || op_id >= ufuncs::kNumElementwiseOps) throw_value_error("bad op id");
  const auto op = static_cast<OpId>(op_id);
  const auto& oi = ufuncs::op_info(op);
  std::vector<Operand> operands;
  operands.reserve(args.size());
  for (auto a : args) operands.push_back(operand_from_py(a));
  if (static_cast<int>(operands.size()) != oi.arity) {
    throw py::type_error(std::string(oi.name) + "() takes from " + std::to_string(oi.arity) +
                         " to " + std::to_string(oi.arity + 1) + " positional arguments but " +
                         std::to_string(operands.size()) + " were given");
  }
  // NEP 50: a weak Python int must fit the dtype it is converted to; comparisons instead
  // compare its exact value (uint8_array < 300 is all True), so it turns into a strong int64.
  bool any_weak_int = false;
  for (const auto& o : operands) any_weak_int = any_weak_int || o.weak == Weak::Int;
  if (any_weak_int) {
    SmallVector<ufuncs::OperandType, 3> types;
    for (const auto& o : operands) types.push_back({o.array.dtype(), o.weak});
    const auto lt = ufuncs::resolve_dtypes(op, std::span(types.data(), types.size()));
    bool integer_arrays = false;
    for (const auto& o : operands) integer_arrays = integer_arrays || (o.weak == Weak::None && is_integer(o.array.dtype()));
    const bool logical = op == OpId::logical_and || op == OpId::logical_or || op == OpId::logical_xor;
    for (size_t k = 0; k < operands.size(); ++k) {
      if (operands[k].weak != Weak::Int) continue;
      // Logical ops only need the value to be a C long; the others need it to fit the loop.
      const DType target = logical ? DType::Int64 : lt.inputs[k];
      if (weak_int_fits(operands[k].array, target)) continue;
      if (is_ordering_comparison(op) && integer_arrays) {
        operands[k].weak = Weak::None;
        continue;
      }
      PyErr_SetString(PyExc_OverflowError, ("Python integer " + weak_int_repr(operands[k].array) +
                                            " out of bounds for " + std::string(name(target))).c_str());
      throw py::error_already_set();
    }
    // int ** negative int is an error NumPy raises at the call: a Python int exponent is known
    // now, so it is not left to the (lazy) kernel. Array exponents are checked when they run.
    if (op == OpId::power && is_integer(lt.loop) && operands[1].weak == Weak::Int &&
        operands[1].array.dtype() == DType::Int64 && *operands[1].array.data_as<int64_t>() < 0) {
      throw_value_error("Integers to negative integer powers are not allowed.");
    }
  }
  std::optional<Array> out;
  if (!out_obj.is_none()) {
    if (!py::isinstance<Array>(out_obj) && !py::hasattr(out_obj, "__array_interface__")) {
      throw py::type_error("return arrays must be of ArrayType");
    }
    out = array_from_py(out_obj);
  }
  return {op, std::move(operands), std::move(out)};
}

SmallVector<py::handle, 3> handles(py::tuple args) {
  SmallVector<py::handle, 3> h;
  for (auto a : args) h.push_back(a);
  return h;
}

}  // namespace

py::object apply_ufunc(int op_id, std::span<const py::handle> args, py::handle out_obj) {
  auto [op, operands, out] = prepare_call(op_id, args, out_obj);
  // Lazy: records a graph node (the GIL is released while fused groups run, see bind_jit.cpp).
  Array result = jit::apply(op, operands, out);
  // NumPy's ufuncs return a scalar, not a 0-d array, when no out= is given (np.where does not).
  // While @nf.jit traces a function the 0-d array stays: its value does not exist yet.
  if (result.ndim() == 0 && !out && op != OpId::where && !jit::trace::active()) return scalar_to_py(result);
  return py::cast(std::move(result));
}

namespace {

// The eager path alone (the op-table tests check the kernels through it).
Array apply_eager(int op_id, py::tuple args, py::object out_obj) {
  const auto h = handles(args);
  auto [op, operands, out] = prepare_call(op_id, std::span(h.data(), h.size()), out_obj);
  int64_t work = 0;
  for (const auto& o : operands) work = std::max(work, o.array.size());
  if (work >= (1 << 16)) {
    ufuncs::fp::Evaluation fp_scope;  // reported here, with the GIL (the kernel runs without)
    Array result;
    {
      py::gil_scoped_release release;
      result = ufuncs::apply_elementwise(op, operands, out);
    }
    fp_scope.report(ufuncs::op_info(op).name.data(), ufuncs::fp::kSourceCast);
    return result;
  }
  return ufuncs::apply_elementwise(op, operands, out);
}

// The real (which=0) or imaginary (which=1) part of a complex array as a view of its memory.
Array component_view(const Array& a, int which) {
  const DType part = a.dtype() == DType::Complex64 ? DType::Float32 : DType::Float64;
  return Array(a.buffer(), a.offset() + which * itemsize(part), a.shape(), a.strides(), part,
               a.writeable());
}

}  // namespace

void bind_ufuncs(py::module_& m) {
  m.def("_ufunc_ops", &op_descriptors, "The elementwise op table as a list of descriptors");
  m.def("_ufunc_apply", [](int op_id, py::tuple args, py::object out) {
          const auto h = handles(args);
          return apply_ufunc(op_id, std::span(h.data(), h.size()), out);
        }, py::arg("op"), py::arg("args"), py::arg("out") = py::none(),
        "Applies elementwise op `op` (an id from _ufunc_ops) to the inputs in `args`");
  m.def("_ufunc_apply_eager", &apply_eager, py::arg("op"), py::arg("args"),
        py::arg("out") = py::none(), "_ufunc_apply without the lazy graph: runs the kernels now");
  m.def("_ufunc_loop", [](int op_id, std::vector<py::handle> dtypes) {
    if (op_id < 0 || op_id >= ufuncs::kNumElementwiseOps) throw_value_error("bad op id");
    std::vector<ufuncs::OperandType> types;
    for (auto d : dtypes) types.push_back({dtype_from_py(d), Weak::None});
    const auto lt = ufuncs::resolve_dtypes(static_cast<OpId>(op_id), types);
    return py::make_tuple(dtype_to_py(lt.loop), dtype_to_py(lt.output));
  }, py::arg("op"), py::arg("dtypes"), "(loop dtype, output dtype) of op for input dtypes");
  m.def("_component_view", &component_view);
  ufuncs::check_simd_request();  // a bad NUMFUSE_SIMD fails the import with its reason
  m.def("_simd_arch", [] { return std::string(ufuncs::simd_arch_name()); });
  m.def("_result_type", [](py::tuple args) {
    std::vector<ufuncs::OperandType> types;
    for (auto a : args) {
      Operand o = operand_from_py(a);
      types.push_back({o.array.dtype(), o.weak});
    }
    return dtype_to_py(ufuncs::result_type(types));
  });
}

}  // namespace numfuse::bind
