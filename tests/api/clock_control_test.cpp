// A tenant's clock through the control API: read, advance in any unit, set (forward only),
// freeze and rate, auto time; reset; health.
#include <gtest/gtest.h>

#include <string>

#include "domain/timestamps.h"
#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

json clock_of(ApiClient& c) { return ApiClient::json(c.get("/_emulator/clock"))["clock"]; }

TEST(ClockControl, AdvanceTakesTheUnitInItsKey) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"minutes", 2}}).status, 200);
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"hours", 1}}).status, 200);
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"days", 1}}).status, 200);
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"seconds", 5}}).status, 200);
  EXPECT_EQ(clock_of(c)["offset_seconds"], 120 + 3600 + 86400 + 5);
  EXPECT_EQ(clock_of(c)["now"], "2024-03-02T10:02:05.000Z");
}

TEST(ClockControl, BadAdvancesAreRefusedAndChangeNothing) {
  ApiClient c;
  for (const json& bad : {json{{"seconds", -1}}, json{{"seconds", 1.5}}, json{{"weeks", 1}},
                          json{{"seconds", 1}, {"minutes", 1}}, json::array(), json{}}) {
    EXPECT_EQ(c.post("/_emulator/clock/advance", bad).status, 400) << bad.dump();
  }
  EXPECT_EQ(clock_of(c)["offset_seconds"], 0);
}

// A nanosecond time_point ends in 2262: advances that would pass 2260-03-21 are refused, so a
// run of 100-year advances never overflows the clock (UB under UBSan).
TEST(ClockControl, AdvancesStopAtTheLastTimeTheEmulatorCanHold) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"days", 36500}}).status, 200);  // 2124
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"days", 36500}}).status, 200);  // 2224
  const json before = clock_of(c);
  const api::Response refused = c.post("/_emulator/clock/advance", {{"days", 36500}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("2260-03-21T00:00:00Z"), std::string::npos) << refused.body;
  EXPECT_EQ(clock_of(c), before);
  EXPECT_EQ(c.post("/_emulator/clock/set", {{"time", "2260-03-21T00:00:00Z"}}).status, 200);
  EXPECT_EQ(c.post("/_emulator/clock/advance", {{"seconds", 1}}).status, 400);
  EXPECT_EQ(c.post("/_emulator/clock/advance", {{"seconds", 0}}).status, 200);
}

TEST(ClockControl, SetMovesForwardOnlyAndSettlesWhatFellDue) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string member = c.create_member(user, "mxbank", "password")["member"]["guid"];
  ASSERT_EQ(c.post("/_emulator/clock/set", {{"time", "2024-03-01T10:00:00Z"}}).status, 200);
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T10:00:00.000Z");
  EXPECT_EQ(c.emu().get(member).status(), domain::ConnectionStatus::kConnected);
  EXPECT_EQ(c.post("/_emulator/clock/set", {{"time", "2024-03-01T09:59:59Z"}}).status, 409);
  EXPECT_EQ(c.post("/_emulator/clock/set", {{"time", "tomorrow"}}).status, 400);
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T10:00:00.000Z");
}

TEST(ClockControl, FrozenTimeStandsAndARateScalesTheBaseClock) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/clock/freeze").status, 200);
  c.emu().clock().advance(std::chrono::seconds(30));  // the process's base clock moves on
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(clock_of(c)["frozen"], true);
  ASSERT_EQ(c.post("/_emulator/clock/rate", {{"rate", 60}}).status, 200);
  c.emu().clock().advance(std::chrono::seconds(2));
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T09:02:00.000Z");  // no jump when the pace changed
  ASSERT_EQ(c.post("/_emulator/clock/unfreeze").status, 200);
  c.emu().clock().advance(std::chrono::seconds(3));
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T09:02:03.000Z");
  EXPECT_EQ(c.post("/_emulator/clock/rate", {{"rate", -1}}).status, 400);
  EXPECT_EQ(c.post("/_emulator/clock/rate", {{"rate", "fast"}}).status, 400);
}

TEST(ClockControl, AutoTimeFinishesAPolledJobInTwoReadsWithoutMovingAnythingElse) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/clock/auto", {{"enabled", true}}).status, 200);
  const std::string user = c.create_user("u");
  const std::string member = c.create_member(user, "mxbank", "password")["member"]["guid"];
  const std::string path = "/users/" + user + "/members/" + member + "/status";
  int polls = 0;
  json status;
  do {
    status = ApiClient::json(c.get(path))["member"];
    ++polls;
  } while (status["is_being_aggregated"] == true && polls < 10);
  EXPECT_EQ(status["connection_status"], "CONNECTED");
  EXPECT_LE(polls, 3);
  EXPECT_LE(clock_of(c)["offset_seconds"].get<int>(), 4);  // the job's 4 s, nothing more
}

TEST(ClockControl, AutoTimeNeverSkipsAnMfaQuestion) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/clock/auto", {{"enabled", true}}).status, 200);
  const std::string user = c.create_user("u");
  const std::string member = c.create_member(user, "mxbank", "challenge")["member"]["guid"];
  const std::string path = "/users/" + user + "/members/" + member + "/status";
  for (int i = 0; i < 10; ++i) c.get(path);
  EXPECT_EQ(ApiClient::json(c.get(path))["member"]["connection_status"], "CHALLENGED");
  EXPECT_LE(clock_of(c)["offset_seconds"].get<int>(), 4);  // stopped at the question
}

TEST(ClockControl, WithoutAutoTimeReadsDoNotMoveTime) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string member = c.create_member(user, "mxbank", "password")["member"]["guid"];
  for (int i = 0; i < 5; ++i) c.get("/users/" + user + "/members/" + member + "/status");
  EXPECT_EQ(clock_of(c)["offset_seconds"], 0);
  EXPECT_EQ(c.post("/_emulator/clock/auto", {{"enabled", "yes"}}).status, 400);
}

TEST(ClockControl, ResetEmptiesTheTenantAndTurnsTimeBack) {
  ApiClient c;
  const std::string user = c.create_user("u");
  c.create_member(user, "mxbank", "password");
  ASSERT_EQ(c.post("/_emulator/faults", {{"path_prefix", "/users"}, {"count", 5}}).status, 201);
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"days", 3}}).status, 200);
  ASSERT_EQ(c.post("/_emulator/reset").status, 200);
  EXPECT_EQ(clock_of(c)["now"], "2024-03-01T09:00:00.000Z");
  const json state = ApiClient::json(c.get("/_emulator/state"));
  EXPECT_EQ(state["users"], 0);
  EXPECT_EQ(state["members"], 0);
  EXPECT_EQ(state["last_event_sequence"], 0);
  EXPECT_EQ(c.get("/users").status, 200);  // the fault went with the reset
  // A reset world replays exactly as a new one: the same first guid.
  EXPECT_EQ(c.create_user("u"), ApiClient().create_user("u"));
}

TEST(ClockControl, HealthAnswersOk) {
  ApiClient c;
  api::Response r = c.get("/_emulator/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(ApiClient::json(r)["status"], "ok");
}

}  // namespace
}  // namespace mxemu::testing
