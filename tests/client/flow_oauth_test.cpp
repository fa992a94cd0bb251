// OAuth against the real emulator: the app-side redirect completes the connection, a PENDING
// member asks the user to finish OAuth (with a fresh oauth_window_uri), and the watch follows
// the member to CONNECTED once the institution authorises it.
#include <gtest/gtest.h>

#include <string>

#include "flow_emulator_fixture.h"

namespace mxemu::testing {
namespace {

using mxclient::Action;
using mxclient::WatchEnd;

TEST_F(FlowEmulatorTest, OAuthRedirectCompletesAPendingMemberThatThenConnects) {
  auto user = enroller_->enrol("dana");
  ASSERT_TRUE(user) << user.error().message;
  const mxclient::PlatformConfig ios =
      mxclient::ios_platform("bankapp", "https://app.example.com/mx/oauth");
  auto flow = connect_flow(ios);
  mxclient::OAuthWindowOptions referral;
  referral.referral_source = "APP";
  referral.client_redirect_url = ios.client_redirect_url;
  auto created =
      api_->create_oauth_member(user->user_guid, "mx_bank_oauth", std::nullopt, referral);
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_EQ(created->connection_status, "PENDING");

  // The user comes back through the redirect before finishing at the bank (the app got the
  // redirect early, e.g. after cancelling and retrying): the member is stored and watched.
  auto stored = flow.complete(
      "dana", "https://app.example.com/mx/oauth?status=success&member_guid=" + created->guid);
  ASSERT_TRUE(stored) << stored.error().message;
  auto pending = watcher_->watch(created->guid);
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_EQ(pending->end, WatchEnd::kNeedsUser);
  EXPECT_EQ(pending->decision.action, Action::kCompleteOAuth);
  ASSERT_EQ(notifier_.notices.size(), 1U);
  EXPECT_EQ(notifier_.notices[0].kind, mxclient::kNoticeOAuthIncomplete);

  // The app offers a fresh OAuth window with its own redirect settings.
  auto window = flow.widget_url_for(created->guid, pending->decision.link);
  ASSERT_TRUE(window) << window.error().message;
  EXPECT_FALSE(window->empty());
  const auto requests =
      sent("GET", "/users/" + user->user_guid + "/members/" + created->guid + "/oauth_window_uri");
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_NE(requests[0].target.find("referral_source=APP"), std::string::npos);
  EXPECT_NE(requests[0].target.find("ui_message_webview_url_scheme=bankapp"), std::string::npos);

  // The institution authorises; the member aggregates and connects.
  control("/_emulator/members/" + created->guid + "/oauth", R"({"authorized":true})");
  auto connected = watcher_->watch(created->guid);
  ASSERT_TRUE(connected) << connected.error().message;
  EXPECT_EQ(connected->end, WatchEnd::kReady);
  EXPECT_EQ(notifier_.kinds(),
            (std::vector<std::string>{"oauth_incomplete", "connection_restored"}));
  auto synced = syncer_->sync(created->guid);
  ASSERT_TRUE(synced) << synced.error().message;
  EXPECT_EQ(synced->accounts_fetched, 3U);
}

}  // namespace
}  // namespace mxemu::testing
