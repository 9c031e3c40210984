// Text tables for numfuse._textio: _loadtxt and _read_csv parse a file (memory-mapped here) or a
// bytes-like object with the GIL released; _format_rows renders rows for savetxt.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/algorithms/text_chunks.hpp"
#include "numfuse/algorithms/text_format.hpp"
#include "numfuse/algorithms/text_io.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::bind {

namespace py = pybind11;
namespace text = numfuse::algorithms::text;

namespace {

// The bytes to parse: a path (str, mapped) or any object with the buffer protocol (held).
class TextSource {
 public:
  explicit TextSource(py::handle source) {
    if (py::isinstance<py::str>(source)) {
      file_ = std::make_unique<text::MappedFile>(source.cast<std::string>());
      begin_ = file_->begin();
      end_ = file_->end();
    } else {
      buffer_ = py::reinterpret_borrow<py::buffer>(source).request();
      if (buffer_.ndim > 1 || (buffer_.ndim == 1 && buffer_.strides[0] != buffer_.itemsize)) {
        throw_value_error("text to parse must be a contiguous bytes-like object");
      }
      begin_ = static_cast<const char*>(buffer_.ptr);
      end_ = begin_ + buffer_.size * buffer_.itemsize;
    }
  }
  const char* begin() const { return begin_; }
  const char* end() const { return end_; }

 private:
  std::unique_ptr<text::MappedFile> file_;
  py::buffer_info buffer_;
  const char* begin_ = nullptr;
  const char* end_ = nullptr;
};

// One ASCII character of a str option, or 0 for None.
char control_char(py::handle value, const char* what) {
  if (value.is_none()) return 0;
  const std::string s = value.cast<std::string>();
  if (s.size() != 1 || static_cast<unsigned char>(s[0]) > 127) {
    throw_type_error(std::string(what) + " must be a single ASCII character or None");
  }
  return s[0];
}

text::Dialect dialect_from_py(py::handle delimiter, py::handle quote, const std::vector<std::string>& comments) {
  text::Dialect d;
  d.delimiter = control_char(delimiter, "delimiter");
  d.quote = control_char(quote, "quotechar");
  d.comments = comments;
  return d;
}

py::tuple loadtxt_py(py::handle source, py::handle delimiter, py::handle quote, const std::vector<std::string>& comments,
                     py::handle dtype, int64_t skiprows, int64_t max_rows, std::optional<std::vector<int64_t>> usecols,
                     bool lenient, double filling) {
  text::LoadtxtOptions options;
  options.dialect = dialect_from_py(delimiter, quote, comments);
  options.dtype = dtype_from_py(dtype);
  options.skiprows = skiprows;
  options.max_rows = max_rows;
  options.has_usecols = usecols.has_value();
  if (usecols) options.usecols = *usecols;
  options.lenient = lenient;
  options.filling = filling;
  const TextSource input(source);
  text::LoadtxtResult result;
  {
    py::gil_scoped_release nogil;
    result = text::loadtxt(input.begin(), input.end(), options);
  }
  return py::make_tuple(py::cast(std::move(result.table)), result.first_empty_line);
}

py::tuple read_csv_py(py::handle source, py::handle delimiter, py::handle quote, bool header,
                      const std::vector<std::string>& na_values, py::object progress,
                      const std::vector<std::string>& comments, int64_t skiprows) {
  text::CsvOptions options;
  options.dialect = dialect_from_py(delimiter, quote, comments);
  options.header = header;
  options.skiprows = skiprows;
  options.na_values = na_values;
  if (!progress.is_none()) {
    // Called between batches on this (the calling) thread, with the GIL taken back for it.
    options.progress = [&progress](int64_t done, int64_t total) {
      py::gil_scoped_acquire gil;
      progress(done, total);
    };
  }
  const TextSource input(source);
  text::CsvResult result;
  {
    py::gil_scoped_release nogil;
    result = text::read_csv(input.begin(), input.end(), options);
  }
  py::list names, columns;
  for (const std::string& name : result.names) names.append(py::bytes(name));
  for (Array& column : result.columns) columns.append(py::cast(std::move(column)));
  return py::make_tuple(names, columns);
}

// Rows [first, last) of a C-contiguous 2-D array as bytes, or None when Python must write them.
py::object format_rows_py(py::handle table_obj, const std::vector<std::string>& literals,
                          const std::vector<std::tuple<std::string, int, int, char>>& conversions, int64_t first,
                          int64_t last) {
  const Array table = array_from_py(table_obj);
  if (table.ndim() != 2 || !table.is_c_contiguous() || literals.size() != conversions.size() + 1 ||
      static_cast<int64_t>(conversions.size()) != table.shape()[1]) {
    throw_value_error("_format_rows: a C-contiguous 2-D table and one conversion per column expected");
  }
  text::RowFormat format;
  format.literals = literals;
  for (const auto& [flags, width, precision, type] : conversions) format.conversions.push_back({flags, width, precision, type});
  std::string out;
  bool ok;
  {
    py::gil_scoped_release nogil;
    ok = text::format_rows(table, format, first, last, out);
  }
  if (!ok) return py::none();
  return py::bytes(out);
}

}  // namespace

void bind_textio(py::module_& m) {
  m.def("_loadtxt", &loadtxt_py, py::arg("source"), py::arg("delimiter"), py::arg("quote"), py::arg("comments"),
        py::arg("dtype"), py::arg("skiprows"), py::arg("max_rows"), py::arg("usecols"), py::arg("lenient") = false,
        py::arg("filling") = 0.0,
        "(table, first empty line) of a text file (path) or bytes-like object, with loadtxt's rules (lenient:\n"
        "genfromtxt's loose reading of float columns: what is no number -> filling).");
  m.def("_read_csv", &read_csv_py, py::arg("source"), py::arg("delimiter"), py::arg("quote"), py::arg("header"),
        py::arg("na_values"), py::arg("progress"), py::arg("comments") = std::vector<std::string>{},
        py::arg("skiprows") = 0,
        "(column names as bytes, columns) of a CSV file (path) or bytes-like object; progress(done, total) or None.");
  m.def("_format_rows", &format_rows_py, py::arg("table"), py::arg("literals"), py::arg("conversions"),
        py::arg("first"), py::arg("last"),
        "Rows of a 2-D table as Python's `format % tuple(row)` writes them (bytes), or None.");
}

}  // namespace numfuse::bind
