// Which transactions a sync asks for (first sync vs incremental), the date arithmetic behind
// it, and the readiness gate, against a scripted MX.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "flow_test_support.h"
#include "mxclient/sync.h"

namespace mxclient {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TimePoint at(std::int64_t unix_seconds) { return TimePoint(seconds(unix_seconds)); }

TEST(SyncWindowTest, DatesInUtc) {
  EXPECT_EQ(utc_date(at(0)), "1970-01-01");
  EXPECT_EQ(utc_date(flowtest::t0()), "2024-03-01");
  EXPECT_EQ(utc_date(at(1709251199)), "2024-02-29");  // 23:59:59Z on the leap day
  EXPECT_EQ(add_days("2024-03-01", -1), "2024-02-29");
  EXPECT_EQ(add_days("2023-03-01", -1), "2023-02-28");
  EXPECT_EQ(add_days("2023-12-28", 7), "2024-01-04");
  EXPECT_EQ(add_days("2024-01-03", -7), "2023-12-27");
  EXPECT_EQ(add_days("not a date", 3), "not a date");
}

TEST(SyncWindowTest, FirstSyncUsesMxDefaultWindow) {
  MemberRecord m;
  const SyncWindow w = choose_sync_window(m, SyncConfig{}, flowtest::t0());
  EXPECT_FALSE(w.incremental);
  EXPECT_FALSE(w.filter.from_date.has_value());
  EXPECT_FALSE(w.filter.to_date.has_value());
}

TEST(SyncWindowTest, FirstSyncWithLookback) {
  MemberRecord m;
  SyncConfig c;
  c.first_sync_lookback_days = 30;
  const SyncWindow w = choose_sync_window(m, c, flowtest::t0());
  EXPECT_FALSE(w.incremental);
  EXPECT_EQ(w.filter.from_date, "2024-01-31");
}

TEST(SyncWindowTest, IncrementalStartsOverlapDaysBeforeTheLastSync) {
  MemberRecord m;
  m.last_synced_at = flowtest::t0() + hours(14);  // 2024-03-01T23:00Z
  m.last_transaction_date = "2024-02-20";         // older: the sync date is the anchor
  SyncConfig c;
  c.first_sync_lookback_days = 365;  // irrelevant once synced
  const SyncWindow w = choose_sync_window(m, c, flowtest::t0() + hours(24 * 10));
  EXPECT_TRUE(w.incremental);
  EXPECT_EQ(w.filter.from_date, "2024-02-23");
  EXPECT_FALSE(w.filter.to_date.has_value());  // MX's default end (5 days ahead)
  c.overlap_days = -3;                         // treated as 0
  EXPECT_EQ(choose_sync_window(m, c, flowtest::t0()).filter.from_date, "2024-03-01");
}

TEST(SyncGateTest, RefusesAMemberThatIsNotConnectedAndIdle) {
  flowtest::ManualTestClock clock;
  flowtest::ClockSleeper sleeper(clock);
  auto transport = std::make_shared<flowtest::ScriptedTransport>();
  MxApiConfig config;
  config.retry.max_attempts = 1;
  MxApi api(transport, config, sleeper);
  auto store = open_sqlite_store(":memory:");
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->upsert_end_user({"alice", "USR-1", clock.now()}));
  MemberRecord m;
  m.member_guid = "MBR-1";
  m.user_guid = "USR-1";
  m.institution_code = "mxbank";
  m.connection_status = "CONNECTED";
  m.is_being_aggregated = true;
  ASSERT_TRUE((*store)->upsert_member(m));
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  Syncer syncer(api, **store, clock, mapper);

  auto busy = syncer.sync("MBR-1");
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(busy.error().message.find("aggregating"), std::string::npos);
  m.is_being_aggregated = false;
  m.connection_status = "CHALLENGED";
  ASSERT_TRUE((*store)->upsert_member(m));
  auto challenged = syncer.sync("MBR-1");
  ASSERT_FALSE(challenged);
  EXPECT_NE(challenged.error().message.find("CHALLENGED"), std::string::npos);
  EXPECT_TRUE(transport->requests.empty());  // nothing fetched
  EXPECT_EQ(syncer.sync("MBR-404").error().kind, ErrorKind::kNotFound);
}

TEST(SyncMappingTest, MapsCategoriesAndReportsTheOnesTheMappingMisses) {
  flowtest::ManualTestClock clock;
  flowtest::ClockSleeper sleeper(clock);
  auto transport = std::make_shared<flowtest::ScriptedTransport>();
  transport->on(
      "GET /users/USR-1/members/MBR-1/accounts", 200,
      R"({"accounts":[{"guid":"ACT-1","member_guid":"MBR-1","user_guid":"USR-1",)"
      R"("name":"Checking","type":"CHECKING","balance":10}],)"
      R"("pagination":{"current_page":1,"per_page":1000,"total_entries":1,"total_pages":1}})");
  auto tx = [](const char* guid, const char* top, const char* category) {
    return std::string(R"({"guid":")") + guid +
           R"(","account_guid":"ACT-1","member_guid":"MBR-1","user_guid":"USR-1","amount":5,)"
           R"("type":"DEBIT","status":"POSTED","date":"2024-02-28","description":"x",)"
           R"("original_description":"X","top_level_category":")" +
           top + R"(","category":")" + category + R"("})";
  };
  transport->on(
      "GET /users/USR-1/members/MBR-1/transactions", 200,
      R"({"transactions":[)" + tx("TRN-1", "Food & Dining", "Groceries") + "," +
          tx("TRN-2", "Space Travel", "Moon Tickets") + "," +
          tx("TRN-3", "Space Travel", "Moon Tickets") +
          R"(],"pagination":{"current_page":1,"per_page":1000,"total_entries":3,"total_pages":1}})");
  MxApiConfig config;
  config.retry.max_attempts = 1;
  MxApi api(transport, config, sleeper);
  auto store = open_sqlite_store(":memory:");
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->upsert_end_user({"alice", "USR-1", clock.now()}));
  MemberRecord m;
  m.member_guid = "MBR-1";
  m.user_guid = "USR-1";
  m.institution_code = "mxbank";
  m.connection_status = "CONNECTED";
  ASSERT_TRUE((*store)->upsert_member(m));
  auto mapper = CategoryMapper::from_json(
      R"({"version":1,"default_category":"Other","app_categories":["Groceries","Other"],)"
      R"("rules":[{"mx_category":"Groceries","app_category":"Groceries"}]})");
  ASSERT_TRUE(mapper) << mapper.error().message;
  Syncer syncer(api, **store, clock, *mapper);
  std::vector<SyncPhase> phases;
  auto report = syncer.sync("MBR-1", [&](const SyncProgress& p) { phases.push_back(p.phase); });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(phases, (std::vector<SyncPhase>{SyncPhase::kAccounts, SyncPhase::kTransactions}));
  EXPECT_EQ(report->counts.transactions.inserted, 3);
  ASSERT_EQ(report->unmapped.size(), 1U);
  EXPECT_EQ(report->unmapped[0].top_level_category, "Space Travel");
  EXPECT_EQ(report->unmapped[0].category, "Moon Tickets");
  EXPECT_EQ(report->unmapped[0].count, 2U);
  EXPECT_EQ((*store)->find_transaction("TRN-1")->value().app_category, "Groceries");
  EXPECT_EQ((*store)->find_transaction("TRN-2")->value().app_category, "Other");
  auto synced = (*store)->find_member("MBR-1");
  ASSERT_TRUE(synced && synced->has_value());
  EXPECT_EQ((*synced)->last_synced_at, clock.now());
  EXPECT_EQ((*synced)->last_transaction_date, "2024-02-28");

  // The second sync reports only what it added to the default bucket.
  auto again = syncer.sync("MBR-1");
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->unmapped.size(), 1U);
  EXPECT_EQ(again->unmapped[0].count, 2U);
  EXPECT_EQ(again->counts.transactions.unchanged, 3);
  EXPECT_NE(transport->requests.back().target.find("from_date=2024-02-23"), std::string::npos)
      << transport->requests.back().target;
}

}  // namespace
}  // namespace mxclient
