// MFA against the real emulator: the watch stops on CHALLENGED with the MFA action and one
// notice; the app can open the widget (current_member_guid) or answer through the API.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "flow_emulator_fixture.h"

namespace mxemu::testing {
namespace {

using mxclient::Action;
using mxclient::WatchEnd;
using mxclient::WatchState;
using nlohmann::json;

class FlowMfaTest : public FlowEmulatorTest {
 protected:
  // Enrolled, connected through the widget callback (a postMessage), challenged.
  std::string challenged_member(mxclient::ConnectFlow& flow) {
    auto user = enroller_->enrol("bob");
    EXPECT_TRUE(user) << user.error().message;
    user_guid_ = user->user_guid;
    const std::string member_guid = create_mxbank_member(user_guid_, "challenge");
    auto stored = flow.complete(
        "bob", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"user_guid":")" +
                   user_guid_ + R"(","member_guid":")" + member_guid + R"("}})");
    EXPECT_TRUE(stored) << stored.error().message;
    return member_guid;
  }
  std::string user_guid_;
};

TEST_F(FlowMfaTest, ChallengedStopsTheWatchThenAnswersThroughTheApi) {
  auto flow = connect_flow(mxclient::web_platform());
  const std::string member_guid = challenged_member(flow);

  auto watched = watcher_->watch(member_guid);
  ASSERT_TRUE(watched) << watched.error().message;
  EXPECT_EQ(watched->end, WatchEnd::kNeedsUser);
  EXPECT_EQ(watched->decision.action, Action::kAnswerMfa);
  EXPECT_EQ(watched->last.connection_status, "CHALLENGED");
  EXPECT_FALSE(watched->last.challenges.empty());
  ASSERT_EQ(notifier_.notices.size(), 1U);
  EXPECT_EQ(notifier_.notices[0].kind, mxclient::kNoticeMfaRequired);
  EXPECT_EQ(notifier_.notices[0].app_user_id, "bob");
  EXPECT_NE(notifier_.notices[0].message.find("MX Bank"), std::string::npos)
      << notifier_.notices[0].message;
  EXPECT_EQ(member(member_guid).watch_state, WatchState::kNeedsUser);

  // Option one: the widget, loaded on the member (no credential form).
  auto widget = flow.widget_url_for(member_guid, watched->decision.link);
  ASSERT_TRUE(widget) << widget.error().message;
  const auto requests = sent("POST", "/users/" + user_guid_ + "/widget_urls");
  ASSERT_EQ(requests.size(), 1U);
  const json w = json::parse(requests[0].body).at("widget_url");
  EXPECT_EQ(w.at("current_member_guid"), member_guid);
  EXPECT_FALSE(w.contains("update_credentials"));

  // Option two: the app collected the answer itself.
  ScriptedAnswerer answerer({"correct"});
  auto answered = watcher_->answer_challenges(member_guid, answerer);
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->end, WatchEnd::kReady);
  EXPECT_EQ(answered->last.connection_status, "CONNECTED");
  ASSERT_EQ(answerer.asked.size(), 1U);
  EXPECT_EQ(
      transport_->calls("PUT", "/users/" + user_guid_ + "/members/" + member_guid + "/resume"), 1);
  EXPECT_EQ(notifier_.kinds(), (std::vector<std::string>{"mfa_required", "connection_restored"}));
  EXPECT_EQ(member(member_guid).watch_state, WatchState::kSettled);

  auto synced = syncer_->sync(member_guid);
  ASSERT_TRUE(synced) << synced.error().message;
  EXPECT_EQ(synced->accounts_fetched, 6U);
  EXPECT_GT(synced->transactions_fetched, 0U);
}

TEST_F(FlowMfaTest, AFollowUpQuestionIsAnsweredInTheSameCall) {
  auto flow = connect_flow(mxclient::android_platform("bankapp", "bankapp://oauth"));
  const std::string member_guid = challenged_member(flow);
  ASSERT_EQ(watcher_->watch(member_guid)->end, WatchEnd::kNeedsUser);

  // MX Bank: answering "challenge" asks a second question (the Atrium two-step flow).
  ScriptedAnswerer answerer({"challenge", "correct"});
  auto answered = watcher_->answer_challenges(member_guid, answerer);
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->end, WatchEnd::kReady);
  EXPECT_EQ(answerer.asked.size(), 2U);
}

TEST_F(FlowMfaTest, AWrongAnswerEndsRejectedAndNeedsTheWidget) {
  auto flow = connect_flow(mxclient::web_platform());
  const std::string member_guid = challenged_member(flow);
  ASSERT_EQ(watcher_->watch(member_guid)->end, WatchEnd::kNeedsUser);
  ScriptedAnswerer answerer({"wrong"});
  auto answered = watcher_->answer_challenges(member_guid, answerer);
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->end, WatchEnd::kNeedsUser);
  EXPECT_EQ(answered->last.connection_status, "REJECTED");
  EXPECT_EQ(answered->decision.action, Action::kRepairInWidget);
  EXPECT_EQ(notifier_.kinds(), (std::vector<std::string>{"mfa_required", "repair_required"}));
  // No open challenges any more: answering again is refused, the widget is the way.
  auto again = watcher_->answer_challenges(member_guid, answerer);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, mxclient::ErrorKind::kInvalidInput);
  EXPECT_TRUE(flow.widget_url_for(member_guid, answered->decision.link));
}

}  // namespace
}  // namespace mxemu::testing
