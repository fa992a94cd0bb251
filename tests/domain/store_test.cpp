// The store's transaction index: inclusive date bounds, stable order, re-dated rows, deletes.
#include "domain/store.h"

#include <gtest/gtest.h>

namespace mxemu::domain {
namespace {

Transaction txn(const std::string& guid, const std::string& date,
                const std::string& account = "ACT-1") {
  Transaction t;
  t.guid = guid;
  t.user_guid = "USR-1";
  t.member_guid = "MBR-1";
  t.account_guid = account;
  t.date = date;
  t.status = "POSTED";
  t.amount = 1;
  return t;
}

std::vector<std::string> guids(const Page<Transaction>& page) {
  std::vector<std::string> out;
  for (const auto& t : page.items) out.push_back(t.guid);
  return out;
}

TransactionFilter by_user(std::optional<std::string> from, std::optional<std::string> to) {
  TransactionFilter f;
  f.scope = TransactionScope::kUser;
  f.key = "USR-1";
  f.from_date = std::move(from);
  f.to_date = std::move(to);
  return f;
}

TEST(StoreTransactions, DateBoundsAreInclusiveAndOrderIsByDateThenGuid) {
  Store store;
  store.upsert_transactions({txn("TRN-c", "2024-03-02"), txn("TRN-a", "2024-03-01"),
                             txn("TRN-b", "2024-03-02"), txn("TRN-d", "2024-03-04")});
  const auto page =
      store.list_transactions(by_user("2024-03-02", "2024-03-04"), PageRequest{1, 25});
  EXPECT_EQ(guids(page), (std::vector<std::string>{"TRN-b", "TRN-c", "TRN-d"}));
  EXPECT_EQ(page.total_entries, 3U);
  EXPECT_TRUE(store.list_transactions(by_user("2024-03-05", std::nullopt), PageRequest{1, 25})
                  .items.empty());
}

TEST(StoreTransactions, AReDatedRowMovesInEveryIndexAndCountsAsAnUpdate) {
  Store store;
  store.upsert_transactions({txn("TRN-a", "2024-03-01"), txn("TRN-b", "2024-03-02")});
  Transaction posted = txn("TRN-a", "2024-03-03");
  const UpsertCounts counts = store.upsert_transactions({posted});
  EXPECT_EQ(counts.created, 0);
  EXPECT_EQ(counts.updated, 1);
  EXPECT_EQ(guids(store.list_transactions(by_user(std::nullopt, std::nullopt), PageRequest{1, 25})),
            (std::vector<std::string>{"TRN-b", "TRN-a"}));
  TransactionFilter account = by_user(std::nullopt, std::nullopt);
  account.scope = TransactionScope::kAccount;
  account.key = "ACT-1";
  EXPECT_EQ(store.list_transactions(account, PageRequest{1, 25}).total_entries, 2U);
}

TEST(StoreTransactions, UserEditsSurviveReaggregation) {
  Store store;
  store.upsert_transactions({txn("TRN-a", "2024-03-01")});
  Transaction edited = *store.find_transaction("TRN-a");
  edited.description = "My rent";
  ASSERT_TRUE(store.update_transaction(edited));
  Transaction again = txn("TRN-a", "2024-03-01");
  again.status = "PENDING";
  store.upsert_transactions({again});
  EXPECT_EQ(store.find_transaction("TRN-a")->description, "My rent");
  EXPECT_EQ(store.find_transaction("TRN-a")->status, "PENDING");
}

TEST(StoreTransactions, PagesSliceTheFilteredRange) {
  Store store;
  std::vector<Transaction> rows;
  for (int i = 0; i < 30; ++i) rows.push_back(txn("TRN-" + std::to_string(100 + i), "2024-03-01"));
  store.upsert_transactions(rows);
  const auto page2 =
      store.list_transactions(by_user(std::nullopt, std::nullopt), PageRequest{2, 25});
  EXPECT_EQ(page2.items.size(), 5U);
  EXPECT_EQ(page2.total_pages, 2);
  EXPECT_EQ(page2.items.front().guid, "TRN-125");
}

TEST(StoreTransactions, RemovingAMemberRemovesItsTransactionsFromUserListings) {
  Store store;
  Member m;
  m.guid = "MBR-1";
  m.user_guid = "USR-1";
  store.add_member(m);
  Account a;
  a.guid = "ACT-1";
  a.member_guid = "MBR-1";
  a.user_guid = "USR-1";
  store.upsert_accounts({a});
  store.upsert_transactions({txn("TRN-a", "2024-03-01")});
  store.remove_member("MBR-1");
  EXPECT_EQ(store.transaction_count(), 0U);
  EXPECT_EQ(store.list_transactions(by_user(std::nullopt, std::nullopt), PageRequest{1, 25})
                .total_entries,
            0U);
}

}  // namespace
}  // namespace mxemu::domain
