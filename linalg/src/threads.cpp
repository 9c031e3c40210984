#include "numfuse/linalg/threads.hpp"

#include "blas_symbols.hpp"

#include <algorithm>

namespace numfuse::linalg {

void set_blas_threads(int n) { NUMFUSE_BLAS(openblas_set_num_threads)(std::max(1, n)); }
int blas_threads() { return NUMFUSE_BLAS(openblas_get_num_threads)(); }

}  // namespace numfuse::linalg
