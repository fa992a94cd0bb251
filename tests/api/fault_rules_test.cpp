// HTTP fault rules per tenant: matchers (method, prefix, route, operation, user, member, window,
// count), seeded probability, effects (status, Retry-After, emulated latency, dropped connection),
// the X-Mxemu-Fault header, listing and deleting rules, and the journal's fault ids.
#include "api/fault_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

std::string header(const api::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(FaultRules, TodaysRuleStillAnswersTheNextCountRequests) {
  ApiClient c;
  const api::Response added = c.post("/_emulator/faults", {{"method", "GET"},
                                                           {"path_prefix", "/users"},
                                                           {"status", 503},
                                                           {"count", 2},
                                                           {"message", "down"},
                                                           {"retry_after_seconds", 30}});
  ASSERT_EQ(added.status, 201);
  EXPECT_EQ(ApiClient::json(added)["faults"], 1);
  EXPECT_EQ(ApiClient::json(added)["id"], "fault-1");
  EXPECT_EQ(c.post("/users", {{"user", {{"id", "x"}}}}).status, 200);  // POST: not matched
  for (int i = 0; i < 2; ++i) {
    const api::Response r = c.get("/users");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(ApiClient::json(r)["error"]["message"], "down");
    EXPECT_EQ(header(r, "Retry-After"), "30");
  }
  EXPECT_EQ(c.get("/users").status, 200);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/faults"))["faults"].size(), 0U);
  // A bare rule answers one request with 503, as before.
  ASSERT_EQ(c.post("/_emulator/faults", json::object()).status, 201);
  EXPECT_EQ(c.get("/users").status, 503);
  EXPECT_EQ(c.get("/users").status, 200);
}

TEST(FaultRules, MatchByOperationRouteUserAndMember) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string a = c.create_member(user, "mxbank", "password", "a")["member"]["guid"];
  const std::string b = c.create_member(user, "mxbank", "password", "b")["member"]["guid"];
  const std::string base = "/users/" + user + "/members/";
  ASSERT_EQ(c.post("/_emulator/faults", {{"operation_id", "readMemberStatus"},
                                         {"member_guid", a},
                                         {"status", 500},
                                         {"count", 10}})
                .status,
            201);
  EXPECT_EQ(c.get(base + a + "/status").status, 500);
  EXPECT_EQ(c.get(base + b + "/status").status, 200);
  EXPECT_EQ(c.get(base + a).status, 200);  // another operation
  ASSERT_EQ(c.del("/_emulator/faults").status, 204);

  ASSERT_EQ(c.post("/_emulator/faults", {{"route", "/users/{user}/members/{member}"},
                                         {"user_guid", user},
                                         {"status", 502},
                                         {"count", 10}})
                .status,
            201);
  EXPECT_EQ(c.get(base + b).status, 502);
  EXPECT_EQ(c.get(base + b + "/status").status, 200);  // another route
  const std::string other = c.create_user("v");
  EXPECT_EQ(c.get("/users/" + other + "/members/" + b).status, 404);  // another user
}

TEST(FaultRules, WindowInEmulatedTime) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/faults", {{"path_prefix", "/users"},
                                         {"from", "2024-03-01T09:01:00Z"},
                                         {"for_seconds", 60},
                                         {"status", 503}})
                .status,
            201);
  EXPECT_EQ(c.get("/users").status, 200);  // before the window
  c.emu().advance(60);
  EXPECT_EQ(c.get("/users").status, 503);
  EXPECT_EQ(c.get("/users").status, 503);  // no count: every request in the window
  c.emu().advance(60);
  EXPECT_EQ(c.get("/users").status, 200);  // the window is over and the rule gone
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/faults"))["faults"].size(), 0U);
}

std::vector<int> faulted_indexes(std::uint64_t seed) {
  ApiClient c;
  EXPECT_EQ(
      c.post("/_emulator/faults",
             {{"path_prefix", "/users"}, {"probability", 0.5}, {"seed", seed}, {"count", 1000}})
          .status,
      201);
  std::vector<int> out;
  for (int i = 0; i < 64; ++i) {
    if (c.get("/users").status == 503) out.push_back(i);
  }
  return out;
}

TEST(FaultRules, SeededProbabilityReplaysIdentically) {
  const std::vector<int> first = faulted_indexes(42);
  EXPECT_EQ(faulted_indexes(42), first);
  EXPECT_NE(faulted_indexes(43), first);
  EXPECT_GT(first.size(), 16U);  // about half of 64
  EXPECT_LT(first.size(), 48U);
}

TEST(FaultRules, LatencyMovesTheTenantsClockAndStillServes) {
  ApiClient c;
  ASSERT_EQ(
      c.post("/_emulator/faults", {{"operation_id", "listUsers"}, {"latency_seconds", 30}}).status,
      201);
  const std::string before = ApiClient::json(c.get("/_emulator/clock"))["clock"]["now"];
  EXPECT_EQ(c.get("/users").status, 200);
  const std::string after = ApiClient::json(c.get("/_emulator/clock"))["clock"]["now"];
  EXPECT_EQ(before, "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(after, "2024-03-01T09:00:30.000Z");
}

TEST(FaultRules, DroppedConnectionServesNothing) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/faults", {{"operation_id", "createUser"}, {"drop_connection", true}})
                .status,
            201);
  const api::Response r = c.post("/users", {{"user", {{"id", "lost"}}}});
  EXPECT_TRUE(r.drop_connection);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(ApiClient::json(c.get("/users"))["users"].size(), 0U);  // never created
  const json entry =
      ApiClient::json(c.get("/_emulator/journal?operation=createUser"))["entries"][0];
  EXPECT_EQ(entry["dropped"], true);
  EXPECT_EQ(entry["fault_id"], "fault-1");
}

TEST(FaultRules, HeaderGivesOneOffFaults) {
  ApiClient c;
  auto with = [&](const std::string& spec) {
    api::Request r = c.request(api::Method::kGet, "/users");
    r.headers.emplace("X-Mxemu-Fault", spec);
    return c.send(r);
  };
  EXPECT_EQ(with("503").status, 503);
  const api::Response limited = with("429; retry-after=30");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(header(limited, "Retry-After"), "30");
  EXPECT_TRUE(with("drop").drop_connection);
  const api::Response slow = with("latency=5; delay-ms=200");
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.real_delay.count(), 200);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/clock"))["clock"]["now"], "2024-03-01T09:00:05.000Z");
  for (const char* bad : {"", "200", "teapot", "drop; 503", "retry-after=3", "delay-ms=99999"}) {
    const api::Response r = with(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(ApiClient::json(r)["error"]["message"].is_string());
  }
  EXPECT_EQ(c.get("/users").status, 200);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/journal?status=429"))["entries"][0]["fault_id"],
            "header");
}

TEST(FaultRules, ListAndDeleteSingleRules) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/faults", {{"path_prefix", "/a"}, {"count", 3}}).status, 201);
  ASSERT_EQ(c.post("/_emulator/faults", {{"path_prefix", "/b"}, {"status", 429}}).status, 201);
  json list = ApiClient::json(c.get("/_emulator/faults"))["faults"];
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0]["id"], "fault-1");
  EXPECT_EQ(list[0]["remaining"], 3);
  EXPECT_EQ(list[1]["status"], 429);
  EXPECT_EQ(c.del("/_emulator/faults/fault-1").status, 204);
  EXPECT_EQ(c.del("/_emulator/faults/fault-1").status, 404);
  EXPECT_EQ(c.del("/_emulator/faults/7").status, 404);
  list = ApiClient::json(c.get("/_emulator/faults"))["faults"];
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0]["id"], "fault-2");
}

TEST(FaultRules, BadRulesAreRefusedAndAddNothing) {
  ApiClient c;
  for (const json& bad : {json::array(), json{{"status", 200}}, json{{"method", "BREW"}},
                          json{{"probability", 0}}, json{{"probability", 1.5}}, json{{"count", 0}},
                          json{{"status", 503}, {"drop_connection", true}},
                          json{{"from", "2024-03-02T00:00:00Z"}, {"until", "2024-03-01T00:00:00Z"}},
                          json{{"until", "tomorrow"}}, json{{"latency_seconds", -1}},
                          json{{"real_delay_ms", 60000}}, json{{"path_prefix", 7}}}) {
    const api::Response r = c.post("/_emulator/faults", bad);
    EXPECT_EQ(r.status, 400) << bad.dump();
    EXPECT_TRUE(ApiClient::json(r)["error"]["message"].is_string()) << bad.dump();
  }
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/faults"))["faults"].size(), 0U);
}

TEST(FaultRules, ControlRoutesAreNeverFaulted) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/faults", {{"count", 5}}).status, 201);
  EXPECT_EQ(c.get("/_emulator/state").status, 200);
  api::Request r = c.request(api::Method::kGet, "/_emulator/faults");
  r.headers.emplace("X-Mxemu-Fault", "503");
  EXPECT_EQ(c.send(r).status, 200);
}

TEST(FaultRules, HeaderParserUnit) {
  auto e = api::parse_fault_header(" 503 ; retry-after=7 ; latency=2 ");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 503);
  EXPECT_EQ(e->retry_after_seconds, 7);
  EXPECT_EQ(e->latency_seconds, 2);
  EXPECT_FALSE(api::parse_fault_header("599x"));
}

}  // namespace
}  // namespace mxemu::testing
