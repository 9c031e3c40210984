// The process-wide registry of shared memory: every Buffer whose bytes other handles may reach
// (a wrap of NumPy or DLPack memory, a pooled block exported to NumPy), keyed by address range.
// Two wraps of one NumPy array, a NumPy array over numfuse memory wrapped back, or two
// overlapping slices are different Buffers over the same bytes; the registry is how each of
// them finds the others (Buffer::prepare_write, Buffer::has_aliases). Private to core.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace numfuse {

class Buffer;

namespace detail {

class BufferRegistry {
 public:
  static BufferRegistry& instance();

  // Enters `buffer` over [lo, hi); returns the other live buffers overlapping that range.
  std::vector<std::shared_ptr<Buffer>> add(const std::shared_ptr<Buffer>& buffer, const std::byte* lo,
                                           const std::byte* hi);
  // Removes the entry `buffer` made at `lo` (called from its destructor).
  void remove(const Buffer* buffer, const std::byte* lo);
  // The live buffers other than `self` overlapping [lo, hi).
  std::vector<std::shared_ptr<Buffer>> overlapping(const std::byte* lo, const std::byte* hi,
                                                   const Buffer* self) const;
  bool any_overlapping(const std::byte* lo, const std::byte* hi, const Buffer* self) const;

 private:
  struct Entry {
    const std::byte* hi;
    const Buffer* buffer;
    std::weak_ptr<Buffer> weak;  // fails to lock once the buffer is dying
  };
  // Visits the entries other than `self` overlapping [lo, hi) until `visit` returns true.
  template <class Visit>
  void for_each_overlap(const std::byte* lo, const std::byte* hi, const Buffer* self, Visit&& visit) const;
  std::vector<std::shared_ptr<Buffer>> live_overlaps(const std::byte* lo, const std::byte* hi,
                                                     const Buffer* self) const;  // mutex_ held

  mutable std::mutex mutex_;
  std::multimap<const std::byte*, Entry> by_start_;
  // The longest range entered since the registry was last empty: an entry starting more than
  // this far below `lo` cannot reach it, which bounds the scan of an overlap query.
  size_t max_length_ = 0;
};

}  // namespace detail
}  // namespace numfuse
