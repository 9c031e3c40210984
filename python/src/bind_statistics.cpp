// numfuse._core._stats: the binning, order-statistics and group-by kernels of algorithms/.
// NumPy's argument rules, dtypes and warnings live in numfuse/_statistics.py; these take arrays
// already converted (see the kernels' headers) and run with the GIL released.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/algorithms/binning.hpp"
#include "numfuse/algorithms/groupby.hpp"
#include "numfuse/algorithms/stats.hpp"
#include "numfuse/jit/lazy.hpp"

namespace numfuse::bind {

namespace {

namespace alg = numfuse::algorithms;

// The array with its pending (lazy) values computed, while the GIL is still held.
Array computed(py::handle h) {
  Array a = array_from_py(h);
  jit::evaluate({a});
  return a;
}

std::optional<Array> optional_computed(py::handle h) {
  if (h.is_none()) return std::nullopt;
  return computed(h);
}

}  // namespace

void bind_statistics(py::module_& m) {
  py::module_ s = m.def_submodule("_stats", "binning, order statistics and group-by kernels");
  s.def("bincount", [](py::handle x, py::handle weights, int64_t minlength) {
    const Array xa = computed(x);
    const std::optional<Array> w = optional_computed(weights);
    py::gil_scoped_release nogil;
    return alg::bincount(xa, w, minlength);
  });
  s.def("histogram_uniform", [](py::handle a, double first, double last, double denom, int64_t bins,
                                py::handle edges, bool subtract_f32, bool divide_f32, py::handle weights) {
    const Array x = computed(a), e = computed(edges);
    const std::optional<Array> w = optional_computed(weights);
    py::gil_scoped_release nogil;
    return alg::histogram_uniform(x, first, last, denom, bins, e, {subtract_f32, divide_f32}, w);
  });
  s.def("histogram_edges", [](py::handle a, py::handle edges, py::handle weights) {
    const Array x = computed(a), e = computed(edges);
    const std::optional<Array> w = optional_computed(weights);
    py::gil_scoped_release nogil;
    return alg::histogram_edges(x, e, w);
  });
  s.def("bin_indices", [](py::handle a, py::handle edges) {
    const Array x = computed(a), e = computed(edges);
    py::gil_scoped_release nogil;
    return alg::bin_indices(x, e);
  });
  s.def("order_statistics", [](py::handle lanes, py::handle ranks, bool skip_nan) {
    const Array x = computed(lanes), r = computed(ranks);
    alg::OrderStatistics result;
    {
      py::gil_scoped_release nogil;
      result = alg::order_statistics(x, r, skip_nan);
    }
    return py::make_tuple(py::cast(std::move(result.values)), py::cast(std::move(result.nan_counts)));
  });
  s.def("partition", [](py::handle lanes, const std::vector<int64_t>& ranks, bool arg) {
    const Array x = computed(lanes);
    py::gil_scoped_release nogil;
    return alg::partition_lanes(x, ranks, arg);
  });
  s.def("sliding_dot", [](py::handle a, py::handle w, int64_t first_lag, int64_t count) {
    const Array x = computed(a), y = computed(w);
    py::gil_scoped_release nogil;
    return alg::sliding_dot(x, y, first_lag, count);
  });
  s.def("groupby_reduce", [](py::handle keys, py::handle values, const std::string& op, double ddof) {
    const alg::GroupOp group_op = alg::group_op_from_name(op);
    const Array k = computed(keys), v = computed(values);
    alg::GroupResult result;
    {
      py::gil_scoped_release nogil;
      result = alg::groupby_reduce(k, v, group_op, ddof);
    }
    return py::make_tuple(py::cast(std::move(result.keys)), py::cast(std::move(result.values)));
  });
}

}  // namespace numfuse::bind
