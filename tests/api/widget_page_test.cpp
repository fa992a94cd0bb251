// The Connect widget page and its page-scoped API, in process on the virtual clock: the page's
// actions go through the MX API's rules and the member they make is the one the API shows.
// The page itself is tested in Chromium by tests/browser/widget.test.js.
#include <gtest/gtest.h>

#include <string>

#include "api/web_assets.h"
#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using api::Method;
using nlohmann::json;

constexpr const char* kLogin = "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1";
constexpr const char* kPassword = "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d";

json creds(const std::string& password) {
  return json::array(
      {{{"guid", kLogin}, {"value", "mxuser"}}, {{"guid", kPassword}, {"value", password}}});
}

class WidgetPage : public ::testing::Test {
 protected:
  // A widget URL for the user; returns its token (the page key).
  std::string issue(const json& options = json::object()) {
    json w = options;
    w["widget_type"] = "connect_widget";
    api::Response r = c_.post("/users/" + user_ + "/widget_urls", {{"widget_url", w}});
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string url = ApiClient::json(r)["widget_url"]["url"];
    return url.substr(url.find("/connect/") + 9);
  }
  api::Response page(const std::string& token) { return c_.get("/connect/" + token); }
  std::string api(const std::string& token) { return "/connect/" + token + "/api"; }
  json mx_member(const std::string& guid) {
    return ApiClient::json(c_.get("/users/" + user_ + "/members/" + guid))["member"];
  }

  ApiClient c_;
  std::string user_ = c_.create_user("page-user");
};

TEST_F(WidgetPage, ServesTheEmbeddedPageWithItsSession) {
  ASSERT_FALSE(api::web_asset("connect.js").empty());
  ASSERT_FALSE(api::web_asset("connect.css").empty());
  EXPECT_TRUE(api::web_asset("nope.js").empty());
  const std::string token = issue({{"is_mobile_webview", true},
                                   {"ui_message_webview_url_scheme", "myapp"},
                                   {"current_institution_code", "mxbank"}});
  api::Response r = page(token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("window.MXEMU_BOOT = "), std::string::npos);
  EXPECT_NE(r.body.find("mx/connect/memberConnected"), std::string::npos)
      << "the script is inlined";
  EXPECT_EQ(r.body.find("/*MXEMU_"), std::string::npos) << "every placeholder filled";
  json session = ApiClient::json(c_.get(api(token) + "/session"));
  EXPECT_EQ(session["user_guid"], user_);
  EXPECT_EQ(session["initial_step"], "enterCreds");
  EXPECT_EQ(session["is_mobile_webview"], true);
  EXPECT_EQ(session["ui_message_webview_url_scheme"], "myapp");
  EXPECT_EQ(session["current_institution"]["code"], "mxbank");
  EXPECT_EQ(session["session_guid"].get<std::string>().rfind("ANS-", 0), 0U);
}

TEST_F(WidgetPage, TheApiNeedsAPageThatWasOpened) {
  const std::string token = issue();
  EXPECT_EQ(c_.get(api(token) + "/session").status, 404);
  EXPECT_EQ(c_.get(api("unknown") + "/institutions").status, 404);
  ASSERT_EQ(page(token).status, 200);
  EXPECT_EQ(page(token).status, 410) << "single use";
  EXPECT_EQ(c_.get(api(token) + "/session").status, 200) << "the session outlives its URL";
  const std::string late = issue();
  c_.emu().advance(601);
  EXPECT_EQ(page(late).status, 410);
  EXPECT_EQ(c_.get(api(late) + "/session").status, 404);
}

TEST_F(WidgetPage, AMemberMadeInThePageIsTheMemberTheApiShows) {
  const std::string token = issue();
  ASSERT_EQ(page(token).status, 200);
  json list = ApiClient::json(c_.get(api(token) + "/institutions"))["institutions"];
  ASSERT_FALSE(list.empty());
  EXPECT_TRUE(list[0].contains("guid"));
  EXPECT_TRUE(list[0].contains("supports_account_verification"));
  api::Response created =
      c_.post(api(token) + "/members",
              {{"member", {{"institution_code", "mxbank"}, {"credentials", creds("password")}}}});
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string guid = ApiClient::json(created)["member"]["guid"];
  c_.emu().advance(10);
  json seen = ApiClient::json(c_.get(api(token) + "/members/" + guid))["member"];
  EXPECT_EQ(seen["connection_status"], "CONNECTED");
  EXPECT_EQ(seen["challenges"], json::array());
  EXPECT_EQ(mx_member(guid)["connection_status"], "CONNECTED");
  // The same login again: MX's 409, which the page shows as the existing member.
  api::Response again =
      c_.post(api(token) + "/members",
              {{"member", {{"institution_code", "mxbank"}, {"credentials", creds("password")}}}});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find(guid), std::string::npos);
}

TEST_F(WidgetPage, AWrongPasswordDeniesAndThreeDenialsPrevent) {
  const std::string token = issue();
  ASSERT_EQ(page(token).status, 200);
  api::Response created =
      c_.post(api(token) + "/members",
              {{"member", {{"institution_code", "mxbank"}, {"credentials", creds("INVALID")}}}});
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string guid = ApiClient::json(created)["member"]["guid"];
  c_.emu().advance(10);
  EXPECT_EQ(mx_member(guid)["connection_status"], "DENIED");
  for (int attempt = 2; attempt <= 3; ++attempt) {
    api::Response updated =
        c_.put(api(token) + "/members/" + guid, {{"member", {{"credentials", creds("INVALID")}}}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    c_.emu().advance(10);
  }
  EXPECT_EQ(mx_member(guid)["connection_status"], "PREVENTED");
}

TEST_F(WidgetPage, AnotherUsersMemberIsNotFound) {
  const std::string other = c_.create_user("someone-else");
  api::Response theirs =
      c_.post("/users/" + other + "/members",
              {{"member", {{"institution_code", "mxbank"}, {"credentials", creds("password")}}}});
  ASSERT_EQ(theirs.status, 202);
  const std::string guid = ApiClient::json(theirs)["member"]["guid"];
  const std::string token = issue();
  ASSERT_EQ(page(token).status, 200);
  EXPECT_EQ(c_.get(api(token) + "/members/" + guid).status, 404);
  EXPECT_EQ(
      c_.put(api(token) + "/members/" + guid, {{"member", {{"credentials", creds("x")}}}}).status,
      404);
}

TEST_F(WidgetPage, CurrentMemberOpensTheViewItsStatusNeeds) {
  api::Response r =
      c_.post("/users/" + user_ + "/members",
              {{"member", {{"institution_code", "mxbank"}, {"credentials", creds("challenge")}}}});
  const std::string guid = ApiClient::json(r)["member"]["guid"];
  c_.emu().advance(10);
  auto step = [&](const json& options) {
    const std::string token = issue(options);
    EXPECT_EQ(page(token).status, 200);
    return ApiClient::json(c_.get(api(token) + "/session"))["initial_step"].get<std::string>();
  };
  EXPECT_EQ(step({{"current_member_guid", guid}}), "mfa");
  c_.post("/_emulator/members/" + guid + "/status", {{"connection_status", "DENIED"}});
  EXPECT_EQ(step({{"current_member_guid", guid}}), "enterCreds");
  c_.post("/_emulator/members/" + guid + "/status", {{"connection_status", "CONNECTED"}});
  EXPECT_EQ(step({{"current_member_guid", guid}}), "connected");
  EXPECT_EQ(step({{"current_member_guid", guid}, {"update_credentials", true}}), "enterCreds");
  EXPECT_EQ(step(json::object()), "search");
}

TEST_F(WidgetPage, TheDemoPageEmbedsAFreshWidgetUrl) {
  api::Request r = c_.request(Method::kGet, "/_emulator/connect-demo?user=" + user_);
  api::Response demo = c_.send(r);
  ASSERT_EQ(demo.status, 200);
  EXPECT_NE(demo.body.find("/connect/"), std::string::npos);
  EXPECT_EQ(c_.get("/_emulator/connect-demo").status, 400);
  EXPECT_EQ(c_.get("/_emulator/connect-demo?user=USR-nobody").status, 404);
}

}  // namespace
}  // namespace mxemu::testing
