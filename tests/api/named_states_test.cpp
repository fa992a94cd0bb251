// POST /_emulator/states: each named state reaches its situation through ordinary domain
// operations and says what it made; GET lists the names with their params.
#include <gtest/gtest.h>

#include <string>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

json set_state(ApiClient& c, const json& body, int expected = 201) {
  const auto r = c.post("/_emulator/states", body);
  EXPECT_EQ(r.status, expected) << body.dump() << " → " << r.body;
  return ApiClient::json(r);
}

std::string status_over_mx(ApiClient& c, const json& made) {
  const auto r = c.get("/users/" + made["user_guid"].get<std::string>() + "/members/" +
                       made["member_guid"].get<std::string>() + "/status");
  if (r.status != 200) return "HTTP " + std::to_string(r.status);
  const json body = ApiClient::json(r);
  const json& s = body["member"]["connection_status"];
  return s.is_null() ? "null" : s.get<std::string>();
}

TEST(NamedStates, ListsAtLeastTenWithTheirParams) {
  ApiClient c;
  const json list = ApiClient::json(c.get("/_emulator/states"))["states"];
  ASSERT_GE(list.size(), 10U);
  for (const auto& s : list) {
    EXPECT_TRUE(s["state"].is_string());
    EXPECT_TRUE(s["params"].is_array());
  }
}

TEST(NamedStates, EveryMemberStateShowsItsStatusOverTheMxApi) {
  const std::pair<const char*, const char*> kExpected[] = {
      {"member connected", "CONNECTED"},   {"member challenged", "CHALLENGED"},
      {"member expired", "EXPIRED"},       {"member denied", "DENIED"},
      {"member prevented", "PREVENTED"},   {"member locked", "LOCKED"},
      {"member degraded", "DEGRADED"},     {"member disconnected", "DISCONNECTED"},
      {"oauth member pending", "PENDING"},
  };
  for (const auto& [state, status] : kExpected) {
    ApiClient c;
    const json made = set_state(c, {{"state", state}});
    EXPECT_EQ(made["connection_status"], status) << state;
    EXPECT_EQ(status_over_mx(c, made), status) << state;
  }
}

TEST(NamedStates, ConnectedMemberHasData) {
  ApiClient c;
  const json made = set_state(c, {{"state", "member connected"}});
  const auto r = c.get("/users/" + made["user_guid"].get<std::string>() + "/transactions");
  EXPECT_GT(ApiClient::json(r)["pagination"]["total_entries"].get<int>(), 0);
}

TEST(NamedStates, ChallengedTakesTheChallengeTypeAndAnsweringConnects) {
  for (const char* type : {"TEXT", "OPTIONS", "IMAGE_DATA", "TOKEN", "IMAGE_OPTIONS"}) {
    ApiClient c;
    const std::string institution =
        std::string(type) == "TOKEN" || std::string(type) == "IMAGE_OPTIONS" ? "summit_ridge_bank"
                                                                             : "mxbank";
    const json made =
        set_state(c, {{"state", "member challenged"},
                      {"params", {{"institution", institution}, {"challenge", type}}}});
    ASSERT_FALSE(made["challenge_guids"].empty()) << type;
    const std::string m = "/users/" + made["user_guid"].get<std::string>() + "/members/" +
                          made["member_guid"].get<std::string>();
    const json challenges = ApiClient::json(c.get(m + "/challenges"))["challenges"];
    EXPECT_EQ(challenges[0]["type"], type);
    EXPECT_EQ(challenges[0]["guid"], made["challenge_guids"][0]);
  }
}

TEST(NamedStates, AggregatingUserOnlyAndInstitutionDown) {
  ApiClient c;
  const json running = set_state(c, {{"state", "member aggregating"}});
  const auto m = c.get("/users/" + running["user_guid"].get<std::string>() + "/members/" +
                       running["member_guid"].get<std::string>());
  EXPECT_EQ(ApiClient::json(m)["member"]["is_being_aggregated"], true);
  const json user = set_state(c, {{"state", "user only"}});
  EXPECT_EQ(c.get("/users/" + user["user_guid"].get<std::string>()).status, 200);
  EXPECT_FALSE(user.contains("member_guid"));
  set_state(c, {{"state", "institution down"}, {"params", {{"institution", "mxbank"}}}});
  const std::string u = c.create_user("after-outage");
  const std::string member = c.create_member(u, "mxbank", "password")["member"]["guid"];
  c.post("/_emulator/clock/advance", {{"seconds", 10}});
  EXPECT_EQ(
      ApiClient::json(c.get("/users/" + u + "/members/" + member))["member"]["connection_status"],
      "FAILED");
}

TEST(NamedStates, BadRequestsAreRefusedAndChangeNothing) {
  ApiClient c;
  set_state(c, {{"state", "member happy"}}, 404);
  set_state(c, {{"state", "member challenged"}, {"params", {{"challenge", "RIDDLE"}}}}, 400);
  set_state(c, {{"state", "member challenged"}, {"params", {{"colour", "red"}}}}, 400);
  set_state(c, {{"state", "member challenged"}, {"params", {{"challenge", 3}}}}, 400);
  set_state(c, {{"state", "member connected"}, {"params", {{"institution", "nowhere"}}}}, 400);
  set_state(c, {{"state", "oauth member pending"}, {"params", {{"institution", "mxbank"}}}}, 400);
  set_state(c, {{"params", {}}}, 400);
  EXPECT_TRUE(ApiClient::json(c.get("/users"))["users"].empty());
}

}  // namespace
}  // namespace mxemu::testing
