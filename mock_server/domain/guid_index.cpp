#include "domain/guid_index.h"

#include <cassert>
#include <utility>

namespace mxemu::domain {

std::uint64_t GuidIndex::hash(const Key& key) {
  // Both halves mixed (a murmur3-style finaliser), so keys that differ in any bits spread out:
  // guids come from the emulator's generator but also from snapshots a user wrote.
  std::uint64_t h = key.hi ^ (key.lo * 0x9E3779B97F4A7C15ULL);
  h ^= h >> 33U;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33U;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33U;
  return h;
}

std::size_t GuidIndex::slot_of(const Key& key) const {
  if (slots_.empty()) return 0;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.value == kEmpty) return slots_.size();  // never full: rehash keeps a quarter empty
    if (s.value != kErased && s.key == key) return i;
  }
}

std::optional<GuidIndex::Value> GuidIndex::find(const Key& key) const {
  const std::size_t i = slot_of(key);
  if (i == slots_.size()) return std::nullopt;
  return slots_[i].value;
}

void GuidIndex::insert(const Key& key, Value value) {
  assert(value <= kMaxValue && !find(key));
  if ((size_ + erased_ + 1) * 4 > slots_.size() * 3) {
    // Double when live entries need it; otherwise the same size, without the markers.
    std::size_t capacity = slots_.empty() ? 16 : slots_.size();
    while ((size_ + 1) * 2 > capacity) capacity *= 2;
    rehash(capacity);
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(key) & mask;
  while (slots_[i].value != kEmpty && slots_[i].value != kErased) i = (i + 1) & mask;
  if (slots_[i].value == kErased) --erased_;
  slots_[i] = Slot{key, value};
  ++size_;
}

bool GuidIndex::erase(const Key& key) {
  const std::size_t i = slot_of(key);
  if (i == slots_.size()) return false;
  slots_[i].value = kErased;
  --size_;
  ++erased_;
  return true;
}

void GuidIndex::clear() {
  slots_.clear();
  size_ = 0;
  erased_ = 0;
}

void GuidIndex::rehash(std::size_t capacity) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
  const std::size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.value == kEmpty || s.value == kErased) continue;
    std::size_t i = hash(s.key) & mask;
    while (slots_[i].value != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
  erased_ = 0;
}

}  // namespace mxemu::domain
