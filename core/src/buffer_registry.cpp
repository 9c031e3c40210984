#include "buffer_registry.hpp"

#include <cstdint>

namespace numfuse::detail {

BufferRegistry& BufferRegistry::instance() {
  static auto* registry = new BufferRegistry();  // never destroyed: buffers may die at exit
  return *registry;
}

template <class Visit>
void BufferRegistry::for_each_overlap(const std::byte* lo, const std::byte* hi, const Buffer* self,
                                      Visit&& visit) const {
  const auto lo_addr = reinterpret_cast<uintptr_t>(lo);
  const std::byte* first = lo_addr > max_length_ ? lo - max_length_ : nullptr;
  for (auto it = by_start_.lower_bound(first); it != by_start_.end() && it->first < hi; ++it) {
    if (it->second.hi > lo && it->second.buffer != self && visit(it->second)) return;
  }
}

std::vector<std::shared_ptr<Buffer>> BufferRegistry::live_overlaps(const std::byte* lo, const std::byte* hi,
                                                                   const Buffer* self) const {
  std::vector<std::shared_ptr<Buffer>> others;
  for_each_overlap(lo, hi, self, [&](const Entry& e) {
    if (auto b = e.weak.lock()) others.push_back(std::move(b));
    return false;
  });
  return others;
}

std::vector<std::shared_ptr<Buffer>> BufferRegistry::add(const std::shared_ptr<Buffer>& buffer,
                                                         const std::byte* lo, const std::byte* hi) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<Buffer>> others = live_overlaps(lo, hi, buffer.get());
  by_start_.emplace(lo, Entry{hi, buffer.get(), buffer});
  max_length_ = std::max(max_length_, static_cast<size_t>(hi - lo));
  return others;
}

void BufferRegistry::remove(const Buffer* buffer, const std::byte* lo) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [first, last] = by_start_.equal_range(lo);
  for (auto it = first; it != last; ++it) {
    if (it->second.buffer == buffer) {
      by_start_.erase(it);
      break;
    }
  }
  if (by_start_.empty()) max_length_ = 0;
}

std::vector<std::shared_ptr<Buffer>> BufferRegistry::overlapping(const std::byte* lo, const std::byte* hi,
                                                                 const Buffer* self) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_overlaps(lo, hi, self);
}

bool BufferRegistry::any_overlapping(const std::byte* lo, const std::byte* hi, const Buffer* self) const {
  std::lock_guard<std::mutex> lock(mutex_);
  bool found = false;
  for_each_overlap(lo, hi, self, [&](const Entry& e) { return found = !e.weak.expired(); });
  return found;
}

}  // namespace numfuse::detail
