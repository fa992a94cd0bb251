// The opt-in storm policy through the control API: read, replace, validate, and its effect on
// the members an integrator's refresh scheduler aggregates at once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

// The statuses of `count` members of one new user at `institution`, all created in the same
// emulated second, five emulated minutes later.
std::vector<std::string> simultaneous_statuses(ApiClient& c, const std::string& institution,
                                               int count) {
  static int users = 0;
  const std::string user = c.create_user("storm-user-" + std::to_string(++users));
  std::vector<std::string> guids;
  for (int i = 0; i < count; ++i) {
    json m = c.create_member(user, institution, "password", "login" + std::to_string(i));
    guids.push_back(m["member"]["guid"]);
  }
  c.post("/_emulator/clock/advance", {{"minutes", 5}});
  std::vector<std::string> statuses;
  for (const auto& g : guids) {
    statuses.push_back(ApiClient::json(
        c.get("/users/" + user + "/members/" + g + "/status"))["member"]["connection_status"]);
  }
  return statuses;
}

TEST(StormPolicyControl, IsOffUntilSetAndReadsBackWhatWasSet) {
  ApiClient c;
  const json off = ApiClient::json(c.get("/_emulator/policies/storm"));
  EXPECT_EQ(off["storm"]["all"]["window_seconds"], 0);
  EXPECT_TRUE(off["storm"]["by_institution"].empty());

  const json body = {
      {"all", {{"max_aggregations", 2}, {"window_seconds", 60}}},
      {"by_institution", {{"mxbank", {{"max_aggregations", 0}, {"window_seconds", 0}}}}}};
  api::Response r = c.put("/_emulator/policies/storm", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ApiClient::json(r), ApiClient::json(c.get("/_emulator/policies/storm")));
  EXPECT_EQ(ApiClient::json(r)["storm"], body);
}

TEST(StormPolicyControl, LoginsBeyondTheLimitFailAndAnExemptInstitutionConnects) {
  ApiClient c;
  ASSERT_EQ(c.put("/_emulator/policies/storm",
                  {{"all", {{"max_aggregations", 2}, {"window_seconds", 60}}}})
                .status,
            200);
  EXPECT_EQ(simultaneous_statuses(c, "mxbank", 4),
            (std::vector<std::string>{"CONNECTED", "CONNECTED", "FAILED", "FAILED"}));

  ASSERT_EQ(
      c.put("/_emulator/policies/storm",
            {{"all", {{"max_aggregations", 2}, {"window_seconds", 60}}},
             {"by_institution", {{"mxbank", {{"max_aggregations", 0}, {"window_seconds", 0}}}}}})
          .status,
      200);
  EXPECT_EQ(simultaneous_statuses(c, "mxbank", 4), std::vector<std::string>(4, "CONNECTED"));
}

TEST(StormPolicyControl, BadBodiesAre400AndChangeNothing) {
  ApiClient c;
  const json before = ApiClient::json(c.get("/_emulator/policies/storm"));
  const json bad[] = {
      json::array(),
      {{"everyone", {{"max_aggregations", 1}, {"window_seconds", 60}}}},
      {{"all", {{"max_aggregations", -1}, {"window_seconds", 60}}}},
      {{"all", {{"max_aggregations", 1}, {"window_seconds", 1.5}}}},
      {{"all", {{"max_aggregations", 1}}}},
      {{"all", {{"max_aggregations", 1}, {"window_seconds", 60}, {"extra", 1}}}},
      {{"by_institution", {{"no-such-bank", {{"max_aggregations", 1}, {"window_seconds", 60}}}}}},
      {{"by_institution", json::array()}},
  };
  for (const json& b : bad) {
    api::Response r = c.put("/_emulator/policies/storm", b);
    EXPECT_EQ(r.status, 400) << b.dump();
    EXPECT_TRUE(ApiClient::json(r)["error"]["message"].is_string()) << r.body;
  }
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/policies/storm")), before);
}

}  // namespace
}  // namespace mxemu::testing
