// The eager reduction engine: axis handling, dtype choice, output allocation, and the walk that
// feeds input runs to a type-erased block kernel (reduce_loop.hpp).
#include "numfuse/ufuncs/reduce.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/nditer.hpp"
#include "numfuse/core/views.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "reduce_loop.hpp"
#include "reduce_parallel.hpp"

namespace numfuse {

std::vector<int> normalize_reduction_axes(const std::vector<int64_t>& axes, int ndim) {
  std::vector<int> out;
  for (int64_t axis : axes) {
    if (axis < -ndim || axis >= ndim) {
      throw Error(ErrorKind::Axis, "axis " + std::to_string(axis) +
                                       " is out of bounds for array of dimension " +
                                       std::to_string(ndim));
    }
    out.push_back(static_cast<int>(axis < 0 ? axis + ndim : axis));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    throw_value_error("duplicate value in 'axis'");
  }
  return out;
}

namespace {

using reduction::ReduceLoop;

ReduceLoop find_loop(ReductionOp op, DType input, DType acc) {
  switch (op) {
    case ReductionOp::sum:
    case ReductionOp::prod:
    case ReductionOp::nansum:
    case ReductionOp::mean:
    case ReductionOp::nanmean: return reduction::fold_loop(op, input, acc);
    case ReductionOp::min:
    case ReductionOp::max:
    case ReductionOp::nanmin:
    case ReductionOp::nanmax:
    case ReductionOp::argmin:
    case ReductionOp::argmax: return reduction::extremum_loop(op, input);
    case ReductionOp::any:
    case ReductionOp::all: return reduction::logical_loop(op, input);
    case ReductionOp::var:
    case ReductionOp::std: return reduction::moment_loop(op, input, acc);
    case ReductionOp::cumsum:
    case ReductionOp::cumprod: break;
  }
  throw_value_error(std::string(info(op).name) + " is not a reduction to a value");
}

bool is_arg_reduction(ReductionOp op) {
  return op == ReductionOp::argmin || op == ReductionOp::argmax;
}

// NumPy's errors for reducing zero elements when the op has no identity.
void check_not_empty(ReductionOp op) {
  const ReductionInfo& r = info(op);
  if (is_arg_reduction(op)) {
    throw_value_error("attempt to get " + std::string(r.name) + " of an empty sequence");
  }
  if (r.identity == ReductionIdentity::None && r.folds != "none") {
    throw_value_error("zero-size array to reduction operation " + std::string(r.folds) +
                      " which has no identity");
  }
}

// The output operand seen with the input's shape: states laid out C-contiguously over the kept
// axes, stride 0 along the reduced ones.
Strides state_strides(const Shape& shape, const std::vector<bool>& reduced, int64_t state_size) {
  Strides strides(shape.size(), 0);
  int64_t step = state_size;
  for (int i = static_cast<int>(shape.size()) - 1; i >= 0; --i) {
    if (reduced[i]) continue;
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

void check_out_shape(const Array& out, const Shape& expected, std::string_view op_name) {
  if (out.shape() != expected) {
    throw_value_error("output parameter for " + std::string(op_name) + " has shape " +
                      shape_repr(out.shape()) + " but the result has shape " +
                      shape_repr(expected));
  }
}

}  // namespace

namespace {

namespace fp = ufuncs::fp;

// Runs `fold` (the reduction proper) in a floating-point evaluation: NumPy's reports name
// `source` ("reduce", "accumulate"); flags of ops that do not report (max of NaN) are dropped.
template <class Fold>
auto with_fp_report(ReductionOp op, const Array& input, const char* source, Fold&& fold) {
  fp::Evaluation fp_scope;
  if (input.size() > 0) input.data();  // a pending input first: its flags are its own ops'
  const fp::Status before = fp::current();
  auto result = fold();
  if (!reduction_reports_fp_flags(op)) {
    fp::take_hardware_flags();
    fp::current() = before;
  }
  fp_scope.report(source);
  return result;
}

ReduceResult reduce_unreported(ReductionOp op, const Array& input, const ReduceOptions& options);
Array cumulative_unreported(ReductionOp op, const Array& input, std::optional<int64_t> axis_arg,
                            std::optional<DType> dtype, const std::optional<Array>& out);

}  // namespace

ReduceResult reduce(ReductionOp op, const Array& input, const ReduceOptions& options) {
  return with_fp_report(op, input, "reduce", [&] { return reduce_unreported(op, input, options); });
}

Array cumulative(ReductionOp op, const Array& input, std::optional<int64_t> axis_arg,
                 std::optional<DType> dtype, const std::optional<Array>& out) {
  return with_fp_report(op, input, "accumulate",
                        [&] { return cumulative_unreported(op, input, axis_arg, dtype, out); });
}

namespace {

ReduceResult reduce_unreported(ReductionOp op, const Array& input, const ReduceOptions& options) {
  if (info(op).kind != ReductionKind::Reduction) {
    throw_value_error(std::string(info(op).name) + " is a cumulative op, not a reduction");
  }
  Array a = input;
  const int ndim = a.ndim();
  std::vector<int> axes;
  if (options.axes) {
    axes = normalize_reduction_axes(*options.axes, ndim);
  } else {
    for (int i = 0; i < ndim; ++i) axes.push_back(i);
  }
  std::vector<bool> reduced(ndim, false);
  for (int ax : axes) reduced[ax] = true;

  Shape kept_shape, keepdims_shape;
  int64_t reduced_count = 1;
  for (int i = 0; i < ndim; ++i) {
    if (reduced[i]) {
      reduced_count *= a.shape()[i];
      keepdims_shape.push_back(1);
    } else {
      kept_shape.push_back(a.shape()[i]);
      keepdims_shape.push_back(a.shape()[i]);
    }
  }
  if (reduced_count == 0 && !options.initial) check_not_empty(op);

  // argmin/argmax count positions in C order, while the walk goes in memory order: with more than
  // one reduced axis, reduce a C-ordered flat copy instead (as NumPy does).
  if (is_arg_reduction(op) && axes.size() > 1) {
    a = reshape_view(ascontiguous(a), Shape{a.size()}).value();
    reduced.assign(1, true);
  }

  const DType* requested = options.dtype ? &*options.dtype : nullptr;
  DType requested_from_out;
  if (!requested && options.out && info(op).dtype_rule == ReductionDTypeRule::SumLike) {
    requested_from_out = options.out->dtype();  // ufunc.reduce: out's dtype is the default dtype
    requested = &requested_from_out;
  }
  const DType acc = reduction_accumulator_dtype(op, a.dtype(), requested);
  ReduceLoop loop = find_loop(op, a.dtype(), acc);
  if (!loop) {  // no kernel converts this pair while loading: cast the input first
    a = astype(a, acc);
    loop = find_loop(op, acc, acc);
  }

  // A plain mean folds with the sum kernel (the same sums) and divides by the reduced count at the
  // end, as NumPy does: {sum} states instead of {sum, count} halve what every row of an outer-axis
  // mean reads and writes (mean(axis=0) of a C array took twice as long as sum(axis=0)).
  ReduceLoop fold = loop;
  bool sum_then_divide = false;
  if (loop.finalize_sum && !options.initial) {
    if (ReduceLoop sum = find_loop(ReductionOp::sum, a.dtype(), acc)) {
      fold = sum;
      sum_then_divide = true;
    }
  }
  const int64_t ss = fold.state_size;

  Array result = Array::empty(kept_shape, loop.result_dtype);
  const int64_t n_out = result.size();
  std::vector<std::byte> states(static_cast<size_t>(std::max<int64_t>(n_out, 1) * ss));
  for (int64_t i = 0; i < n_out; ++i) fold.init(states.data() + i * ss);
  if (options.initial) {
    Array initial = astype(*options.initial, is_arg_reduction(op) ? a.dtype() : acc);
    for (int64_t i = 0; i < n_out; ++i) {
      fold.accumulate(states.data() + i * ss, initial.data(), 0, 1);
    }
  }

  if (n_out > 0) {
    // In memory order; large inputs on several threads, with the same result (reduce_parallel.hpp).
    Strides s_strides = state_strides(a.shape(), reduced, ss);
    reduction::fold_into_states(fold, a, s_strides.data(), states.data());
  }

  ReduceResult out;
  reduction::FinalizeContext ctx;
  ctx.ddof = options.ddof;
  const int64_t item = result.itemsize();
  for (int64_t i = 0; i < n_out; ++i) {
    if (sum_then_divide) {
      loop.finalize_sum(states.data() + i * ss, reduced_count, result.data() + i * item, ctx);
    } else {
      loop.finalize(states.data() + i * ss, result.data() + i * item, ctx);
    }
  }
  out.flags = ctx.flags;

  if (options.dtype && result.dtype() != *options.dtype &&
      info(op).dtype_rule == ReductionDTypeRule::VarLike) {
    // NumPy sums the squared deviations in dtype=, so var(dtype=complex128) is complex (with a
    // zero imaginary part); var(dtype=int) is computed in float64 here and cast.
    result = astype(result, *options.dtype);
  }
  if (options.keepdims) result = reshape_view(result, keepdims_shape).value();
  if (options.out) {
    check_out_shape(*options.out, result.shape(), info(op).name);
    copy_into(*options.out, result);
    out.value = *options.out;
  } else {
    out.value = result;
  }
  return out;
}

namespace {

// The axis runs in memory order innermost when no other (non-unit) axis has a smaller stride.
bool axis_is_innermost(const Array& a, int axis) {
  const int64_t s = std::abs(a.strides()[axis]);
  for (int i = 0; i < a.ndim(); ++i) {
    if (i != axis && a.shape()[i] > 1 && std::abs(a.strides()[i]) < s) return false;
  }
  return true;
}

}  // namespace

Array cumulative_unreported(ReductionOp op, const Array& input, std::optional<int64_t> axis_arg,
                            std::optional<DType> dtype, const std::optional<Array>& out) {
  if (info(op).kind != ReductionKind::Cumulative) {
    throw_value_error(std::string(info(op).name) + " is not a cumulative op");
  }
  Array a = input;
  if (!axis_arg) {
    a = reshape_view(ascontiguous(a), Shape{a.size()}).value();
    axis_arg = 0;
  }
  const int axis = normalize_reduction_axes({*axis_arg}, a.ndim())[0];
  if (!dtype && out) dtype = out->dtype();
  const DType acc = reduction_accumulator_dtype(op, a.dtype(), dtype ? &*dtype : nullptr);
  reduction::ScanLoop loop = reduction::scan_loop(op, a.dtype(), acc);
  if (!loop) {
    a = astype(a, acc);
    loop = reduction::scan_loop(op, acc, acc);
  }
  Array result = Array::empty(a.shape(), loop.result_dtype);
  const int64_t length = a.shape()[axis];
  const int64_t in_step = a.strides()[axis], out_step = result.strides()[axis];

  if (result.size() > 0) {
    // The other axes, with the scan axis collapsed to one position.
    Shape lines_shape = a.shape();
    lines_shape[axis] = 1;
    std::array<const int64_t*, 2> strides{a.strides().data(), result.strides().data()};
    if (axis_is_innermost(a, axis)) {
      std::vector<std::byte> state(static_cast<size_t>(loop.state_size));
      for_each_run<2>(lines_shape, {a.data(), result.data()}, strides,
                      [&](const std::array<std::byte*, 2>& p, const std::array<int64_t, 2>& s, int64_t n) {
                        for (int64_t j = 0; j < n; ++j) {
                          loop.init(state.data());
                          loop.scan(state.data(), p[0] + j * s[0], in_step, p[1] + j * s[1], out_step,
                                    length);
                        }
                      });
    } else {
      // Row by row along the axis: each step combines a whole row with the previous result row.
      for (int64_t k = 0; k < length; ++k) {
        std::array<std::byte*, 2> base{a.data() + k * in_step, result.data() + k * out_step};
        for_each_run<2>(lines_shape, base, strides,
                        [&](const std::array<std::byte*, 2>& p, const std::array<int64_t, 2>& s, int64_t n) {
                          const std::byte* previous = k == 0 ? nullptr : p[1] - out_step;
                          loop.scan_rows(previous, s[1], p[0], s[0], p[1], s[1], n);
                        });
      }
    }
  }
  if (out) {
    check_out_shape(*out, result.shape(), info(op).name);
    copy_into(*out, result);
    return *out;
  }
  return result;
}

}  // namespace numfuse

namespace numfuse {

}  // namespace

FullReductionPlan plan_full_reduction(ReductionOp op, DType input) {
  const DType acc = reduction_accumulator_dtype(op, input, nullptr);
  FullReductionPlan plan{input, input, find_loop(op, input, acc)};
  if (!plan.loop) {  // as reduce(): cast to the accumulator first
    plan.kernel_input = acc;
    plan.loop = find_loop(op, acc, acc);
  }
  plan.result = plan.loop.result_dtype;
  return plan;
}

}  // namespace numfuse
