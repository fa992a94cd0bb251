// Per-tenant rate limits: overall, per user and per member, in emulated minutes, 429 in MX's
// envelope with a Retry-After that counts down.
#include <gtest/gtest.h>

#include <string>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

std::string retry_after(const api::Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Retry-After") return value;
  }
  return "";
}

TEST(RateLimits, OffByDefault) {
  ApiClient c;
  for (int i = 0; i < 200; ++i) ASSERT_EQ(c.get("/users").status, 200);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/limits"))["limits"]["per_minute"], 0);
}

TEST(RateLimits, PerMemberLimitCountsDownInEmulatedTime) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string a = c.create_member(user, "mxbank", "password")["member"]["guid"];
  const std::string b = c.create_member(user, "mxbank", "password", "other")["member"]["guid"];
  ASSERT_EQ(c.put("/_emulator/limits", {{"per_member_per_minute", 2}}).status, 200);
  const std::string status_a = "/users/" + user + "/members/" + a + "/status";
  EXPECT_EQ(c.get(status_a).status, 200);
  c.emu().advance(20);
  EXPECT_EQ(c.get(status_a).status, 200);
  api::Response over = c.get(status_a);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(retry_after(over), "40");
  EXPECT_TRUE(ApiClient::json(over)["error"]["message"].is_string());
  EXPECT_EQ(c.get("/users/" + user + "/members/" + b + "/status").status, 200);  // another member
  EXPECT_EQ(c.get("/users").status, 200);  // a route without a member
  c.emu().advance(30);
  EXPECT_EQ(retry_after(c.get(status_a)), "10");
  c.emu().advance(10);
  EXPECT_EQ(c.get(status_a).status, 200);
}

TEST(RateLimits, PerUserLimitCoversEveryRouteOfThatUser) {
  ApiClient c;
  const std::string u1 = c.create_user("u1");
  const std::string u2 = c.create_user("u2");
  ASSERT_EQ(c.put("/_emulator/limits", {{"per_user_per_minute", 3}}).status, 200);
  EXPECT_EQ(c.get("/users/" + u1).status, 200);
  EXPECT_EQ(c.get("/users/" + u1 + "/members").status, 200);
  EXPECT_EQ(c.get("/users/" + u1 + "/accounts").status, 200);
  EXPECT_EQ(c.get("/users/" + u1 + "/transactions").status, 429);
  EXPECT_EQ(c.get("/users/" + u2).status, 200);
}

TEST(RateLimits, BadSettingsAreRefusedAndKeepTheOldOnes) {
  ApiClient c;
  ASSERT_EQ(c.put("/_emulator/limits", {{"per_minute", 5}}).status, 200);
  EXPECT_EQ(c.put("/_emulator/limits", {{"per_minute", -1}}).status, 400);
  EXPECT_EQ(c.put("/_emulator/limits", {{"per_second", 1}}).status, 400);
  EXPECT_EQ(c.put("/_emulator/limits", json::array()).status, 400);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/limits"))["limits"]["per_minute"], 5);
}

}  // namespace
}  // namespace mxemu::testing
