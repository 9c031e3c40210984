// The pooling allocator's statistics and knobs.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "numfuse/core/allocator.hpp"

namespace numfuse::bind {

namespace py = pybind11;

void bind_memory(py::module_& m) {
  m.def("memory_stats", [] {
    MemoryStats s = PoolAllocator::instance().stats();
    py::dict d;
    d["bytes_in_use"] = s.bytes_in_use;
    d["bytes_pooled"] = s.bytes_pooled;
    d["pool_limit"] = s.pool_limit;
    d["allocations"] = s.allocations;
    d["pool_hits"] = s.pool_hits;
    d["os_allocations"] = s.os_allocations;
    d["os_frees"] = s.os_frees;
    return d;
  }, "Bytes in use and pooled by numfuse's allocator, and its hit counters.");
  m.def("set_memory_pool_limit", [](size_t bytes) { PoolAllocator::instance().set_pool_limit(bytes); },
        "Caps the bytes kept for reuse; memory past the cap is returned to the OS.");
  m.def("release_memory_pool", [] { PoolAllocator::instance().release_pooled(); },
        "Returns every pooled block to the OS.");
  m.def("_size_class", &PoolAllocator::size_class);
}

}  // namespace numfuse::bind
