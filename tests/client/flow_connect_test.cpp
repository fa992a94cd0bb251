// ConnectFlow and Enroller against a scripted MX: the per-platform widget request, the repair
// flavours, and which callbacks complete a connection.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "flow_test_support.h"
#include "mxclient/connect.h"
#include "mxclient/enrol.h"

namespace mxclient {
namespace {

using nlohmann::json;

constexpr const char* kWidgetReply =
    R"({"widget_url":{"type":"connect_widget","url":"https://widgets.example/connect/abc","user_id":"alice"}})";
constexpr const char* kMemberReply =
    R"({"member":{"guid":"MBR-1","user_guid":"USR-1","institution_code":"mxbank","connection_status":"CREATED","is_being_aggregated":true}})";

TEST(PlatformConfigTest, FactoriesCarryEachPlatformsFields) {
  const PlatformConfig web = web_platform();
  EXPECT_FALSE(web.is_mobile_webview);
  EXPECT_EQ(web.oauth_referral_source, "BROWSER");
  EXPECT_FALSE(web.client_redirect_url.has_value());
  EXPECT_TRUE(validate(web));

  const PlatformConfig ios = ios_platform("myapp", "https://app.example.com/mx/oauth");
  EXPECT_EQ(ios.platform, Platform::kIos);
  EXPECT_TRUE(ios.is_mobile_webview);
  EXPECT_EQ(ios.oauth_referral_source, "APP");
  EXPECT_EQ(ios.ui_message_webview_url_scheme, "myapp");
  EXPECT_TRUE(validate(ios));
  const WidgetUrlRequest r = widget_request_for(ios);
  EXPECT_EQ(r.widget_type, "connect_widget");
  EXPECT_EQ(r.is_mobile_webview, true);
  EXPECT_EQ(r.client_redirect_url, "https://app.example.com/mx/oauth");
  EXPECT_EQ(r.ui_message_webview_url_scheme, "myapp");
  EXPECT_EQ(r.ui_message_version, 4);
  EXPECT_EQ(r.oauth_referral_source, "APP");
  EXPECT_FALSE(r.current_member_guid.has_value());
  EXPECT_EQ(to_string(android_platform("app", "app://oauth").platform), "android");
}

TEST(PlatformConfigTest, RejectsConfigurationsThatCannotWork) {
  EXPECT_FALSE(validate(ios_platform("", "x://y")));
  EXPECT_FALSE(validate(android_platform("1bad", "x://y")));
  PlatformConfig c = web_platform();
  c.oauth_referral_source = "POPUP";
  EXPECT_FALSE(validate(c));
  c = web_platform();
  c.ui_message_version = 1;
  EXPECT_FALSE(validate(c));
  c = web_platform();
  c.is_mobile_webview = true;  // a webview needs the app's scheme
  EXPECT_EQ(validate(c).error().kind, ErrorKind::kInvalidInput);
}

class ConnectFlowTest : public ::testing::Test {
 protected:
  ConnectFlowTest() {
    MxApiConfig config;
    config.retry.max_attempts = 1;
    api_ = std::make_unique<MxApi>(transport_, config, sleeper_);
    auto opened = open_sqlite_store(":memory:");
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    transport_->on("POST /users", 200, R"({"user":{"guid":"USR-1","id":"alice"}})");
    transport_->on("POST /users/USR-1/widget_urls", 200, kWidgetReply);
    transport_->on("GET /users/USR-1/members/MBR-1", 200, kMemberReply);
  }

  // The widget_url object of the n-th widget request.
  json widget_body(std::size_t n) {
    std::size_t seen = 0;
    for (const auto& r : transport_->requests) {
      if (r.target == "/users/USR-1/widget_urls" && seen++ == n) {
        return json::parse(r.body).at("widget_url");
      }
    }
    ADD_FAILURE() << "no widget request #" << n;
    return json::object();
  }

  flowtest::ManualTestClock clock_;
  flowtest::ClockSleeper sleeper_{clock_};
  std::shared_ptr<flowtest::ScriptedTransport> transport_ =
      std::make_shared<flowtest::ScriptedTransport>();
  std::unique_ptr<MxApi> api_;
  std::unique_ptr<Store> store_;
};

TEST_F(ConnectFlowTest, EnrolsOnceThenUsesTheStoredGuid) {
  Enroller enroller(*api_, *store_, clock_);
  auto first = enroller.enrol("alice");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->user_guid, "USR-1");
  auto second = enroller.enrol("alice");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->user_guid, "USR-1");
  EXPECT_EQ(transport_->calls("POST /users"), 1);
  EXPECT_EQ(enroller.enrol("").error().kind, ErrorKind::kInvalidInput);
}

TEST_F(ConnectFlowTest, ConnectNeedsAnEnrolledUser) {
  ConnectFlow flow(*api_, *store_, clock_, web_platform());
  auto url = flow.connect("bob");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(transport_->requests.empty());
}

TEST_F(ConnectFlowTest, RepairFlavoursSetCurrentMemberGuid) {
  ASSERT_TRUE(Enroller(*api_, *store_, clock_).enrol("alice"));
  ConnectFlow flow(*api_, *store_, clock_, android_platform("bankapp", "bankapp://oauth"));
  ASSERT_TRUE(flow.complete(
      "alice",
      R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":"MBR-1"}})"));

  auto fresh = flow.connect("alice", std::string("mxbank"));
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(*fresh, "https://widgets.example/connect/abc");
  auto reconnect = flow.reconnect("MBR-1");
  ASSERT_TRUE(reconnect) << reconnect.error().message;
  auto mfa = flow.resume_mfa("MBR-1");
  ASSERT_TRUE(mfa) << mfa.error().message;
  auto via_link = flow.widget_url_for("MBR-1", RepairLink::kWidgetWithCredentials);
  ASSERT_TRUE(via_link) << via_link.error().message;
  EXPECT_EQ(flow.widget_url_for("MBR-1", RepairLink::kNone).error().kind, ErrorKind::kInvalidInput);

  const json connect = widget_body(0);
  EXPECT_EQ(connect.at("current_institution_code"), "mxbank");
  EXPECT_FALSE(connect.contains("current_member_guid"));
  EXPECT_EQ(connect.at("is_mobile_webview"), true);
  EXPECT_EQ(connect.at("ui_message_webview_url_scheme"), "bankapp");
  EXPECT_EQ(connect.at("client_redirect_url"), "bankapp://oauth");
  EXPECT_EQ(connect.at("ui_message_version"), 4);
  EXPECT_EQ(connect.at("oauth_referral_source"), "APP");
  const json repair = widget_body(1);
  EXPECT_EQ(repair.at("current_member_guid"), "MBR-1");
  EXPECT_EQ(repair.at("update_credentials"), true);
  EXPECT_FALSE(repair.contains("mode"));  // MX has no UPDATE/RECONNECT mode
  const json resume = widget_body(2);
  EXPECT_EQ(resume.at("current_member_guid"), "MBR-1");
  EXPECT_FALSE(resume.contains("update_credentials"));
  EXPECT_EQ(widget_body(3).at("update_credentials"), true);
}

TEST_F(ConnectFlowTest, CompleteStoresTheMemberAsWatched) {
  ASSERT_TRUE(Enroller(*api_, *store_, clock_).enrol("alice"));
  ConnectFlow flow(*api_, *store_, clock_, web_platform());
  auto member = flow.complete(
      "alice",
      R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"user_guid":"USR-1","member_guid":"MBR-1"}})");
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->member_guid, "MBR-1");
  EXPECT_EQ(member->app_user_id, "alice");
  EXPECT_EQ(member->institution_code, "mxbank");
  EXPECT_EQ(member->connection_status, "CREATED");
  EXPECT_EQ(member->watch_state, WatchState::kWatching);
  auto history = store_->list_status_history("MBR-1");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ((*history)[0].source, StatusSource::kCallback);
}

TEST_F(ConnectFlowTest, CompleteRefusesCallbacksThatConnectNothing) {
  ASSERT_TRUE(Enroller(*api_, *store_, clock_).enrol("alice"));
  ConnectFlow flow(*api_, *store_, clock_, web_platform());
  auto other_user = flow.complete(
      "alice",
      R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"user_guid":"USR-2","member_guid":"MBR-1"}})");
  ASSERT_FALSE(other_user);
  EXPECT_NE(other_user.error().message.find("USR-2"), std::string::npos);
  auto oauth_error = flow.complete(
      "alice", "app://oauth_complete?status=error&member_guid=MBR-1&error_reason=DENIED");
  ASSERT_FALSE(oauth_error);
  EXPECT_NE(oauth_error.error().message.find("DENIED"), std::string::npos);
  auto load = flow.complete("alice", "mx://load");
  ASSERT_FALSE(load);
  EXPECT_NE(load.error().message.find("names no member"), std::string::npos);
  auto garbage = flow.complete("alice", "}{");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().kind, ErrorKind::kInvalidInput);
  auto stranger = flow.complete("bob", "app://oauth_complete?status=success&member_guid=MBR-1");
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(transport_->calls("GET /users/USR-1/members/MBR-1"), 0);  // MX never asked
  auto stored = store_->find_member("MBR-1");
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
}

TEST_F(ConnectFlowTest, MemberDeletedInTheWidgetIsForgottenOnlyForItsOwner) {
  ASSERT_TRUE(Enroller(*api_, *store_, clock_).enrol("alice"));
  ConnectFlow flow(*api_, *store_, clock_, web_platform());
  ASSERT_TRUE(flow.complete(
      "alice",
      R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":"MBR-1"}})"));
  auto deleted =
      parse_widget_callback("mx://connect/memberDeleted?metadata={\"member_guid\":\"MBR-1\"}");
  ASSERT_TRUE(deleted) << deleted.error().message;

  auto stranger = flow.forget_deleted("bob", *deleted);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().kind, ErrorKind::kNotFound);
  auto connected = parse_widget_callback(
      R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":"MBR-1"}})");
  ASSERT_TRUE(connected);
  EXPECT_FALSE(flow.forget_deleted("alice", *connected));  // not a deletion

  auto forgotten = flow.forget_deleted("alice", *deleted);
  ASSERT_TRUE(forgotten) << forgotten.error().message;
  EXPECT_TRUE(*forgotten);
  EXPECT_FALSE(store_->find_member("MBR-1")->has_value());
  auto again = flow.forget_deleted("alice", *deleted);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

}  // namespace
}  // namespace mxclient
