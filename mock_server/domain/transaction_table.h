#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/guid_index.h"
#include "domain/records.h"
#include "domain/string_pool.h"

namespace mxemu::domain {

// Transactions in a compact form, materialised as Transaction values on read.
//
// Why: a generated MX Bank member brings ~900 rows, and a Transaction object with its ~20
// strings costs ~1.3 KB; here a row costs ~150 bytes plus ~50 for its guid lookup. Texts that
// repeat (owner guids, categories, descriptions, merchants) are interned; a canonical guid
// ("TRN-" and 32 lower-case hex digits in 8-4-4-4-12 groups, what the emulator issues) is kept
// as 128 bits; times as their tick counts; the date as a day number.
//
// Every field of Transaction round-trips exactly: get(insert(t)) == t.
// Row ids are stable while the row lives; erased ids are reused.
// No insert costs much more than the others: rows live in fixed-size chunks that never move, and
// the guid lookup (GuidIndex, flat) is split into 16 shards that grow one at a time. One vector
// of rows copied the whole table whenever it doubled (80 ms at 130k rows), and one hash map
// re-linked every row when it grew, both under the tenant's lock while its other requests waited.
// Thread safety: none; the Store's owner serialises access.
class TransactionTable {
 public:
  using RowId = std::uint32_t;

  TransactionTable() = default;
  TransactionTable(const TransactionTable&) = delete;
  // Drops every row.
  void clear() {
    chunks_.clear();
    end_ = 0;
    free_.clear();
    for (auto& shard : by_guid_) shard.clear();
    by_odd_guid_.clear();
    pool_.clear();
  }
  TransactionTable& operator=(const TransactionTable&) = delete;

  std::optional<RowId> find(std::string_view guid) const;
  // REQUIRES: no live row has t.guid.
  RowId insert(const Transaction& t);
  // Replaces every field of a live row. REQUIRES: t.guid is the row's guid.
  void assign(RowId row, const Transaction& t);
  void erase(RowId row);
  Transaction get(RowId row) const;
  std::size_t size() const { return end_ - free_.size(); }
  // The distinct texts the rows hold (StringPool::size): rows erased or rewritten give theirs
  // back, so this follows the live rows, not every text ever stored.
  std::size_t distinct_texts() const { return pool_.size(); }

  // Cheap accessors for the Store's indexes (no materialisation).
  std::int32_t day(RowId row) const { return at(row).day; }
  std::string guid(RowId row) const;
  // Orders rows as their guid strings would order.
  bool guid_less(RowId a, RowId b) const;
  const std::string& user_guid(RowId row) const;
  const std::string& member_guid(RowId row) const;
  const std::string& account_guid(RowId row) const;
  TimePoint updated_at(RowId row) const;

 private:
  // Texts interned per row; kOddGuid / kOddDate hold the guid / date only when they are not in
  // the canonical form the packed fields expect.
  enum Text : std::uint8_t {
    kUser,
    kMember,
    kAccount,
    kId,
    kType,
    kStatus,
    kOriginalDescription,
    kDescription,
    kCategory,
    kCategoryGuid,
    kTopLevelCategory,
    kMerchantGuid,
    kMerchantLocationGuid,
    kMerchantCategoryCode,
    kMemo,
    kMetadata,
    kCurrencyCode,
    kParentGuid,
    kOddGuid,
    kOddDate,
    kTextCount
  };
  using GuidBits = GuidIndex::Key;
  struct Row {
    GuidBits guid;
    TimePoint::rep transacted_at = 0;
    TimePoint::rep posted_at = 0;
    TimePoint::rep created_at = 0;
    TimePoint::rep updated_at = 0;
    double amount = 0;
    double latitude = 0;  // NaN: unset
    double longitude = 0;
    std::int32_t day = 0;
    std::array<StringPool::Id, kTextCount> text{};
    std::uint16_t flags = 0;
  };

  static constexpr RowId kChunkRows = 256;  // 38 KB of rows
  using Chunk = std::array<Row, kChunkRows>;
  static constexpr std::size_t kGuidShards = 16;

  Row& at(RowId row) { return (*chunks_[row / kChunkRows])[row % kChunkRows]; }
  const Row& at(RowId row) const { return (*chunks_[row / kChunkRows])[row % kChunkRows]; }
  GuidIndex& shard_of(const GuidBits& g) { return by_guid_[GuidIndex::hash(g) >> 60U]; }
  const GuidIndex& shard_of(const GuidBits& g) const { return by_guid_[GuidIndex::hash(g) >> 60U]; }

  static std::optional<GuidBits> parse_guid(std::string_view guid);
  static std::string format_guid(GuidBits bits);
  // Interns t's texts: one pool reference per text field set, until release_texts.
  Row pack(const Transaction& t);
  void release_texts(const Row& r);

  std::vector<std::unique_ptr<Chunk>> chunks_;  // row id / kChunkRows → its chunk
  RowId end_ = 0;                               // ids below it have been handed out
  std::vector<RowId> free_;
  std::array<GuidIndex, kGuidShards> by_guid_;          // sharded by the hash's top 4 bits
  std::unordered_map<std::string, RowId> by_odd_guid_;  // guids not in canonical form
  StringPool pool_;
};

}  // namespace mxemu::domain
