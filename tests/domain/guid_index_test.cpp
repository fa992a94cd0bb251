#include "domain/guid_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <utility>

namespace mxemu::domain {
namespace {

GuidIndex::Key key(std::uint64_t n) { return {n * 0x9E3779B97F4A7C15ULL, n}; }

TEST(GuidIndex, FindsWhatWasInsertedAndNothingElse) {
  GuidIndex index;
  EXPECT_FALSE(index.find(key(1)));  // empty: no array yet
  for (std::uint32_t n = 0; n < 1000; ++n) index.insert(key(n), n + 7);
  EXPECT_EQ(index.size(), 1000U);
  for (std::uint32_t n = 0; n < 1000; ++n) EXPECT_EQ(index.find(key(n)), n + 7) << n;
  EXPECT_FALSE(index.find(key(1000)));
  EXPECT_FALSE(index.find({key(5).hi, key(6).lo}));  // both halves count
  EXPECT_FALSE(index.find({0, 1}));
}

// Keys that share their low half, or their high half, or differ in one bit, are still told
// apart (they collide in a weak hash; here they only probe further).
TEST(GuidIndex, KeysThatDifferInFewBitsAreToldApart) {
  GuidIndex index;
  std::uint32_t value = 0;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint32_t> expected;
  for (int bit = 0; bit < 64; ++bit) {
    for (const GuidIndex::Key k : {GuidIndex::Key{1ULL << bit, 0}, GuidIndex::Key{0, 1ULL << bit},
                                   GuidIndex::Key{~(1ULL << bit), 42}}) {
      index.insert(k, value);
      expected[{k.hi, k.lo}] = value++;
    }
  }
  for (const auto& [k, v] : expected) EXPECT_EQ(index.find({k.first, k.second}), v);
  EXPECT_EQ(index.size(), expected.size());
}

// A server that creates and deletes members for days erases and inserts without end: erased
// slots are reused or dropped by a rehash, so lookups stay correct and the array stays bounded.
TEST(GuidIndex, EraseAndReinsertForeverKeepsItCorrectAndBounded) {
  GuidIndex index;
  std::map<std::uint64_t, std::uint32_t> live;
  std::uint64_t next = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 50; ++i) {
      index.insert(key(next), static_cast<std::uint32_t>(next));
      live[next] = static_cast<std::uint32_t>(next);
      ++next;
    }
    // Keep the newest 100: erase the rest, oldest first.
    while (live.size() > 100) {
      EXPECT_TRUE(index.erase(key(live.begin()->first)));
      live.erase(live.begin());
    }
    EXPECT_FALSE(index.erase(key(next + 1)));
  }
  EXPECT_EQ(index.size(), live.size());
  for (const auto& [n, v] : live) EXPECT_EQ(index.find(key(n)), v);
  for (std::uint64_t n = 0; n < next; ++n) {
    if (live.count(n) == 0) {
      EXPECT_FALSE(index.find(key(n))) << n;
    }
  }

  index.clear();
  EXPECT_EQ(index.size(), 0U);
  EXPECT_FALSE(index.find(key(next - 1)));
  index.insert(key(3), GuidIndex::kMaxValue);
  EXPECT_EQ(index.find(key(3)), GuidIndex::kMaxValue);
}

}  // namespace
}  // namespace mxemu::domain
