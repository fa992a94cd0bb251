// Parsing what the Connect widget and the OAuth redirect hand back: every accepted shape, and
// malformed input as an error value (never a throw).
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "mxclient/callback.h"

namespace mxclient {
namespace {

constexpr const char* kMember = "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b";
constexpr const char* kUser = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

TEST(CallbackParseTest, PostMessageV4MemberConnected) {
  auto cb = parse_post_message(
      R"({"type":"mx/connect/memberConnected","mx":true,"metadata":{"user_guid":")" +
      std::string(kUser) + R"(","session_guid":"ANS-123","member_guid":")" + kMember + R"("}})");
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->kind, CallbackKind::kMemberConnected);
  EXPECT_EQ(cb->event, "mx/connect/memberConnected");
  EXPECT_EQ(cb->member_guid, kMember);
  EXPECT_EQ(cb->user_guid, kUser);
  EXPECT_EQ(cb->session_guid, "ANS-123");
}

TEST(CallbackParseTest, PostMessageWithoutPrefixAndWithStringMetadata) {
  auto cb = parse_post_message(
      R"({"mx":true,"type":"connect/memberConnected","metadata":"{\"member_guid\":\"MBR-1\"}"})");
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->event, "mx/connect/memberConnected");
  EXPECT_EQ(cb->kind, CallbackKind::kMemberConnected);
  EXPECT_EQ(cb->member_guid, "MBR-1");
  EXPECT_FALSE(cb->user_guid.has_value());
}

TEST(CallbackParseTest, MemberStatusUpdateCarriesMxInteger) {
  auto cb = parse_post_message(
      R"({"mx":true,"type":"mx/connect/memberStatusUpdate","metadata":{"member_guid":"MBR-1","connection_status":6}})");
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->kind, CallbackKind::kMemberStatusUpdate);
  EXPECT_EQ(cb->connection_status_id, 6);
  auto text = parse_post_message(
      R"({"mx":true,"type":"mx/connect/memberStatusUpdate","metadata":{"member_guid":"MBR-1","connection_status":"3"}})");
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->connection_status_id, 3);
}

TEST(CallbackParseTest, EventsWithoutMemberParseButNameNone) {
  auto load = parse_post_message(R"({"mx":true,"type":"mx/load","metadata":{}})");
  ASSERT_TRUE(load) << load.error().message;
  EXPECT_EQ(load->kind, CallbackKind::kOther);
  EXPECT_TRUE(load->member_guid.empty());
  auto step = parse_post_message(
      R"({"mx":true,"type":"mx/connect/stepChange","metadata":{"previous":"search","current":"enterCreds"}})");
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(step->kind, CallbackKind::kOther);
}

TEST(CallbackParseTest, SdkOAuthCompleteMessages) {
  auto ok = parse_post_message(
      R"({"mx":true,"type":"oauthComplete/success","metadata":{"member_guid":"MBR-9"}})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->kind, CallbackKind::kOAuthSuccess);
  EXPECT_EQ(ok->member_guid, "MBR-9");
  auto client = parse_post_message(
      R"({"mx":true,"type":"mx/client/oauthComplete","metadata":{"user_guid":"USR-1","url":"myapp://oauth_complete?status=success&member_guid=MBR-9"}})");
  ASSERT_TRUE(client) << client.error().message;
  EXPECT_EQ(client->kind, CallbackKind::kOAuthSuccess);
  EXPECT_EQ(client->member_guid, "MBR-9");
  EXPECT_EQ(client->user_guid, "USR-1");
  auto requested = parse_post_message(
      R"({"mx":true,"type":"mx/connect/oauthRequested","metadata":{"member_guid":"MBR-9","url":"https://bank.example/oauth"}})");
  ASSERT_TRUE(requested) << requested.error().message;
  EXPECT_EQ(requested->kind, CallbackKind::kOAuthRequested);
  EXPECT_EQ(requested->url, "https://bank.example/oauth");
}

TEST(CallbackParseTest, WebviewUrlWithEncodedMetadata) {
  auto cb = parse_webview_url(
      "myapp://connect/memberConnected?metadata=%7B%22user_guid%22%3A%22USR-1%22%2C%22member_"
      "guid%22%3A%22MBR-42%22%2C%22session_guid%22%3A%22ANS-1%22%7D");
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->event, "mx/connect/memberConnected");
  EXPECT_EQ(cb->kind, CallbackKind::kMemberConnected);
  EXPECT_EQ(cb->member_guid, "MBR-42");
  EXPECT_EQ(cb->user_guid, "USR-1");
}

TEST(CallbackParseTest, WebviewUrlWithRawJsonAndNestedEvent) {
  auto cb = parse_webview_url(R"(mx://connect/memberConnected?metadata={"member_guid":"MBR-42"})");
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->member_guid, "MBR-42");
  auto nested = parse_webview_url("mx://connect/connected/primaryAction");
  ASSERT_TRUE(nested) << nested.error().message;
  EXPECT_EQ(nested->event, "mx/connect/connected/primaryAction");
  auto load = parse_webview_url("mx://load");
  ASSERT_TRUE(load) << load.error().message;
  EXPECT_EQ(load->event, "mx/load");
  EXPECT_TRUE(load->member_guid.empty());
}

TEST(CallbackParseTest, OAuthRedirectForms) {
  auto scheme = parse_oauth_redirect("myapp://oauth_complete?status=success&member_guid=MBR-5");
  ASSERT_TRUE(scheme) << scheme.error().message;
  EXPECT_EQ(scheme->kind, CallbackKind::kOAuthSuccess);
  EXPECT_EQ(scheme->member_guid, "MBR-5");
  auto redirect = parse_oauth_redirect(
      "https://app.example.com/mx/oauth?status=success&amp;member_guid=MBR-6#done");
  ASSERT_TRUE(redirect) << redirect.error().message;
  EXPECT_EQ(redirect->member_guid, "MBR-6");
  auto error = parse_oauth_redirect(
      "myapp://oauth_complete?status=error&member_guid=MBR-7&error_reason=CANCELLED");
  ASSERT_TRUE(error) << error.error().message;
  EXPECT_EQ(error->kind, CallbackKind::kOAuthError);
  EXPECT_EQ(error->error_reason, "CANCELLED");
}

TEST(CallbackParseTest, AutoDetectsTheShape) {
  auto json = parse_widget_callback(
      "  {\"mx\":true,\"type\":\"mx/connect/memberConnected\",\"metadata\":{\"member_guid\":"
      "\"MBR-1\"}}\n");
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(json->kind, CallbackKind::kMemberConnected);
  auto webview = parse_widget_callback(
      "app://connect/memberConnected?metadata=%7B%22member_guid%22%3A%22MBR-2%22%7D");
  ASSERT_TRUE(webview) << webview.error().message;
  EXPECT_EQ(webview->member_guid, "MBR-2");
  auto oauth = parse_widget_callback("app://oauth_complete?status=success&member_guid=MBR-3");
  ASSERT_TRUE(oauth) << oauth.error().message;
  EXPECT_EQ(oauth->kind, CallbackKind::kOAuthSuccess);
  auto redirect = parse_widget_callback("https://x.example/cb?member_guid=MBR-4&status=success");
  ASSERT_TRUE(redirect) << redirect.error().message;
  EXPECT_EQ(redirect->kind, CallbackKind::kOAuthSuccess);
  EXPECT_EQ(redirect->member_guid, "MBR-4");
}

struct Malformed {
  const char* name;
  std::string text;
  const char* message_part;  // the error message must say this
};

void PrintTo(const Malformed& m, std::ostream* os) { *os << m.name; }

class CallbackMalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(CallbackMalformedTest, IsAnErrorValueNamingTheProblem) {
  const Malformed& m = GetParam();
  Result<WidgetCallback> cb = parse_widget_callback(m.text);
  ASSERT_FALSE(cb) << m.name << " parsed as " << cb->event;
  EXPECT_EQ(cb.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(cb.error().message.find(m.message_part), std::string::npos)
      << m.name << ": " << cb.error().message;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Shapes, CallbackMalformedTest, ::testing::Values(
    Malformed{"empty", "   ", "empty"},
    Malformed{"truncated_json", "{\"mx\":true,\"type\":", "not valid JSON"},
    Malformed{"json_array", "[1,2]", "not a URL"},
    Malformed{"mx_false", R"({"mx":false,"type":"mx/connect/memberConnected"})", "not an MX widget message"},
    Malformed{"no_type", R"({"mx":true,"metadata":{}})", "no \"type\""},
    Malformed{"type_number", R"({"mx":true,"type":7})", "no \"type\""},
    Malformed{"metadata_array", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":[1]})", "metadata must be an object"},
    Malformed{"metadata_bad_string", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":"{oops"})", "not valid JSON"},
    Malformed{"member_not_string", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":42}})", "must be a string"},
    Malformed{"member_not_guid", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":"../../users"}})", "not an MX guid"},
    Malformed{"user_not_guid", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"member_guid":"MBR-1","user_guid":"MBR-2"}})", "not an MX guid"},
    Malformed{"connected_without_member", R"({"mx":true,"type":"mx/connect/memberConnected","metadata":{"user_guid":"USR-1"}})", "without metadata.member_guid"},
    Malformed{"status_update_without_status", R"({"mx":true,"type":"mx/connect/memberStatusUpdate","metadata":{"member_guid":"MBR-1"}})", "connection_status"},
    Malformed{"status_update_bad_status", R"({"mx":true,"type":"mx/connect/memberStatusUpdate","metadata":{"member_guid":"MBR-1","connection_status":"CONNECTED"}})", "integer status id"},
    Malformed{"client_oauth_without_url", R"({"mx":true,"type":"mx/client/oauthComplete","metadata":{}})", "metadata.url"},
    Malformed{"no_scheme", "connect/memberConnected?metadata={}", "not a URL"},
    Malformed{"bad_scheme", "1app://connect/memberConnected", "scheme"},
    Malformed{"webview_no_event", "myapp://?metadata=%7B%7D", "no event"},
    Malformed{"webview_bad_metadata", "myapp://connect/memberConnected?metadata=%7Bnope", "not valid JSON"},
    Malformed{"webview_metadata_not_object", "myapp://connect/memberConnected?metadata=%5B%5D", "must be a JSON object"},
    Malformed{"webview_connected_without_member", "myapp://connect/memberConnected?metadata=%7B%7D", "without metadata.member_guid"},
    Malformed{"oauth_odd_status", "myapp://oauth_complete?status=maybe&member_guid=MBR-1", "neither success nor error"},
    Malformed{"oauth_success_without_member", "myapp://oauth_complete?status=success", "without a member_guid"},
    Malformed{"oauth_bad_member", "myapp://oauth_complete?status=success&member_guid=MBR-1%2F..%2Fx", "not an MX guid"},
    Malformed{"control_characters", std::string("myapp://connect/memberConnected\x01?metadata=%7B%7D"), "control characters"}),
    [](const ::testing::TestParamInfo<Malformed>& param) { return std::string(param.param.name); });
// clang-format on

TEST(CallbackParseTest, OAuthRedirectWithoutStatusIsAnError) {
  auto cb = parse_oauth_redirect("myapp://oauth_complete?member_guid=MBR-1");
  ASSERT_FALSE(cb);
  EXPECT_NE(cb.error().message.find("status"), std::string::npos);
}

}  // namespace
}  // namespace mxclient
