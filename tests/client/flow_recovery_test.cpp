// A CONNECTED member that is not assumed to stay CONNECTED: the emulator's control API makes
// it CHALLENGED, then DEGRADED, then it recovers and is challenged again. Each step's action
// and notices, the recovery, and out-of-order webhook observations.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flow_emulator_fixture.h"

namespace mxemu::testing {
namespace {

using mxclient::Action;
using mxclient::StatusSource;
using mxclient::WatchEnd;
using mxclient::WatchState;
using std::chrono::seconds;

class FlowRecoveryTest : public FlowEmulatorTest {
 protected:
  // Enrolled, connected, watched to idle and synced once.
  void SetUp() override {
    auto user = enroller_->enrol("carol");
    ASSERT_TRUE(user) << user.error().message;
    user_guid_ = user->user_guid;
    member_guid_ = create_mxbank_member(user_guid_, "password");
    auto flow = connect_flow(mxclient::web_platform());
    auto stored = flow.complete(
        "carol", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":")" +
                     member_guid_ + R"("}})");
    ASSERT_TRUE(stored) << stored.error().message;
    auto watched = watcher_->watch(member_guid_);
    ASSERT_TRUE(watched) << watched.error().message;
    ASSERT_EQ(watched->end, WatchEnd::kReady);
    ASSERT_TRUE(syncer_->sync(member_guid_));
  }

  mxclient::WatchResult watch() {
    auto result = watcher_->watch(member_guid_);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : mxclient::WatchResult{};
  }

  std::string user_guid_;
  std::string member_guid_;
};

TEST_F(FlowRecoveryTest, ChallengedThenDegradedThenRecoversAndIsChallengedAgain) {
  // CONNECTED → CHALLENGED on a later aggregation: MFA action, one notice.
  force_status(member_guid_, "CHALLENGED");
  const auto challenged = watch();
  EXPECT_EQ(challenged.end, WatchEnd::kNeedsUser);
  EXPECT_EQ(challenged.decision.action, Action::kAnswerMfa);
  ASSERT_EQ(challenged.notices.size(), 1U);
  EXPECT_EQ(challenged.notices[0].dedupe_key,
            "mfa_required:" + member_guid_ + ":CHALLENGED:1");  // episode 1: after one recovery
  EXPECT_EQ(member(member_guid_).watch_state, WatchState::kNeedsUser);

  // The webhook receiver reports the same status: no second notice.
  auto hook = watcher_->on_status(
      {member_guid_, "CHALLENGED", false, clock_.now(), StatusSource::kWebhook});
  ASSERT_TRUE(hook) << hook.error().message;
  EXPECT_TRUE(hook->sent.empty());
  EXPECT_EQ(hook->decision.action, Action::kAnswerMfa);

  // CHALLENGED → DEGRADED (MX-side, not user-fixable): retry later; the user is told the
  // connection is interrupted, with a link to the widget, not asked for credentials.
  sleeper_.wait(std::chrono::minutes(1));
  force_status(member_guid_, "DEGRADED");
  const auto degraded = watch();
  EXPECT_EQ(degraded.end, WatchEnd::kRetryLater);
  EXPECT_EQ(degraded.decision.action, Action::kRetryLater);
  EXPECT_TRUE(degraded.decision.may_refresh);
  ASSERT_EQ(degraded.notices.size(), 1U);
  EXPECT_EQ(degraded.notices[0].dedupe_key, "connection_interrupted:" + member_guid_ + ":1");
  EXPECT_EQ(degraded.notices[0].link, mxclient::RepairLink::kWidget);
  EXPECT_EQ(member(member_guid_).watch_state, WatchState::kSettled);
  EXPECT_EQ(member(member_guid_).connection_status, "DEGRADED");

  // A CHALLENGED webhook delivered late (sent before the DEGRADED poll) is ignored.
  auto late = watcher_->on_status(
      {member_guid_, "CHALLENGED", false, clock_.now() - seconds(30), StatusSource::kWebhook});
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_TRUE(late->stale);
  EXPECT_EQ(member(member_guid_).connection_status, "DEGRADED");
  EXPECT_EQ(notifier_.notices.size(), 2U);

  // Recovery: a refresh aggregates, the member connects again, and the watch notices.
  sleeper_.wait(std::chrono::minutes(30));
  auto aggregated = api_->aggregate_member(user_guid_, member_guid_);
  ASSERT_TRUE(aggregated) << aggregated.error().message;
  const auto recovered = watch();
  EXPECT_EQ(recovered.end, WatchEnd::kReady);
  EXPECT_EQ(recovered.last.connection_status, "CONNECTED");
  ASSERT_EQ(recovered.notices.size(), 1U);
  EXPECT_EQ(recovered.notices[0].kind, mxclient::kNoticeConnectionRestored);
  EXPECT_EQ(member(member_guid_).watch_state, WatchState::kSettled);
  auto resynced = syncer_->sync(member_guid_);
  ASSERT_TRUE(resynced) << resynced.error().message;
  EXPECT_TRUE(resynced->window.incremental);

  // Challenged again after the recovery: a new episode, so a new notice.
  force_status(member_guid_, "CHALLENGED");
  const auto again = watch();
  EXPECT_EQ(again.end, WatchEnd::kNeedsUser);
  ASSERT_EQ(again.notices.size(), 1U);
  EXPECT_EQ(again.notices[0].dedupe_key, "mfa_required:" + member_guid_ + ":CHALLENGED:2");
  EXPECT_EQ(notifier_.kinds(), (std::vector<std::string>{"mfa_required", "connection_interrupted",
                                                         "connection_restored", "mfa_required"}));

  // The history shows every step, sources included.
  auto history = store_->list_status_history(member_guid_);
  ASSERT_TRUE(history);
  std::vector<std::string> statuses;
  for (const auto& o : *history) {
    if (statuses.empty() || statuses.back() != o.connection_status) {
      statuses.push_back(o.connection_status);
    }
  }
  ASSERT_GE(statuses.size(), 5U);
  EXPECT_EQ(std::vector<std::string>(statuses.end() - 4, statuses.end()),
            (std::vector<std::string>{"CHALLENGED", "DEGRADED", "CONNECTED", "CHALLENGED"}));
}

TEST_F(FlowRecoveryTest, DeniedAfterConnectedAsksForCredentialsThroughTheWidget) {
  force_status(member_guid_, "DENIED");
  const auto denied = watch();
  EXPECT_EQ(denied.end, WatchEnd::kNeedsUser);
  EXPECT_EQ(denied.decision.action, Action::kReconnectWithCredentials);
  ASSERT_EQ(denied.notices.size(), 1U);
  EXPECT_EQ(denied.notices[0].kind, mxclient::kNoticeReconnectRequired);
  auto flow = connect_flow(mxclient::web_platform());
  auto url = flow.widget_url_for(member_guid_, denied.decision.link);
  ASSERT_TRUE(url) << url.error().message;
  const auto requests = sent("POST", "/users/" + user_guid_ + "/widget_urls");
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_NE(requests[0].body.find("\"update_credentials\":true"), std::string::npos);
  EXPECT_NE(requests[0].body.find("\"current_member_guid\":\"" + member_guid_ + "\""),
            std::string::npos);
}

}  // namespace
}  // namespace mxemu::testing
