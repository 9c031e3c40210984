// The one translation unit that calls Highway's vqsort (dynamic dispatch to the best SIMD target).
#include "hwy/contrib/sort/vqsort.h"
#include "numfuse/algorithms/sort_parallel.hpp"

namespace numfuse::algorithms {

namespace {

template <class T>
void sort_ascending(T* keys, size_t n) {
  if (n < 2) return;
  // Sorter holds a small scratch allocation; one per thread, reused by every call.
  thread_local hwy::Sorter sorter;
  sorter(keys, n, hwy::SortAscending());
}

}  // namespace

void vqsort(uint16_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(uint32_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(uint64_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(int16_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(int32_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(int64_t* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(float* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(double* keys, size_t n) { sort_ascending(keys, n); }
void vqsort(hwy::uint128_t* keys, size_t n) { sort_ascending(keys, n); }

}  // namespace numfuse::algorithms
