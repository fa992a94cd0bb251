#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace mxemu::domain {

// A map from 128-bit keys (canonical transaction guids, packed) to 32-bit row ids, kept in one
// flat array with linear probing. Why not std::unordered_map: each entry there is its own
// allocation, and a lookup that misses (every row of a new member's first aggregation) chases a
// bucket and then a node; here a lookup reads one or two neighbouring slots and an insert
// allocates nothing until the array doubles.
//
// Erased entries leave a marker that lookups step over and inserts reuse; a rehash, when the
// live and erased entries fill three quarters of the array, drops the markers.
// Thread safety: none; the owner serialises access.
class GuidIndex {
 public:
  struct Key {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    bool operator==(const Key& o) const { return hi == o.hi && lo == o.lo; }
  };
  using Value = std::uint32_t;
  // The two values the index keeps for itself (slot markers); never stored.
  static constexpr Value kMaxValue = 0xFFFFFFFDU;

  static std::uint64_t hash(const Key& key);

  std::optional<Value> find(const Key& key) const;
  // REQUIRES: key is absent and value <= kMaxValue.
  void insert(const Key& key, Value value);
  // False when the key was absent.
  bool erase(const Key& key);
  std::size_t size() const { return size_; }
  void clear();

 private:
  static constexpr Value kEmpty = 0xFFFFFFFFU;
  static constexpr Value kErased = 0xFFFFFFFEU;
  struct Slot {
    Key key;
    Value value = kEmpty;
  };

  // The slot holding key, or slots_.size() when it is absent.
  std::size_t slot_of(const Key& key) const;
  void rehash(std::size_t capacity);

  std::vector<Slot> slots_;  // a power of two in size, or empty
  std::size_t size_ = 0;     // live entries
  std::size_t erased_ = 0;   // erased markers
};

}  // namespace mxemu::domain
