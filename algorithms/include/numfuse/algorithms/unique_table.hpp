// The hash table of unique: open addressing with linear probing over one array of slots. A
// slot is the 64-bit key alone (values only: 10^5 keys stay within L2/L3, unlike node or
// (key, value) bucket tables) or, with kCounts, the key and its count side by side (one cache
// line per probe); first indices, written once per group, sit in a side array.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "numfuse/algorithms/unique_keys.hpp"

namespace numfuse::algorithms {

template <bool kCounts>
class GroupTable {
 public:
  struct Group {
    uint64_t key;
    int64_t first;  // 0 without kCounts
    int64_t count;  // 0 without kCounts
  };

  GroupTable() { resize(1024); }

  // Counts one occurrence (at index i) of `key`.
  void add(uint64_t key, int64_t i) { add_group(key, i, 1); }

  // Adds another table's groups (whose first indices come after this table's).
  void merge(const GroupTable& other) {
    for (size_t s = 0; s < other.slots_.size(); ++s) {
      if (key_of(other.slots_[s]) != kEmpty) add_group(key_of(other.slots_[s]), other.first_at(s), other.count_at(s));
    }
    if (other.empty_key_.count) add_group(kEmpty, other.empty_key_.first, other.empty_key_.count);
  }

  size_t size() const { return size_ + (empty_key_.count ? 1 : 0); }

  std::vector<Group> groups() const {
    std::vector<Group> out;
    out.reserve(size());
    for (size_t s = 0; s < slots_.size(); ++s) {
      if (key_of(slots_[s]) != kEmpty) out.push_back({key_of(slots_[s]), first_at(s), count_at(s)});
    }
    if (empty_key_.count) out.push_back({kEmpty, kCounts ? empty_key_.first : 0, kCounts ? empty_key_.count : 0});
    return out;
  }

  // The slot of a key that is in the table (the kEmpty key: the slot past the last).
  size_t slot_of(uint64_t key) const {
    if (key == kEmpty) return slots_.size();
    size_t s = KeyHash::mix(key) & mask_;
    while (key_of(slots_[s]) != key) s = (s + 1) & mask_;
    return s;
  }
  // How many numbers a per-slot array (e.g. group ranks indexed by slot_of) needs.
  size_t slots() const { return slots_.size() + 1; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t(0);  // a real key too (NaN's): kept aside
  struct KeyCount {
    uint64_t key;
    int64_t count;
  };
  using Slot = std::conditional_t<kCounts, KeyCount, uint64_t>;
  struct Counted {
    int64_t first = INT64_MAX;
    int64_t count = 0;
  };

  static uint64_t key_of(const Slot& slot) {
    if constexpr (kCounts) return slot.key;
    else return slot;
  }
  static Slot empty_slot() {
    if constexpr (kCounts) return KeyCount{kEmpty, 0};
    else return kEmpty;
  }
  int64_t first_at(size_t s) const { return kCounts ? first_[s] : 0; }
  int64_t count_at(size_t s) const {
    if constexpr (kCounts) return slots_[s].count;
    else return 0;
  }

  void add_group(uint64_t key, int64_t first, int64_t count) {
    if (key == kEmpty) {
      empty_key_.first = std::min(empty_key_.first, first);
      empty_key_.count += count;
      return;
    }
    size_t s = KeyHash::mix(key) & mask_;
    while (key_of(slots_[s]) != kEmpty && key_of(slots_[s]) != key) s = (s + 1) & mask_;
    if (key_of(slots_[s]) == kEmpty) {
      slots_[s] = empty_slot();
      if constexpr (kCounts) {
        slots_[s].key = key;
        first_[s] = first;
      } else {
        slots_[s] = key;
      }
      if (++size_ * 2 > slots_.size()) {
        grow();
        s = slot_of(key);
      }
    }
    if constexpr (kCounts) slots_[s].count += count;
  }

  void resize(size_t count) {
    slots_.assign(count, empty_slot());
    mask_ = count - 1;
    if (kCounts) first_.assign(count, 0);
  }

  void grow() {
    std::vector<Slot> slots = std::move(slots_);
    std::vector<int64_t> first = std::move(first_);
    resize(slots.size() * 2);
    for (size_t s = 0; s < slots.size(); ++s) {
      if (key_of(slots[s]) == kEmpty) continue;
      size_t t = KeyHash::mix(key_of(slots[s])) & mask_;
      while (key_of(slots_[t]) != kEmpty) t = (t + 1) & mask_;
      slots_[t] = slots[s];
      if (kCounts) first_[t] = first[s];
    }
  }

  std::vector<Slot> slots_;
  std::vector<int64_t> first_;
  size_t mask_ = 0, size_ = 0;
  Counted empty_key_;
};

}  // namespace numfuse::algorithms
