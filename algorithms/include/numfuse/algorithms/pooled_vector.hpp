// std::vector on numfuse's buffer pool: the text readers' per-piece columns are tens of MB per
// call, and fresh heap memory costs a page fault per 4 KiB every time; pooled blocks come back
// already mapped.
#pragma once

#include <cstddef>
#include <vector>

#include "numfuse/core/allocator.hpp"

namespace numfuse::algorithms {

template <class T>
struct PoolStdAllocator {
  using value_type = T;
  PoolStdAllocator() = default;
  template <class U>
  PoolStdAllocator(const PoolStdAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(PoolAllocator::instance().allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { PoolAllocator::instance().deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const PoolStdAllocator<U>&) const { return true; }
};

template <class T>
using PooledVector = std::vector<T, PoolStdAllocator<T>>;

}  // namespace numfuse::algorithms
