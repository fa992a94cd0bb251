#include "accepted_writes.h"

#include <gtest/gtest.h>

#include "domain/timestamps.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

Reply ok(int status, const json& body) { return Reply{status, {}, body.dump()}; }

std::int64_t ticks(const char* iso) {
  return domain::parse_iso8601(iso)->time_since_epoch().count();
}

// A user USR-1 with member MBR-1 (credentials CRD-a, CRD-b), accepted and then updated.
AcceptedWrites typical() {
  AcceptedWrites w;
  w.record("POST", "/users", R"({"user":{"id":"walker","metadata":"m1"}})",
           ok(200, {{"user", {{"guid", "USR-1"}}}}));
  w.record("POST", "/users/USR-1/members",
           R"({"member":{"institution_code":"mxbank","credentials":[)"
           R"({"guid":"CRD-a","value":"mxuser"},{"guid":"CRD-b","value":"password"}]}})",
           ok(202, {{"member", {{"guid", "MBR-1"}}}}));
  w.record("PUT", "/users/USR-1/members/MBR-1",
           R"({"member":{"credentials":[{"guid":"CRD-b","value":"new-password"}]}})",
           ok(200, {{"member", {{"guid", "MBR-1"}}}}));
  w.record("POST", "/users/USR-1/members/MBR-1/aggregate", "",
           ok(202, {{"member", {{"guid", "MBR-1"}, {"aggregated_at", "2024-03-01T09:05:00Z"}}}}));
  return w;
}

json world(const std::string& password, std::int64_t aggregated_at) {
  return {
      {"emulator",
       {{"store",
         {{"users", {{{"guid", "USR-1"}, {"id", "walker"}, {"metadata", "m1"}}}},
          {"members",
           {{{"guid", "MBR-1"},
             {"user_guid", "USR-1"},
             {"credentials",
              {{{"guid", "CRD-a"}, {"value", "mxuser"}}, {{"guid", "CRD-b"}, {"value", password}}}},
             {"aggregated_at", aggregated_at}}}}}}}}};
}

TEST(AcceptedWrites, AWorldThatHoldsEveryAcceptedWriteIsClean) {
  const auto w = typical();
  EXPECT_EQ(w.count(), 4);
  EXPECT_TRUE(w.check(world("new-password", ticks("2024-03-01T09:05:00Z")), json::array()).empty());
  // A later job start is fine: an accepted one was not forgotten.
  EXPECT_TRUE(w.check(world("new-password", ticks("2024-03-02T00:00:00Z")), json::array()).empty());
}

TEST(AcceptedWrites, AnUpdateTheWorldDoesNotHoldIsReportedWithoutItsValue) {
  const auto lines =
      typical().check(world("password", ticks("2024-03-01T09:05:00Z")), json::array());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "member MBR-1: the accepted value of credential CRD-b is not the one the world holds");
  EXPECT_EQ(lines[0].find("password"), std::string::npos);
}

TEST(AcceptedWrites, AForgottenJobStartAndAMissingCreateAreReported) {
  auto lines = typical().check(world("new-password", ticks("2024-03-01T09:00:00Z")), json::array());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("a job accepted at 2024-03-01T09:05:00Z"), std::string::npos);

  json empty = world("new-password", 0);
  empty["emulator"]["store"]["members"] = json::array();
  empty["emulator"]["store"]["users"][0]["metadata"] = "changed";
  lines = typical().check(empty, json::array());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "user USR-1: accepted metadata \"m1\", the world holds \"changed\"");
  EXPECT_EQ(lines[1], "accepted member MBR-1 is not in the world");
}

TEST(AcceptedWrites, DeletionsByTheClientOrByMxAreHonoured) {
  json gone = world("new-password", 0);
  gone["emulator"]["store"]["members"] = json::array();
  const json mx_deleted = {
      {{"type", "MEMBER"}, {"member_guid", "MBR-1"}, {"payload", {{"action", "deleted"}}}}};
  EXPECT_TRUE(typical().check(gone, mx_deleted).empty());

  auto w = typical();
  w.record("DELETE", "/users/USR-1/members/MBR-1", "", ok(204, nullptr));
  EXPECT_TRUE(w.check(gone, json::array()).empty());
  EXPECT_EQ(w.check(world("new-password", 0), json::array()),
            std::vector<std::string>{"member MBR-1 was deleted (2xx) but is in the world"});
}

TEST(AcceptedWrites, RefusedWritesAndReadsAreNotRecordedAndAResetForgets) {
  AcceptedWrites w;
  w.record("POST", "/users", R"({"user":{"id":"x"}})", ok(400, {{"error", {}}}));
  w.record("GET", "/users", "", ok(200, {{"users", json::array()}}));
  EXPECT_EQ(w.count(), 0);
  auto t = typical();
  t.record("POST", "/_emulator/reset", "", ok(200, json::object()));
  EXPECT_EQ(t.count(), 0);
  EXPECT_TRUE(t.check(json::object(), json::array()).empty());
}

class FakeSession final : public Session {
 public:
  Reply send(const std::string&, const std::string&, const std::string&) override {
    return ok(200, {{"user", {{"guid", "USR-9"}}}});
  }
  std::string curl(const std::string&, const std::string&, const std::string&) const override {
    return "";
  }
  Reply exchange(const std::string& m, const std::string& t,
                 const std::vector<std::pair<std::string, std::string>>&,
                 const std::string& b) override {
    return send(m, t, b);
  }
  std::pair<std::string, std::string> credentials() const override { return {"id", "key"}; }
};

TEST(RecordingSession, RecordsItsOwnTenantsWritesOnly) {
  FakeSession inner;
  AcceptedWrites w;
  RecordingSession s(inner, w);
  s.send("POST", "/users", "{}");
  s.exchange("POST", "/users", {{"authorization", "Basic " + base64("id:key")}}, "{}");
  s.exchange("POST", "/users", {{"Authorization", "Basic " + base64("other:key")}}, "{}");
  EXPECT_EQ(w.count(), 2);
}

}  // namespace
}  // namespace mxemu::replay
