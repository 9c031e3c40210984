// The hash table of unique: open addressing with linear probing over a plain array of 64-bit
// keys (8 bytes a slot, so 10^5 keys stay within L2/L3, unlike node or (key, value) bucket
// tables), with each group's first index and count in side arrays only when asked for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "numfuse/algorithms/unique_keys.hpp"

namespace numfuse::algorithms {

class GroupTable {
 public:
  explicit GroupTable(bool track_groups) : track_(track_groups) { resize(1024); }

  // Counts one occurrence (at index i) of `key`.
  void add(uint64_t key, int64_t i) { add_group(key, i, 1); }

  // Adds another table's groups (whose first indices come after this table's).
  void merge(const GroupTable& other) {
    for (size_t s = 0; s < other.keys_.size(); ++s) {
      if (other.keys_[s] != kEmpty) add_group(other.keys_[s], other.first_at(s), other.count_at(s));
    }
    if (other.empty_key_group_.count) add_group(kEmpty, other.empty_key_group_.first, other.empty_key_group_.count);
  }

  size_t size() const { return size_ + (empty_key_group_.count ? 1 : 0); }

  struct Group {
    uint64_t key;
    int64_t first;
    int64_t count;
  };
  std::vector<Group> groups() const {
    std::vector<Group> out;
    out.reserve(size());
    for (size_t s = 0; s < keys_.size(); ++s) {
      if (keys_[s] != kEmpty) out.push_back({keys_[s], first_at(s), count_at(s)});
    }
    if (empty_key_group_.count) out.push_back({kEmpty, empty_key_group_.first, empty_key_group_.count});
    return out;
  }

  // The slot of a key that is in the table (kEmpty: the slot count, its own slot).
  size_t slot_of(uint64_t key) const {
    if (key == kEmpty) return keys_.size();
    size_t s = KeyHash::mix(key) & mask_;
    while (keys_[s] != key) s = (s + 1) & mask_;
    return s;
  }
  // Per-slot numbers (e.g. group ranks) indexed by slot_of(), one extra for the kEmpty key.
  size_t slots() const { return keys_.size() + 1; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t(0);  // a real key too (NaN's): kept aside
  struct Counted {
    int64_t first = INT64_MAX;
    int64_t count = 0;
  };

  int64_t first_at(size_t s) const { return track_ ? first_[s] : 0; }
  int64_t count_at(size_t s) const { return track_ ? count_[s] : 0; }

  void record(Counted& g, int64_t first, int64_t count) {
    g.first = std::min(g.first, first);
    g.count += track_ ? count : 1;
  }

  void add_group(uint64_t key, int64_t first, int64_t count) {
    if (key == kEmpty) {
      record(empty_key_group_, first, count);
      return;
    }
    size_t s = KeyHash::mix(key) & mask_;
    while (keys_[s] != kEmpty && keys_[s] != key) s = (s + 1) & mask_;
    if (keys_[s] == kEmpty) {
      keys_[s] = key;
      if (track_) first_[s] = first;
      if (++size_ * 2 > keys_.size()) {
        grow();
        s = slot_of(key);
      }
    }
    if (track_) count_[s] += count;
  }

  void resize(size_t slots) {
    keys_.assign(slots, kEmpty);
    mask_ = slots - 1;
    if (track_) {
      first_.assign(slots, 0);
      count_.assign(slots, 0);
    }
  }

  void grow() {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<int64_t> first = std::move(first_), count = std::move(count_);
    resize(keys.size() * 2);
    for (size_t s = 0; s < keys.size(); ++s) {
      if (keys[s] == kEmpty) continue;
      size_t t = KeyHash::mix(keys[s]) & mask_;
      while (keys_[t] != kEmpty) t = (t + 1) & mask_;
      keys_[t] = keys[s];
      if (track_) {
        first_[t] = first[s];
        count_[t] = count[s];
      }
    }
  }

  bool track_;
  std::vector<uint64_t> keys_;
  std::vector<int64_t> first_, count_;
  size_t mask_ = 0, size_ = 0;
  Counted empty_key_group_;
};

}  // namespace numfuse::algorithms
