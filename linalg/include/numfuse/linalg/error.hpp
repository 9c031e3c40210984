// The linear-algebra failure (singular matrix, not positive definite, no convergence). The
// Python module maps it to numpy.linalg.LinAlgError; it is a ValueError for C++ callers too.
#pragma once

#include <string>

#include "numfuse/core/error.hpp"

namespace numfuse::linalg {

class LinAlgError : public Error {
 public:
  explicit LinAlgError(const std::string& message) : Error(ErrorKind::Value, message) {}
};

}  // namespace numfuse::linalg
