// Node allocation for the graph's hot paths (ops recorded, leaves, replays).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "numfuse/jit/graph.hpp"

namespace numfuse::jit::detail {

// Node blocks (node and shared_ptr control block) recycled per thread: a replayed @nf.jit trace
// makes and frees dozens of nodes per call, more than the C library's per-size caches keep.
template <class T>
struct Recycled {
  using value_type = T;
  static constexpr size_t kKeep = 256;
  Recycled() = default;
  template <class U>
  Recycled(const Recycled<U>&) noexcept {}  // NOLINT(google-explicit-constructor): rebinding

  struct Pool {
    std::vector<void*> free;
    Pool() { free.reserve(kKeep); }
    ~Pool() {
      for (void* p : free) ::operator delete(p);
      gone() = true;
    }
  };
  static Pool& pool() {
    thread_local Pool blocks;
    return blocks;
  }
  static bool& gone() {  // the thread's pool was destroyed (thread exit): plain delete
    thread_local bool destroyed = false;
    return destroyed;
  }

  T* allocate(size_t n) {
    if (n == 1 && !gone()) {
      auto& free = pool().free;
      if (!free.empty()) {
        void* p = free.back();
        free.pop_back();
        return static_cast<T*>(p);
      }
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n == 1 && !gone()) {
      auto& free = pool().free;
      if (free.size() < kKeep) {
        free.push_back(p);  // capacity reserved: no allocation
        return;
      }
    }
    ::operator delete(p);
  }
  // Default-initialized: every member of Node has an initializer, and value-initialization
  // (make_shared's) first zeroes all of its ~750 bytes.
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;
    } else {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  }
  friend bool operator==(const Recycled&, const Recycled&) { return true; }
};


// A fresh node from this thread's recycled blocks, default-initialized.
inline NodePtr new_node() { return std::allocate_shared<Node>(Recycled<Node>()); }

}  // namespace numfuse::jit::detail
