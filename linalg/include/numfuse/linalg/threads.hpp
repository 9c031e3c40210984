// OpenBLAS's thread pool size. numfuse's own pool (when it exists) and OpenBLAS must together
// stay within the machine's cores; the Python layer calls this from nf.set_num_threads.
#pragma once

namespace numfuse::linalg {

void set_blas_threads(int n);
int blas_threads();

}  // namespace numfuse::linalg
