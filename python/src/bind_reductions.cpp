// Reductions and cumulative ops for Python: numfuse._core._reduce, _cumulative and
// _reduction_table (the table the Python functions and the tests are generated from).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/jit/trace.hpp"
#include "convert.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/fp_status.hpp"
#include "numfuse/ufuncs/reduce.hpp"

namespace numfuse::bind {

namespace {

// operator.index(), with NumPy's TypeError for floats and other non-integers.
int64_t axis_index(py::handle obj) {
  PyObject* index = PyNumber_Index(obj.ptr());
  if (index == nullptr) {
    PyErr_Clear();
    throw py::type_error("'" + std::string(py::str(py::type::of(obj).attr("__name__"))) +
                         "' object cannot be interpreted as an integer");
  }
  return py::reinterpret_steal<py::object>(index).cast<int64_t>();
}

std::optional<std::vector<int64_t>> axes_from_py(py::handle axis) {
  if (axis.is_none()) return std::nullopt;
  std::vector<int64_t> axes;
  if (PyTuple_Check(axis.ptr()) || PyList_Check(axis.ptr())) {
    for (auto item : axis) axes.push_back(axis_index(item));
  } else {
    axes.push_back(axis_index(axis));
  }
  return axes;
}

std::optional<DType> optional_dtype(py::handle dtype) {
  if (dtype.is_none()) return std::nullopt;
  return dtype_from_py(dtype);
}

std::optional<Array> optional_array(py::handle obj) {
  if (obj.is_none()) return std::nullopt;
  return array_from_py(obj);
}

// Bits of the flags integer returned with a result; numfuse._reductions turns them into NumPy's
// RuntimeWarnings.
int flag_bits(const reduction::ReduceFlags& f) {
  return (f.empty_slice ? 1 : 0) | (f.all_nan_slice ? 2 : 0) | (f.nonpositive_dof ? 4 : 0);
}

// NumPy returns a scalar for a 0-d result unless out= was given (and while @nf.jit traces a
// function: a traced reduction has no value yet).
py::object result_to_py(const Array& result, py::handle out) {
  if (!out.is_none()) return py::reinterpret_borrow<py::object>(out);
  if (result.ndim() == 0 && !jit::trace::active()) return scalar_to_py(result);
  return py::cast(result);
}

py::tuple reduce_py(const std::string& name, py::handle a, py::handle axis, bool keepdims,
                    py::handle dtype, py::handle out, py::handle initial, double ddof) {
  const ReductionOp op = reduction_from_name(name);
  const Array input = array_from_py(a);
  ReduceOptions options;
  options.axes = axes_from_py(axis);
  options.keepdims = keepdims;
  options.dtype = optional_dtype(dtype);
  options.out = optional_array(out);
  if (options.out && !options.out->writeable()) throw_value_error("output array is read-only");
  options.initial = optional_array(initial);
  options.ddof = ddof;
  if (!options.dtype && !options.out && !options.initial) {
    // A reduction of a pending expression folds into the expression's own pass.
    std::optional<Array> fused;
    if (!options.axes && !keepdims) {
      fused = jit::reduce_all(op, input);
    } else if (options.axes) {
      fused = jit::reduce_axes(op, input, normalize_reduction_axes(*options.axes, input.ndim()), keepdims);
    }
    if (fused) return py::make_tuple(result_to_py(*fused, out), 0);
  }
  ReduceResult result;
  ufuncs::fp::Evaluation fp_scope;  // reported here, with the GIL (reduce() runs without it)
  {
    py::gil_scoped_release release;
    result = reduce(op, input, options);
  }
  fp_scope.report("reduce");
  return py::make_tuple(result_to_py(result.value, out), flag_bits(result.flags));
}

py::object cumulative_py(const std::string& name, py::handle a, py::handle axis, py::handle dtype,
                         py::handle out) {
  const ReductionOp op = reduction_from_name(name);
  const Array input = array_from_py(a);
  std::optional<int64_t> axis_value;
  if (!axis.is_none()) axis_value = axis_index(axis);
  const std::optional<DType> dt = optional_dtype(dtype);
  const std::optional<Array> out_array = optional_array(out);
  if (out_array && !out_array->writeable()) throw_value_error("output array is read-only");
  Array result;
  ufuncs::fp::Evaluation fp_scope;
  {
    py::gil_scoped_release release;
    result = cumulative(op, input, axis_value, dt, out_array);
  }
  fp_scope.report("accumulate");
  if (!out.is_none()) return py::reinterpret_borrow<py::object>(out);
  return py::cast(result);
}

const char* rule_name(ReductionDTypeRule rule) {
  switch (rule) {
    case ReductionDTypeRule::SumLike: return "sum";
    case ReductionDTypeRule::Same: return "same";
    case ReductionDTypeRule::MeanLike: return "mean";
    case ReductionDTypeRule::VarLike: return "var";
    case ReductionDTypeRule::Index: return "index";
    case ReductionDTypeRule::Bool: return "bool";
  }
  return "?";
}

const char* identity_name(ReductionIdentity identity) {
  switch (identity) {
    case ReductionIdentity::None: return "none";
    case ReductionIdentity::Zero: return "zero";
    case ReductionIdentity::One: return "one";
    case ReductionIdentity::False: return "false";
    case ReductionIdentity::True: return "true";
  }
  return "?";
}

}  // namespace

void bind_reductions(py::module_& m) {
  m.def("_reduce", &reduce_py, py::arg("name"), py::arg("a"), py::arg("axis"),
        py::arg("keepdims"), py::arg("dtype"), py::arg("out"), py::arg("initial"),
        py::arg("ddof"),
        "Reduction `name` of the table; returns (result, warning flags).");
  m.def("_cumulative", &cumulative_py, py::arg("name"), py::arg("a"), py::arg("axis"),
        py::arg("dtype"), py::arg("out"), "Cumulative op `name` (cumsum, cumprod) along axis.");
  m.def("_reduction_table", [] {
    py::list rows;
    for (const ReductionInfo& r : kReductionTable) {
      py::dict row;
      row["name"] = std::string(r.name);
      row["kind"] = r.kind == ReductionKind::Reduction ? "reduction" : "cumulative";
      row["folds"] = std::string(r.folds);
      row["dtype_rule"] = rule_name(r.dtype_rule);
      row["identity"] = identity_name(r.identity);
      rows.append(row);
    }
    return rows;
  }, "The reduction entries of the op table, as dicts.");
}

}  // namespace numfuse::bind
