// MemberWatcher against a scripted MX and an in-memory store: when polling stops, what is
// recorded, which notices go out (once per episode), and out-of-order observations.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "flow_test_support.h"
#include "mxclient/mx_api.h"
#include "mxclient/store.h"
#include "mxclient/watch.h"

namespace mxclient {
namespace {

using flowtest::status_body;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kStatusPath = "GET /users/USR-1/members/MBR-1/status";

class WatchMemberTest : public ::testing::Test {
 protected:
  WatchMemberTest() {
    transport_->on("GET /institutions/mxbank", 200,
                   R"({"institution":{"code":"mxbank","name":"MX Bank"}})");
    MxApiConfig config;
    config.client_id = "id";
    config.api_key = "key";
    config.retry.max_attempts = 1;
    api_ = std::make_unique<MxApi>(transport_, config, sleeper_);
    auto opened = open_sqlite_store(":memory:");
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    EXPECT_TRUE(store_->upsert_end_user({"alice", "USR-1", clock_.now()}));
    MemberRecord m;
    m.member_guid = "MBR-1";
    m.user_guid = "USR-1";
    m.institution_code = "mxbank";
    m.connection_status = "CREATED";
    m.is_being_aggregated = true;
    m.created_at = m.updated_at = clock_.now();
    EXPECT_TRUE(store_->upsert_member(m));
    WatchConfig wc;
    wc.max_polls = 10;
    watcher_ = std::make_unique<MemberWatcher>(*api_, *store_, clock_, sleeper_, notifier_, wc);
  }

  void script(const std::string& status, bool aggregating, bool processed = true) {
    transport_->on(kStatusPath, 200, status_body("MBR-1", status, aggregating, processed));
  }
  StatusObservation webhook(const std::string& status, TimePoint at) {
    return {"MBR-1", status, false, at, StatusSource::kWebhook};
  }
  MemberRecord member() { return **store_->find_member("MBR-1"); }
  std::vector<StatusObservation> history() { return *store_->list_status_history("MBR-1"); }

  flowtest::ManualTestClock clock_;
  flowtest::ClockSleeper sleeper_{clock_};
  std::shared_ptr<flowtest::ScriptedTransport> transport_ =
      std::make_shared<flowtest::ScriptedTransport>();
  flowtest::RecordingNotifier notifier_;
  std::unique_ptr<MxApi> api_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<MemberWatcher> watcher_;
};

TEST_F(WatchMemberTest, PollsEveryThreeSecondsUntilConnectedAndIdle) {
  script("CREATED", true);
  script("CONNECTED", true);
  script("CONNECTED", false);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kReady);
  EXPECT_EQ(result->polls, 3);
  EXPECT_EQ(sleeper_.waits, (std::vector<milliseconds>{milliseconds{3000}, milliseconds{3000}}));
  const auto h = history();
  ASSERT_EQ(h.size(), 3U);  // CREATED+agg, CONNECTED+agg, CONNECTED idle
  for (const auto& o : h) EXPECT_EQ(o.source, StatusSource::kPoll);
  EXPECT_EQ(h[2].connection_status, "CONNECTED");
  EXPECT_FALSE(h[2].is_being_aggregated);
  EXPECT_EQ(h[1].observed_at - h[0].observed_at, seconds{3});
  EXPECT_EQ(member().watch_state, WatchState::kSettled);
  EXPECT_TRUE(notifier_.notices.empty());
}

TEST_F(WatchMemberTest, StopsOnChallengedAndNotifiesOncePerEpisode) {
  script("CHALLENGED", false);
  auto first = watcher_->watch("MBR-1");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->end, WatchEnd::kNeedsUser);
  EXPECT_EQ(first->decision.action, Action::kAnswerMfa);
  EXPECT_EQ(first->polls, 1);
  ASSERT_EQ(first->notices.size(), 1U);
  EXPECT_EQ(first->notices[0].kind, kNoticeMfaRequired);
  EXPECT_EQ(first->notices[0].dedupe_key, "mfa_required:MBR-1:CHALLENGED:0");
  EXPECT_EQ(first->notices[0].app_user_id, "alice");
  EXPECT_NE(first->notices[0].message.find("MX Bank"), std::string::npos);
  EXPECT_EQ(member().watch_state, WatchState::kNeedsUser);

  // The same status again, from a poll and from a webhook: no second notice.
  auto again = watcher_->watch("MBR-1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->notices.empty());
  clock_.advance(milliseconds{1000});
  auto hook = watcher_->on_status(webhook("CHALLENGED", clock_.now()));
  ASSERT_TRUE(hook) << hook.error().message;
  EXPECT_TRUE(hook->sent.empty());
  EXPECT_EQ(notifier_.notices.size(), 1U);
  EXPECT_EQ(transport_->calls("GET /institutions/mxbank"), 1);  // the name is cached
}

TEST_F(WatchMemberTest, RecurrenceAfterRecoveryNotifiesAgain) {
  script("CHALLENGED", false);
  ASSERT_TRUE(watcher_->watch("MBR-1"));
  clock_.advance(milliseconds{60000});
  auto recovered = watcher_->on_status(webhook("CONNECTED", clock_.now()));
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_TRUE(recovered->recovered);
  ASSERT_EQ(recovered->sent.size(), 1U);
  EXPECT_EQ(recovered->sent[0].kind, kNoticeConnectionRestored);
  EXPECT_EQ(recovered->sent[0].dedupe_key, "connection_restored:MBR-1:0");
  EXPECT_EQ(member().watch_state, WatchState::kSettled);

  // Never assumed to stay CONNECTED: the next aggregation is challenged again.
  clock_.advance(milliseconds{60000});
  auto again = watcher_->on_status(webhook("CHALLENGED", clock_.now()));
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->sent.size(), 1U);
  EXPECT_EQ(again->sent[0].dedupe_key, "mfa_required:MBR-1:CHALLENGED:1");
  EXPECT_EQ(member().watch_state, WatchState::kNeedsUser);
  EXPECT_EQ(notifier_.kinds(),
            (std::vector<std::string>{"mfa_required", "connection_restored", "mfa_required"}));
}

TEST_F(WatchMemberTest, IgnoresObservationsOlderThanTheLatest) {
  const TimePoint late = clock_.now() + seconds{30};
  auto newer = watcher_->on_status(webhook("CONNECTED", late));
  ASSERT_TRUE(newer) << newer.error().message;
  EXPECT_TRUE(newer->recorded);
  auto older = watcher_->on_status(webhook("DENIED", late - seconds{10}));
  ASSERT_TRUE(older) << older.error().message;
  EXPECT_TRUE(older->stale);
  EXPECT_FALSE(older->recorded);
  EXPECT_TRUE(older->sent.empty());
  EXPECT_EQ(history().size(), 1U);
  EXPECT_EQ(member().connection_status, "CONNECTED");
  EXPECT_TRUE(notifier_.notices.empty());
  // Equal time is not older: it is applied.
  auto same = watcher_->on_status(webhook("DENIED", late));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_FALSE(same->stale);
  EXPECT_EQ(member().connection_status, "DENIED");
  EXPECT_EQ(notifier_.kinds(), std::vector<std::string>{"reconnect_required"});
}

TEST_F(WatchMemberTest, DegradedIsMxSideTheUserIsToldItIsInterrupted) {
  script("DEGRADED", false);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kRetryLater);
  EXPECT_EQ(result->decision.action, Action::kRetryLater);
  ASSERT_EQ(result->notices.size(), 1U);
  EXPECT_EQ(result->notices[0].kind, kNoticeConnectionInterrupted);
  EXPECT_EQ(result->notices[0].link, RepairLink::kWidget);
  EXPECT_FALSE(result->notices[0].repair_url);            // no ConnectFlow offered to mint one
  EXPECT_EQ(member().watch_state, WatchState::kSettled);  // the scheduler refreshes it later
}

TEST_F(WatchMemberTest, ARetriedDegradedMemberIsWatchedUntilItsJobEnds) {
  // MX keeps showing the pre-job status while the retry job runs.
  script("DEGRADED", true);
  script("DEGRADED", true);
  script("CONNECTED", false);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kReady);
  EXPECT_EQ(result->polls, 3);
  // DEGRADED while its retry job runs tells nobody, so CONNECTED has nothing to recover from.
  EXPECT_TRUE(result->notices.empty());
}

TEST_F(WatchMemberTest, AnInterruptedWaitEndsTheWatchAtOnce) {
  script("CREATED", true);  // MX keeps working: without the signal, 10 polls then kTimedOut
  flowtest::InterruptedSleeper sleeper(sleeper_, 2);
  MemberWatcher watcher(*api_, *store_, clock_, sleeper, notifier_, watcher_->config());
  auto result = watcher.watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kInterrupted);
  EXPECT_EQ(to_string(result->end), "interrupted");
  EXPECT_EQ(result->polls, 2);
  EXPECT_EQ(transport_->calls(kStatusPath), 2);
  EXPECT_EQ(sleeper.waited, 2U);
  EXPECT_EQ(result->last.connection_status, "CREATED");
}

TEST_F(WatchMemberTest, AHeartbeatEveryTenSecondsOfALongWatch) {
  script("CREATED", true);
  WatchConfig config = watcher_->config();  // 10 polls, 3 s apart: 27 s
  std::vector<WatchProgress> beats;
  config.on_progress = [&](const WatchProgress& p) { beats.push_back(p); };
  MemberWatcher watcher(*api_, *store_, clock_, sleeper_, notifier_, config);
  const TimePoint start = clock_.now();
  auto result = watcher.watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kTimedOut);
  EXPECT_EQ(result->polls, 10);
  EXPECT_EQ(clock_.now() - start, seconds(27));  // the slices add up to the same waits
  ASSERT_EQ(beats.size(), 2U);
  EXPECT_EQ(beats[0].elapsed, seconds(10));
  EXPECT_EQ(beats[0].polls, 4);  // polls at 0, 3, 6, 9 s
  EXPECT_EQ(beats[1].elapsed, seconds(20));
  EXPECT_EQ(beats[1].last.connection_status, "CREATED");
  EXPECT_EQ(beats[1].member_guid, "MBR-1");
}

TEST_F(WatchMemberTest, ChallengedWhileAJobWaitsForTheAnswerStopsTheWatch) {
  script("CHALLENGED", true);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kNeedsUser);
  EXPECT_EQ(result->polls, 1);
  EXPECT_EQ(member().watch_state, WatchState::kNeedsUser);
}

TEST_F(WatchMemberTest, StopsAtThePollCap) {
  script("CREATED", true);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kTimedOut);
  EXPECT_EQ(result->polls, 10);
  EXPECT_EQ(transport_->calls(kStatusPath), 10);
  EXPECT_EQ(member().watch_state, WatchState::kWatching);
}

TEST_F(WatchMemberTest, StopsAtTheTimeout) {
  WatchConfig wc;
  wc.max_polls = 1000;
  wc.timeout = milliseconds{10000};
  MemberWatcher watcher(*api_, *store_, clock_, sleeper_, notifier_, wc);
  script("CREATED", true);
  auto result = watcher.watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kTimedOut);
  EXPECT_EQ(result->polls, 4);  // at 0, 3, 6, 9 s; a fifth would start after 10 s
}

TEST_F(WatchMemberTest, SettlesWhenTransactionsNeverReportProcessed) {
  script("CONNECTED", false, /*processed=*/false);
  auto result = watcher_->watch("MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, WatchEnd::kReady);
  EXPECT_EQ(result->polls, kMaxSettlePolls);
  EXPECT_EQ(member().watch_state, WatchState::kSettled);
}

TEST_F(WatchMemberTest, FailedDeliveryIsRetriedOnTheNextObservation) {
  notifier_.fail_next = 1;
  script("DENIED", false);
  auto first = watcher_->watch("MBR-1");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->notify_error.has_value());
  EXPECT_TRUE(first->notices.empty());
  auto claim = store_->find_notification("reconnect_required:MBR-1:DENIED:0");
  ASSERT_TRUE(claim);
  EXPECT_FALSE(claim->has_value());  // released for the retry
  auto second = watcher_->watch("MBR-1");
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->notices.size(), 1U);
  EXPECT_EQ(second->notices[0].kind, kNoticeReconnectRequired);
}

TEST_F(WatchMemberTest, UnknownMemberIsNotFound) {
  auto result =
      watcher_->on_status({"MBR-404", "CONNECTED", false, clock_.now(), StatusSource::kWebhook});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kNotFound);
}

TEST(WatchPolicyMapTest, StatesAndEndsFollowTheActions) {
  auto decision = [](const char* status, bool aggregating) {
    MxMemberStatus s;
    s.guid = "MBR-1";
    s.connection_status = status;
    s.is_being_aggregated = aggregating;
    s.has_processed_accounts = s.has_processed_transactions = true;
    return decide(s);
  };
  EXPECT_EQ(watch_state_for(decision("CREATED", true)), WatchState::kWatching);
  EXPECT_EQ(watch_state_for(decision("CONNECTED", true)), WatchState::kWatching);
  EXPECT_EQ(watch_state_for(decision("CONNECTED", false)), WatchState::kSettled);
  EXPECT_EQ(watch_state_for(decision("CHALLENGED", false)), WatchState::kNeedsUser);
  EXPECT_EQ(watch_state_for(decision("DENIED", false)), WatchState::kNeedsUser);
  EXPECT_EQ(watch_state_for(decision("CLOSED", false)), WatchState::kNeedsUser);
  EXPECT_EQ(watch_state_for(decision("DEGRADED", false)), WatchState::kSettled);
  EXPECT_EQ(watch_state_for(decision("DISABLED", false)), WatchState::kSettled);
  EXPECT_EQ(watch_end_for(decision("CONNECTED", false)), WatchEnd::kReady);
  EXPECT_EQ(watch_end_for(decision("LOCKED", false)), WatchEnd::kNeedsUser);
  EXPECT_EQ(watch_end_for(decision("PENDING", false)), WatchEnd::kNeedsUser);
  EXPECT_EQ(watch_end_for(decision("DISCONTINUED", false)), WatchEnd::kGaveUp);
  EXPECT_EQ(watch_end_for(decision("FAILED", false)), WatchEnd::kRetryLater);
  EXPECT_EQ(notice_kind(Action::kAnswerMfa, RepairLink::kWidget), kNoticeMfaRequired);
  EXPECT_EQ(notice_kind(Action::kWaitAndPoll, RepairLink::kNone), "");
  EXPECT_EQ(to_string(WatchEnd::kNeedsUser), "needs_user");
}

}  // namespace
}  // namespace mxclient
