// Sorting, searching, unique and sets for Python: numfuse._core._sort, _argsort, _lexsort, ...
// The NumPy-level argument handling (kinds, axis=None, result types) is in numfuse/_sorting.py.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/algorithms/search.hpp"
#include "numfuse/algorithms/sort.hpp"
#include "numfuse/algorithms/unique.hpp"

namespace numfuse::bind {

namespace py = pybind11;

namespace {

// fn(array) on the materialized input, without the GIL.
template <class Fn>
Array without_gil(Fn&& fn) {
  py::gil_scoped_release release;
  return fn();
}

py::object optional(const Array& a) { return a.buffer() ? py::cast(a) : py::none(); }

}  // namespace

void bind_sorting(py::module_& m) {
  m.def("_sort", [](py::handle a, int64_t axis) {
    const Array input = array_from_py(a);
    return without_gil([&] { return algorithms::sort(input, axis); });
  }, py::arg("a"), py::arg("axis"), "A sorted copy of `a` along `axis` (stable, NaNs last).");
  m.def("_argsort", [](py::handle a, int64_t axis) {
    const Array input = array_from_py(a);
    return without_gil([&] { return algorithms::argsort(input, axis); });
  }, py::arg("a"), py::arg("axis"), "Stable argsort of `a` along `axis` (int64).");
  m.def("_lexsort", [](py::sequence keys, int64_t axis) {
    std::vector<Array> arrays;
    for (py::handle k : keys) arrays.push_back(array_from_py(k));
    return without_gil([&] { return algorithms::lexsort(arrays, axis); });
  }, py::arg("keys"), py::arg("axis"), "NumPy's lexsort of keys of one shape (last key primary).");
  m.def("_unique", [](py::handle a, bool equal_nan, bool want_index, bool want_inverse, bool want_counts) {
    const Array input = array_from_py(a);
    algorithms::UniqueResult r;
    {
      py::gil_scoped_release release;
      r = algorithms::unique(input, equal_nan, want_index, want_inverse, want_counts);
    }
    return py::make_tuple(py::cast(r.values), optional(r.index), optional(r.inverse), optional(r.counts));
  }, py::arg("a"), py::arg("equal_nan"), py::arg("want_index"), py::arg("want_inverse"),
     py::arg("want_counts"),
     "(values, index, inverse, counts) of `a` flattened; None for the parts not asked for.");
  m.def("_isin", [](py::handle element, py::handle test, bool invert) {
    const Array e = array_from_py(element), t = array_from_py(test);
    return without_gil([&] { return algorithms::isin(e, t, invert); });
  }, py::arg("element"), py::arg("test"), py::arg("invert"),
     "element in test, elementwise (test converted to element's dtype).");
  m.def("_searchsorted", [](py::handle a, py::handle v, bool right, py::handle sorter) {
    const Array sorted = array_from_py(a), queries = array_from_py(v);
    std::optional<Array> order;
    if (!sorter.is_none()) order = array_from_py(sorter);
    return without_gil([&] { return algorithms::searchsorted(sorted, queries, right, order); });
  }, py::arg("a"), py::arg("v"), py::arg("right"), py::arg("sorter"),
     "Insertion points of v into the sorted 1-D a (one dtype; int64 result of v's shape).");
  m.def("_bins_monotonicity", [](py::handle bins) {
    const Array b = array_from_py(bins);
    py::gil_scoped_release release;
    return algorithms::bins_monotonicity(b);
  }, py::arg("bins"), "1 increasing, -1 decreasing, 0 neither (NumPy's digitize check).");
}

}  // namespace numfuse::bind
