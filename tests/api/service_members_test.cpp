// Members, jobs, MFA, widgets and OAuth over the API, in process, on the virtual clock.
#include <gtest/gtest.h>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

class MemberApi : public ::testing::Test {
 protected:
  std::string member_path() const { return "/users/" + user_ + "/members/" + member_; }
  void create(const std::string& institution, const std::string& password) {
    user_ = c_.create_user("user");
    json m = c_.create_member(user_, institution, password);
    member_ = m["member"]["guid"];
  }
  json status() { return ApiClient::json(c_.get(member_path() + "/status"))["member"]; }
  Response body_less_post(const std::string& job) {
    Request r = c_.request(Method::kPost, member_path() + "/" + job);
    r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");  // the Node SDK's
    return c_.send(r);
  }
  ApiClient c_;
  std::string user_;
  std::string member_;
};

TEST_F(MemberApi, CreateAnswers202WithACreatedAggregatingMember) {
  user_ = c_.create_user("u");
  json creds = json::array();
  for (const auto& v : c_.emu().credentials("mxbank", "password")) {
    creds.push_back({{"guid", v.guid}, {"value", v.value}});
  }
  Response r = c_.post("/users/" + user_ + "/members",
                       {{"member", {{"institution_code", "mxbank"}, {"credentials", creds}}}});
  ASSERT_EQ(r.status, 202);
  json m = ApiClient::json(r)["member"];
  EXPECT_EQ(m["connection_status"], "CREATED");
  EXPECT_EQ(m["is_being_aggregated"], true);
  EXPECT_EQ(m["institution_code"], "mxbank");
}

TEST_F(MemberApi, StatusPollingSeesConnectedThenDone) {
  create("mxbank", "password");
  c_.emu().advance(1);
  json s = status();
  EXPECT_EQ(s["connection_status"], "CONNECTED");
  EXPECT_EQ(s["is_being_aggregated"], true);
  c_.emu().advance(5);
  s = status();
  EXPECT_EQ(s["connection_status"], "CONNECTED");
  EXPECT_EQ(s["is_being_aggregated"], false);
  EXPECT_EQ(s["has_processed_transactions"], true);
  json accounts = ApiClient::json(c_.get(member_path() + "/accounts"));
  EXPECT_EQ(accounts["accounts"].size(), 6U);
  json txns = ApiClient::json(c_.get("/users/" + user_ + "/transactions?records_per_page=1000"));
  EXPECT_GT(txns["pagination"]["total_entries"].get<int>(), 700);
}

TEST_F(MemberApi, ChallengesAre204UnlessChallenged) {
  create("mxbank", "password");
  c_.emu().advance(10);
  Response none = c_.get(member_path() + "/challenges");
  EXPECT_EQ(none.status, 204);
  EXPECT_TRUE(none.body.empty());
}

TEST_F(MemberApi, MfaThroughResume) {
  create("mxbank", "challenge");
  c_.emu().advance(2);
  json s = status();
  ASSERT_EQ(s["connection_status"], "CHALLENGED");
  ASSERT_EQ(s["challenges"].size(), 1U);
  json listed = ApiClient::json(c_.get(member_path() + "/challenges"));
  ASSERT_EQ(listed["challenges"].size(), 1U);
  const std::string guid = listed["challenges"][0]["guid"];
  Response resumed =
      c_.put(member_path() + "/resume",
             {{"member", {{"challenges", {{{"guid", guid}, {"value", "correct"}}}}}}});
  ASSERT_EQ(resumed.status, 202);
  EXPECT_EQ(ApiClient::json(resumed)["member"]["connection_status"], "RESUMED");
  c_.emu().advance(10);
  EXPECT_EQ(status()["connection_status"], "CONNECTED");
  EXPECT_EQ(status()["challenges"], json::array());
}

TEST_F(MemberApi, BodylessFormEncodedJobPostsAreAccepted) {
  create("mxbank", "password");
  c_.emu().advance(10);
  Response r = body_less_post("aggregate");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(ApiClient::json(r)["member"]["is_being_aggregated"], true);
}

TEST_F(MemberApi, ThrottledAggregateIs202WithoutANewJob) {
  create("summit_ridge_bank", "password");
  c_.emu().advance(10);
  const json before = ApiClient::json(c_.get(member_path()))["member"];
  Response r = body_less_post("aggregate");
  ASSERT_EQ(r.status, 202);
  const json after = ApiClient::json(r)["member"];
  EXPECT_EQ(after["is_being_aggregated"], false);
  EXPECT_EQ(after["aggregated_at"], before["aggregated_at"]);
}

TEST_F(MemberApi, DifferentJobRunningIs409AndVerifyAnswers200) {
  create("mxbank", "password");
  Response conflict = body_less_post("verify");
  EXPECT_EQ(conflict.status, 409);
  c_.emu().advance(10);
  EXPECT_EQ(body_less_post("verify").status, 200);
}

TEST_F(MemberApi, CheckBalanceAgainWithinTwoHoursIs429) {
  create("mxbank", "password");
  c_.emu().advance(10);
  EXPECT_EQ(body_less_post("check_balance").status, 202);
  c_.emu().advance(10);
  Response again = body_less_post("check_balance");
  EXPECT_EQ(again.status, 429);
  EXPECT_TRUE(ApiClient::json(again)["error"]["message"].is_string());
}

TEST_F(MemberApi, DuplicateMemberIs409) {
  create("mxbank", "password");
  json dup = c_.create_member(user_, "mxbank", "other");
  EXPECT_TRUE(dup.contains("error"));
}

TEST_F(MemberApi, PremiumJobsProduceTheirData) {
  create("mxbank", "password");
  c_.emu().advance(10);
  for (const char* job : {"identify", "verify", "fetch_statements", "extend_history"}) {
    Response r = body_less_post(job);
    EXPECT_TRUE(r.status == 202 || r.status == 200) << job << " " << r.status << " " << r.body;
    c_.emu().advance(10);
  }
  EXPECT_FALSE(
      ApiClient::json(c_.get(member_path() + "/account_owners"))["account_owners"].empty());
  EXPECT_FALSE(
      ApiClient::json(c_.get(member_path() + "/account_numbers"))["account_numbers"].empty());
  json statements = ApiClient::json(c_.get(member_path() + "/statements"));
  ASSERT_FALSE(statements["statements"].empty());
  const std::string statement = statements["statements"][0]["guid"];
  Response pdf = c_.get(member_path() + "/statements/" + statement + ".pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_FALSE(
      ApiClient::json(c_.get(member_path() + "/investment_holdings"))["investment_holdings"]
          .empty());
}

TEST_F(MemberApi, WidgetUrlIsSingleUse) {
  user_ = c_.create_user("w");
  EXPECT_EQ(c_.post("/users/" + user_ + "/widget_urls", {{"widget_url", json::object()}}).status,
            400);
  Response r = c_.post("/users/" + user_ + "/widget_urls",
                       {{"widget_url",
                         {{"widget_type", "connect_widget"},
                          {"is_mobile_webview", true},
                          {"client_redirect_url", "https://app.example.com/done"}}}});
  ASSERT_EQ(r.status, 200);
  json w = ApiClient::json(r)["widget_url"];
  EXPECT_EQ(w["type"], "connect_widget");
  EXPECT_EQ(w["user_id"], "w");
  const std::string url = w["url"];
  const std::string path = url.substr(url.find("/connect/"));
  Request page = c_.request(Method::kGet, path);
  page.headers.clear();
  EXPECT_EQ(c_.send(page).status, 200);
  EXPECT_EQ(c_.send(page).status, 410);
}

TEST_F(MemberApi, OAuthWindowRedirectsBackToTheApp) {
  user_ = c_.create_user("o");
  Response r = c_.post("/users/" + user_ + "/members",
                       {{"member", {{"institution_code", "mx_bank_oauth"}, {"is_oauth", true}}},
                        {"referral_source", "APP"},
                        {"ui_message_webview_url_scheme", "myapp"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json m = ApiClient::json(r)["member"];
  EXPECT_EQ(m["connection_status"], "PENDING");
  const std::string uri = m["oauth_window_uri"];
  ASSERT_EQ(uri.rfind("http://127.0.0.1:9999/oauth/authorize/", 0), 0U) << uri;
  member_ = m["guid"];
  // The institution's page asks first; the person's answer completes OAuth.
  Request page = c_.request(Method::kGet, uri.substr(std::string("http://127.0.0.1:9999").size()));
  Response ask = c_.send(page);
  ASSERT_EQ(ask.status, 200);
  EXPECT_NE(ask.body.find("outcome=approve"), std::string::npos);
  EXPECT_NE(ask.body.find("outcome=deny"), std::string::npos);
  EXPECT_EQ(status()["connection_status"], "PENDING") << "opening the page authorises nothing";
  page.query.emplace("outcome", "approve");
  Response redirect = c_.send(page);
  ASSERT_EQ(redirect.status, 302);
  ASSERT_EQ(redirect.headers.size(), 1U);
  EXPECT_EQ(redirect.headers[0].second,
            "myapp://oauth_complete?status=success&member_guid=" + m["guid"].get<std::string>());
  c_.emu().advance(10);
  EXPECT_EQ(status()["connection_status"], "CONNECTED");
}

TEST_F(MemberApi, ControlApiForcesStatusAndAdvancesTime) {
  create("mxbank", "password");
  Response forced =
      c_.post("/_emulator/members/" + member_ + "/status", {{"connection_status", "DEGRADED"}});
  ASSERT_EQ(forced.status, 200);
  EXPECT_EQ(status()["connection_status"], "DEGRADED");
  EXPECT_EQ(
      c_.post("/_emulator/members/" + member_ + "/status", {{"connection_status", "NOPE"}}).status,
      400);
  Response advanced = c_.post("/_emulator/clock/advance", {{"seconds", 3600}});
  ASSERT_EQ(advanced.status, 200);
  EXPECT_EQ(ApiClient::json(advanced)["clock"]["offset_seconds"], 3600);
  json events = ApiClient::json(c_.get("/_emulator/events"));
  EXPECT_FALSE(events["events"].empty());
}

}  // namespace
}  // namespace mxemu::api
