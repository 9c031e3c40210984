// Exceptions raised by the core. Each carries the Python exception type it maps to, so the
// binding layer translates them without string matching.
#pragma once

#include <stdexcept>
#include <string>

namespace numfuse {

// Axis maps to numpy.exceptions.AxisError (both a ValueError and an IndexError).
enum class ErrorKind { Value, Index, Type, Axis, Memory, NotImplemented, Runtime };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void throw_value_error(const std::string& m) { throw Error(ErrorKind::Value, m); }
[[noreturn]] inline void throw_index_error(const std::string& m) { throw Error(ErrorKind::Index, m); }
[[noreturn]] inline void throw_type_error(const std::string& m) { throw Error(ErrorKind::Type, m); }

}  // namespace numfuse
