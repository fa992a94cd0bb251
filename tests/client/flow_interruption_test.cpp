// A connected member's connection is interrupted on MX's side: DEGRADED (an institution outage
// makes three jobs fail) and DISABLED (MX pauses aggregation). The user is told once per
// episode, with a widget URL on the member (current_member_guid, no update_credentials: MX does
// not need credentials for either); the refresh scheduler retries DEGRADED later without
// hammering it and leaves DISABLED to MX.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flow_emulator_fixture.h"
#include "mxclient/refresh_scheduler.h"

namespace mxemu::testing {
namespace {

using mxclient::RepairLink;
using mxclient::WatchEnd;
using std::chrono::hours;
using std::chrono::minutes;

class FlowInterruptionTest : public FlowEmulatorTest {
 protected:
  void SetUp() override {
    auto user = enroller_->enrol("dana");
    ASSERT_TRUE(user) << user.error().message;
    user_guid_ = user->user_guid;
    member_guid_ = create_mxbank_member(user_guid_, "password");
    ASSERT_TRUE(flow_.complete("dana", R"({"mx":true,"type":"mx/connect/memberConnected",)"
                                       R"("metadata":{"member_guid":")" +
                                           member_guid_ + R"("}})"));
    watcher_->offer_repair_links(&flow_);
    ASSERT_EQ(watch().end, WatchEnd::kReady);
  }

  mxclient::WatchResult watch() {
    auto result = watcher_->watch(member_guid_);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : mxclient::WatchResult{};
  }

  // An outage at MX Bank: every job fails until it ends; three failures within 24 h make the
  // member DEGRADED (docs/control-api.md).
  void outage(bool on) {
    control("/_emulator/institutions/mxbank/fault",
            on ? R"({"outcome":"fail"})" : R"({"outcome":null})");
  }
  void aggregate_and_watch() {
    ASSERT_TRUE(api_->aggregate_member(user_guid_, member_guid_));
    watch();
  }

  // The widget_urls requests the client sent, bodies in order.
  std::vector<std::string> widget_requests() {
    std::vector<std::string> bodies;
    for (const auto& r : sent("POST", "/users/" + user_guid_ + "/widget_urls")) {
      bodies.push_back(r.body);
    }
    return bodies;
  }

  mxclient::ConnectFlow flow_ = connect_flow(mxclient::web_platform());
  std::string user_guid_;
  std::string member_guid_;
};

TEST_F(FlowInterruptionTest, DegradedThenDisabledTellsTheUserOnceWithAReconnectUrl) {
  outage(true);
  for (int failure = 0; failure < 3; ++failure) {
    sleeper_.wait(minutes(10));
    aggregate_and_watch();
  }
  ASSERT_EQ(member(member_guid_).connection_status, "DEGRADED");
  ASSERT_EQ(notifier_.notices.size(), 1U) << notifier_.notices.size();
  const mxclient::Notice& told = notifier_.notices[0];
  EXPECT_EQ(told.kind, mxclient::kNoticeConnectionInterrupted);
  EXPECT_EQ(told.status, mxclient::ConnectionStatus::kDegraded);
  EXPECT_EQ(told.link, RepairLink::kWidget);
  EXPECT_NE(told.message.find("interrupted"), std::string::npos) << told.message;
  ASSERT_TRUE(told.repair_url.has_value());
  EXPECT_NE(told.repair_url->find("/connect/"), std::string::npos) << *told.repair_url;
  // The URL is MX's repair: current_member_guid, without update_credentials.
  ASSERT_EQ(widget_requests().size(), 1U);
  EXPECT_NE(widget_requests()[0].find(R"("current_member_guid":")" + member_guid_ + "\""),
            std::string::npos)
      << widget_requests()[0];
  EXPECT_EQ(widget_requests()[0].find("update_credentials"), std::string::npos);

  // The same episode: polled again, heard by webhook, then paused by MX. Nobody is told again
  // and no other URL is minted (each is single use).
  watch();
  ASSERT_TRUE(watcher_->on_status(
      {member_guid_, "DEGRADED", false, clock_.now(), mxclient::StatusSource::kWebhook}));
  force_status(member_guid_, "DISABLED");
  const auto paused = watch();
  EXPECT_EQ(paused.end, WatchEnd::kRetryLater);
  EXPECT_FALSE(paused.decision.may_refresh);
  EXPECT_EQ(notifier_.notices.size(), 1U);
  EXPECT_EQ(widget_requests().size(), 1U);

  // Recovery ends the episode; the next pause is a new one and is told again.
  outage(false);
  force_status(member_guid_, "CONNECTED");
  sleeper_.wait(minutes(5));
  aggregate_and_watch();
  ASSERT_EQ(member(member_guid_).connection_status, "CONNECTED");
  control("/_emulator/members/" + member_guid_ + "/events", R"({"event":"aggregation_paused"})");
  EXPECT_EQ(watch().last.connection_status, "DISABLED");
  EXPECT_EQ(notifier_.kinds(),
            (std::vector<std::string>{"connection_interrupted", "connection_restored",
                                      "connection_interrupted"}));
  EXPECT_EQ(notifier_.notices.back().status, mxclient::ConnectionStatus::kDisabled);
  EXPECT_TRUE(notifier_.notices.back().repair_url.has_value());
  EXPECT_EQ(widget_requests().size(), 2U);
}

TEST_F(FlowInterruptionTest, TheSchedulerRetriesDegradedLaterButNeverHammersIt) {
  outage(true);
  for (int failure = 0; failure < 3; ++failure) {
    sleeper_.wait(minutes(10));
    aggregate_and_watch();
  }
  ASSERT_EQ(member(member_guid_).connection_status, "DEGRADED");
  const std::string aggregate = "/users/" + user_guid_ + "/members/" + member_guid_ + "/aggregate";
  const auto calls_before = sent("POST", aggregate).size();

  // A pass every 15 minutes for a day, the data stale after 1 h: the outage goes on.
  mxclient::RefreshSchedulerOptions options;
  options.sla = hours(1);
  mxclient::RefreshScheduler scheduler(*api_, *store_, clock_, sleeper_, options);
  std::vector<mxclient::TimePoint> calls;
  for (int pass = 0; pass < 4 * 24; ++pass) {
    sleeper_.wait(minutes(15));
    const auto before = sent("POST", aggregate).size();
    auto counts = scheduler.run_due();
    ASSERT_TRUE(counts) << counts.error().message;
    if (sent("POST", aggregate).size() > before) calls.push_back(clock_.now());
    watch();  // what the job made of it
  }
  // The per-member cap (4 per 24 h), each call a throttle window (3 h) after the last.
  EXPECT_GE(calls.size(), 2U);
  EXPECT_LE(calls.size(), 4U);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GE(calls[i] - calls[i - 1], hours(3));
  }
  EXPECT_EQ(sent("POST", aggregate).size() - calls_before, calls.size());
  // Told once: still the same episode.
  EXPECT_EQ(notifier_.kinds(), std::vector<std::string>{"connection_interrupted"});

  // DISABLED is MX's pause: the scheduler leaves it alone.
  force_status(member_guid_, "DISABLED");
  watch();
  const auto paused_before = sent("POST", aggregate).size();
  for (int pass = 0; pass < 8; ++pass) {
    sleeper_.wait(hours(3));
    auto counts = scheduler.run_due();
    ASSERT_TRUE(counts) << counts.error().message;
    EXPECT_EQ(counts->skipped_for(mxclient::RefreshSkip::kPaused), 1);
  }
  EXPECT_EQ(sent("POST", aggregate).size(), paused_before);
}

}  // namespace
}  // namespace mxemu::testing
