#include "domain/transaction_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace mxemu::domain {
namespace {

TimePoint at(long long seconds) { return TimePoint(std::chrono::seconds(seconds)); }

// Every field set, none to its default, so a field the table drops or mixes up shows.
Transaction full(const std::string& guid) {
  Transaction t;
  t.guid = guid;
  t.user_guid = "USR-1";
  t.member_guid = "MBR-1";
  t.account_guid = "ACT-1";
  t.id = "partner-txn-7";
  t.amount = 12.34;
  t.type = "CREDIT";
  t.status = "POSTED";
  t.date = "2024-02-29";
  t.transacted_at = at(1709164800);
  t.posted_at = at(1709251200);
  t.original_description = "SQ *BLUE BOTTLE 0042";
  t.description = "Blue Bottle";
  t.category = "Coffee Shops";
  t.category_guid = "CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a";
  t.top_level_category = "Food & Dining";
  t.merchant_guid = "MCH-7ed79542-884d-2b1b-dd74-501c5cc9d25b";
  t.merchant_category_code = "5814";
  t.memo = "team coffee";
  t.metadata = R"({"k":"v"})";
  t.currency_code = "CAD";
  t.is_bill_pay = true;
  t.is_direct_deposit = true;
  t.is_expense = true;
  t.is_fee = true;
  t.is_income = true;
  t.is_overdraft_fee = true;
  t.is_payroll_advance = true;
  t.is_recurring = true;
  t.is_subscription = true;
  t.is_manual = true;
  t.latitude = 37.7749;
  t.longitude = -122.4194;
  t.parent_guid = "TRN-00000000-0000-0000-0000-00000000000a";
  t.merchant_location_guid = "MCL-00000000-0000-0000-0000-00000000000b";
  t.has_been_split = true;
  t.created_at = at(1709164801);
  t.updated_at = at(1709251202);
  return t;
}

void expect_same(const Transaction& a, const Transaction& b) {
  EXPECT_EQ(a.guid, b.guid);
  EXPECT_EQ(a.user_guid, b.user_guid);
  EXPECT_EQ(a.member_guid, b.member_guid);
  EXPECT_EQ(a.account_guid, b.account_guid);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.amount, b.amount);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.transacted_at, b.transacted_at);
  EXPECT_EQ(a.posted_at, b.posted_at);
  EXPECT_EQ(a.original_description, b.original_description);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.category_guid, b.category_guid);
  EXPECT_EQ(a.top_level_category, b.top_level_category);
  EXPECT_EQ(a.merchant_guid, b.merchant_guid);
  EXPECT_EQ(a.merchant_category_code, b.merchant_category_code);
  EXPECT_EQ(a.memo, b.memo);
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.currency_code, b.currency_code);
  EXPECT_EQ(a.is_bill_pay, b.is_bill_pay);
  EXPECT_EQ(a.is_direct_deposit, b.is_direct_deposit);
  EXPECT_EQ(a.is_expense, b.is_expense);
  EXPECT_EQ(a.is_fee, b.is_fee);
  EXPECT_EQ(a.is_income, b.is_income);
  EXPECT_EQ(a.is_overdraft_fee, b.is_overdraft_fee);
  EXPECT_EQ(a.is_payroll_advance, b.is_payroll_advance);
  EXPECT_EQ(a.is_recurring, b.is_recurring);
  EXPECT_EQ(a.is_subscription, b.is_subscription);
  EXPECT_EQ(a.is_manual, b.is_manual);
  EXPECT_EQ(a.latitude, b.latitude);
  EXPECT_EQ(a.longitude, b.longitude);
  EXPECT_EQ(a.parent_guid, b.parent_guid);
  EXPECT_EQ(a.merchant_location_guid, b.merchant_location_guid);
  EXPECT_EQ(a.has_been_split, b.has_been_split);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

TEST(TransactionTable, EveryFieldRoundTripsWithACanonicalGuid) {
  TransactionTable table;
  const Transaction t = full("TRN-0123abcd-4567-89ef-fedc-ba9876543210");
  const auto row = table.insert(t);
  expect_same(table.get(row), t);
  EXPECT_EQ(table.find(t.guid), row);
  EXPECT_EQ(table.day(row), 19782);  // 2024-02-29
}

TEST(TransactionTable, UnsetOptionalsAndDefaultsRoundTrip) {
  TransactionTable table;
  Transaction t;
  t.guid = "TRN-00000000-0000-0000-0000-000000000000";
  t.date = "2024-01-01";
  expect_same(table.get(table.insert(t)), t);
  Transaction empty_strings = t;
  empty_strings.guid = "TRN-00000000-0000-0000-0000-000000000001";
  empty_strings.memo = "";
  empty_strings.latitude = 0.0;
  const auto got = table.get(table.insert(empty_strings));
  EXPECT_EQ(got.memo, std::optional<std::string>(""));
  EXPECT_EQ(got.latitude, std::optional<double>(0.0));
  EXPECT_EQ(got.longitude, std::nullopt);
}

TEST(TransactionTable, GuidsAndDatesOutsideTheCanonicalFormAreKeptVerbatim) {
  TransactionTable table;
  for (const std::string guid : {"TRN-a", "TRN-0123ABCD-4567-89ef-fedc-ba9876543210",
                                 "TRN-0123abcd-4567-89ef-fedc-ba987654321",
                                 "trn-0123abcd-4567-89ef-fedc-ba9876543210", ""}) {
    Transaction t = full(guid);
    t.date = guid.size() % 2 == 0 ? "2024-2-9" : "not a date";
    const auto row = table.insert(t);
    expect_same(table.get(row), t);
    EXPECT_EQ(table.find(guid), row) << guid;
  }
  EXPECT_EQ(table.size(), 5U);
  EXPECT_FALSE(table.find("TRN-0123abcd-4567-89ef-fedc-ba9876543210"));
}

TEST(TransactionTable, AssignReplacesAndEraseFreesTheRowForReuse) {
  TransactionTable table;
  const auto a = table.insert(full("TRN-00000000-0000-0000-0000-00000000000a"));
  const auto b = table.insert(full("TRN-b"));
  Transaction edited = table.get(a);
  edited.memo = std::nullopt;
  edited.description = "Renamed";
  table.assign(a, edited);
  expect_same(table.get(a), edited);

  table.erase(b);
  EXPECT_FALSE(table.find("TRN-b"));
  EXPECT_EQ(table.size(), 1U);
  const auto c = table.insert(full("TRN-c"));
  EXPECT_EQ(c, b);  // ids are reused
  EXPECT_EQ(table.get(c).guid, "TRN-c");
  expect_same(table.get(a), edited);
}

// A server left running creates and deletes members for days: texts unique to one row (a
// descriptor with a reference number) must go with the row, or memory grows without end.
TEST(TransactionTable, ErasedAndRewrittenRowsGiveTheirTextsBack) {
  TransactionTable table;
  const auto kept = table.insert(full("TRN-00000000-0000-0000-0000-00000000000a"));
  const std::size_t baseline = table.distinct_texts();
  std::vector<TransactionTable::RowId> rows;
  for (int i = 0; i < 100; ++i) {
    Transaction t = full("TRN-00000000-0000-0000-0000-000000000" + std::to_string(100 + i));
    t.original_description = "POS PURCHASE REF " + std::to_string(123456789 + i);
    rows.push_back(table.insert(t));
  }
  EXPECT_EQ(table.distinct_texts(), baseline + 100);
  Transaction rewritten = table.get(rows[0]);
  rewritten.original_description = "POS PURCHASE REF REWRITTEN";
  table.assign(rows[0], rewritten);
  EXPECT_EQ(table.distinct_texts(), baseline + 100);  // one text out, one in
  for (const auto row : rows) table.erase(row);
  EXPECT_EQ(table.distinct_texts(), baseline);
  expect_same(table.get(kept), full("TRN-00000000-0000-0000-0000-00000000000a"));

  // Freed ids are handed out again and every field still round-trips.
  const auto again = table.insert(full("TRN-again"));
  expect_same(table.get(again), full("TRN-again"));
  EXPECT_EQ(table.distinct_texts(), baseline + 1);  // its odd guid
  table.erase(kept);
  table.erase(again);
  EXPECT_EQ(table.distinct_texts(), 0U);
}

// Rows live in chunks and the guid lookup in shards (transaction_table.h): thousands of rows,
// across many chunks and every shard, are each found by guid and read back whole, through
// erasures, reused ids and a clear.
TEST(TransactionTable, ManyRowsAcrossChunksAndShardsAreFoundAndReadBack) {
  TransactionTable table;
  auto guid_of = [](int i) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "TRN-%08x-0000-4000-8000-%012x",
                  static_cast<unsigned>(i) * 2654435761U, static_cast<unsigned>(i));
    return std::string(buf);
  };
  auto make = [&](int i) {
    Transaction t = full(guid_of(i));
    t.amount = i;
    t.original_description = "REF " + std::to_string(i);
    return t;
  };
  constexpr int kRows = 3000;
  std::vector<TransactionTable::RowId> rows;
  for (int i = 0; i < kRows; ++i) rows.push_back(table.insert(make(i)));
  EXPECT_EQ(table.size(), static_cast<std::size_t>(kRows));
  for (int i = 0; i < kRows; i += 3) table.erase(rows[static_cast<std::size_t>(i)]);
  for (int i = kRows; i < kRows + 1000; ++i) rows.push_back(table.insert(make(i)));
  EXPECT_EQ(table.size(), static_cast<std::size_t>(kRows + 1000 - kRows / 3));
  for (int i = 0; i < kRows + 1000; ++i) {
    const auto found = table.find(guid_of(i));
    if (i < kRows && i % 3 == 0) {
      EXPECT_FALSE(found) << i;
      continue;
    }
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(*found, rows[static_cast<std::size_t>(i)]);
    expect_same(table.get(*found), make(i));
  }
  // The 1000 new rows took the 1000 freed ids first (ids are reused before new ones are made).
  EXPECT_EQ(*std::max_element(rows.begin(), rows.end()),
            static_cast<TransactionTable::RowId>(kRows - 1));

  table.clear();
  EXPECT_EQ(table.size(), 0U);
  EXPECT_FALSE(table.find(guid_of(1)));
  const auto first = table.insert(make(7));
  EXPECT_EQ(first, 0U);
  expect_same(table.get(first), make(7));
}

TEST(StringPool, ATextLivesWhileOneReferenceDoes) {
  StringPool pool;
  const auto a = pool.intern("alpha");
  EXPECT_EQ(pool.intern("alpha"), a);
  const auto empty = pool.intern("");
  EXPECT_NE(empty, StringPool::kNone);
  EXPECT_EQ(pool.size(), 2U);
  pool.release(a);
  EXPECT_EQ(pool.view(a), "alpha");  // one reference left
  pool.release(a);
  EXPECT_EQ(pool.size(), 1U);
  const auto b = pool.intern("beta");
  EXPECT_EQ(b, a);  // the freed id, reused
  EXPECT_EQ(pool.view(b), "beta");
  EXPECT_EQ(pool.intern("beta"), b);
  EXPECT_NE(pool.intern("alpha"), b);
  pool.release(StringPool::kNone);  // a no-op
  EXPECT_EQ(pool.view(empty), "");
  EXPECT_EQ(pool.size(), 3U);
}

TEST(TransactionTable, GuidOrderIsTheStringOrder) {
  TransactionTable table;
  const std::vector<std::string> guids = {"TRN-ffffffff-0000-0000-0000-000000000000",
                                          "TRN-00000000-0000-0000-0000-00000000000f",
                                          "TRN-00000000-0000-0000-0001-000000000000",
                                          "TRN-0",
                                          "TRN-zzz",
                                          "TRN-00000000-ffff"};
  std::vector<TransactionTable::RowId> rows;
  for (const auto& g : guids) rows.push_back(table.insert(full(g)));
  std::vector<TransactionTable::RowId> by_table = rows;
  std::sort(by_table.begin(), by_table.end(),
            [&](auto x, auto y) { return table.guid_less(x, y); });
  std::vector<std::string> sorted_by_table;
  for (auto r : by_table) sorted_by_table.push_back(table.guid(r));
  std::vector<std::string> sorted = guids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted_by_table, sorted);
}

}  // namespace
}  // namespace mxemu::domain
