// Advanced indexing primitives for numfuse._indexing: gather/scatter over a basic view plus
// integer index arrays, nonzero and count_nonzero. The key parsing (NumPy's rules for where index
// dimensions go, boolean masks, errors) lives in Python; this file only moves data.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/indexing.hpp"

namespace numfuse::bind {

namespace {

FancyIndex fancy_index(const std::vector<int>& axes, py::list indices, const std::vector<int>& error_axes,
                       int insert_at) {
  FancyIndex index;
  index.axes = axes;
  for (auto item : indices) index.indices.push_back(array_from_py(item));
  index.error_axes = error_axes;
  index.insert_at = insert_at;
  return index;
}

py::tuple to_tuple(std::vector<Array> arrays) {
  py::tuple t(arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) t[i] = py::cast(std::move(arrays[i]));
  return t;
}

}  // namespace

void bind_indexing(py::module_& m) {
  m.def("_fancy_get", [](const Array& view, const std::vector<int>& axes, py::list indices,
                         const std::vector<int>& error_axes, int insert_at) {
    FancyIndex index = fancy_index(axes, indices, error_axes, insert_at);
    py::gil_scoped_release nogil;
    return gather(view, index);
  }, "view[index arrays on `axes`], index dims placed after `insert_at` remaining axes");

  m.def("_fancy_set", [](const Array& view, const std::vector<int>& axes, py::list indices,
                         const std::vector<int>& error_axes, int insert_at, py::handle values) {
    FancyIndex index = fancy_index(axes, indices, error_axes, insert_at);
    Array v = array_from_py(values);
    py::gil_scoped_release nogil;
    scatter(view, index, v);
  }, "view[index arrays on `axes`] = values (last write wins for repeated indices)");

  m.def("_mask_get", [](const Array& a, const Array& mask) {
    py::gil_scoped_release nogil;
    return mask_gather(a, mask);
  }, "a[mask] for a boolean mask of a's shape");
  m.def("_mask_set", [](const Array& a, const Array& mask, const Array& values) {
    py::gil_scoped_release nogil;
    mask_scatter(a, mask, values);
  }, "a[mask] = values for a boolean mask of a's shape");

  m.def("_nonzero", [](const Array& a) { return to_tuple(nonzero(a)); },
        "coordinates of the non-zero elements, one int64 array per dimension");
  m.def("_count_nonzero", [](const Array& a) { return count_nonzero(a); });
}

}  // namespace numfuse::bind
