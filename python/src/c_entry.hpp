// Entry points called from C (the C API table, METH_FASTCALL functions): no C++ exception may
// leave them. `guarded` runs the body and turns an exception into the Python exception pybind11
// would raise for it (numfuse::Error -> ValueError, ... through the module's translators).
#pragma once

#include <pybind11/pybind11.h>

namespace numfuse::bind {

// body()'s value, or `failed` with a Python exception set.
template <class F>
auto guarded(F&& body, decltype(body()) failed) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (pybind11::error_already_set& e) {
    e.restore();
  } catch (...) {
    pybind11::detail::try_translate_exceptions();
  }
  return failed;
}

}  // namespace numfuse::bind
