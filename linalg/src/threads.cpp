#include "numfuse/linalg/threads.hpp"

#include <cblas.h>

#include <algorithm>

namespace numfuse::linalg {

void set_blas_threads(int n) { openblas_set_num_threads(std::max(1, n)); }
int blas_threads() { return openblas_get_num_threads(); }

}  // namespace numfuse::linalg
