// The client-conformance report: each rule fires for a client that breaks it, and a client that
// follows MX's contract gets no finding from it.
#include "api/conformance.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

class Conformance : public ::testing::Test {
 protected:
  std::string path() const { return "/users/" + user_ + "/members/" + member_; }
  json connect(const std::string& institution, const std::string& password,
               const std::string& username = "mxuser") {
    if (user_.empty()) user_ = c_.create_user("u");
    json m = c_.create_member(user_, institution, password, username)["member"];
    member_ = m["guid"];
    return m;
  }
  // What a well-behaved client does: wait 3 s, then read the status.
  json poll() {
    c_.emu().advance(3);
    return ApiClient::json(c_.get(path() + "/status"))["member"];
  }
  json poll_until_done() {
    json m = poll();
    for (int i = 0; i < 40 && m["is_being_aggregated"] == true; ++i) m = poll();
    return m;
  }
  json credentials(const std::string& password, const std::string& username = "mxuser") {
    json creds = json::array();
    for (const auto& v : c_.emu().credentials("mxbank", password, username)) {
      creds.push_back({{"guid", v.guid}, {"value", v.value}});
    }
    return creds;
  }
  json report() {
    api::Response r = c_.get("/_emulator/journal/conformance");
    EXPECT_EQ(r.status, 200);
    return ApiClient::json(r);
  }
  std::set<std::string> rules() {
    std::set<std::string> out;
    const json r = report();
    for (const auto& f : r["findings"]) out.insert(f["rule"].get<std::string>());
    return out;
  }
  json finding(const std::string& rule) {
    const json r = report();
    for (const auto& f : r["findings"]) {
      if (f["rule"] == rule) return f;
    }
    return nullptr;
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
};

TEST_F(Conformance, RuleTableHasStableIdsAndReferences) {
  const auto& table = api::conformance_rules();
  EXPECT_GE(table.size(), 8U);
  std::set<std::string_view> ids;
  for (const auto& r : table) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_TRUE(r.severity == "error" || r.severity == "warning") << r.id;
    EXPECT_NE(r.reference.find("mx-behavior.md"), std::string_view::npos) << r.id;
  }
  EXPECT_EQ(report()["rules"].size(), table.size());
}

TEST_F(Conformance, ACorrectClientIsClean) {
  connect("mxbank", "challenge");
  auto answer = [&] {
    const json challenges = ApiClient::json(c_.get(path() + "/challenges"))["challenges"];
    return c_.put(
        path() + "/resume",
        {{"member", {{"challenges", {{{"guid", challenges[0]["guid"]}, {"value", "correct"}}}}}}});
  };
  json m = poll();
  ASSERT_EQ(m["connection_status"], "CHALLENGED");
  ASSERT_EQ(answer().status, 202);
  m = poll_until_done();
  ASSERT_EQ(m["connection_status"], "CONNECTED");
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);
  m = poll_until_done();
  ASSERT_EQ(m["connection_status"], "CHALLENGED");  // every login of this password asks again
  ASSERT_EQ(answer().status, 202);
  m = poll_until_done();
  ASSERT_EQ(m["connection_status"], "CONNECTED");
  EXPECT_EQ(c_.get(path() + "/accounts").status, 200);
  EXPECT_EQ(c_.get("/users/" + user_ + "/transactions").status, 200);
  const json r = report();
  EXPECT_EQ(r["clean"], true) << r["findings"].dump(2);
  EXPECT_GT(r["evaluated"].get<int>(), 10);
}

TEST_F(Conformance, PollTooFast) {
  connect("mxbank", "password");
  c_.get(path() + "/status");
  c_.emu().advance(1);
  c_.get(path() + "/status");
  c_.emu().advance(1);
  c_.get(path());
  const json f = finding("poll-too-fast");
  ASSERT_TRUE(f.is_object()) << report().dump(2);
  EXPECT_EQ(f["sequences"], json({3, 4, 5}));
  EXPECT_EQ(f["severity"], "warning");
  EXPECT_NE(f["message"].get<std::string>().find(member_), std::string::npos);
}

TEST_F(Conformance, PollingEveryThreeSecondsOfWallOrEmulatedTimeIsFine) {
  connect("mxbank", "password");
  poll();
  poll();
  c_.emu().clock().advance(std::chrono::seconds(3));  // a client that sleeps in real time
  c_.get(path() + "/status");
  EXPECT_EQ(rules().count("poll-too-fast"), 0U);
}

TEST_F(Conformance, ReaggregateThrottled) {
  connect("summit_ridge_bank", "password");
  poll_until_done();
  api::Response first = c_.post(path() + "/aggregate");
  ASSERT_EQ(first.status, 202);
  ASSERT_EQ(ApiClient::json(first)["member"]["is_being_aggregated"], false);  // throttled
  poll();
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);
  EXPECT_EQ(rules().count("reaggregate-throttled"), 1U) << report().dump(2);
}

TEST_F(Conformance, AggregatingOnceTheThrottleWindowEndedIsFine) {
  connect("summit_ridge_bank", "password");
  poll_until_done();
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);  // throttled: no job
  c_.emu().advance(3600);
  api::Response later = c_.post(path() + "/aggregate");
  ASSERT_EQ(ApiClient::json(later)["member"]["is_being_aggregated"], true);
  poll_until_done();
  EXPECT_EQ(rules().count("reaggregate-throttled"), 0U) << report().dump(2);
}

TEST_F(Conformance, RetryBeforeRetryAfter) {
  ASSERT_EQ(c_.post("/_emulator/faults",
                    {{"operation_id", "listUsers"}, {"status", 429}, {"retry_after_seconds", 30}})
                .status,
            201);
  ASSERT_EQ(c_.get("/users").status, 429);
  c_.emu().advance(10);
  c_.get("/users");
  const json f = finding("retry-before-retry-after");
  ASSERT_TRUE(f.is_object()) << report().dump(2);
  EXPECT_EQ(f["sequences"].size(), 2U);
  EXPECT_EQ(f["severity"], "error");
}

TEST_F(Conformance, RetryingAfterRetryAfterIsFine) {
  ASSERT_EQ(c_.post("/_emulator/limits", json::object()).status, 404);  // limits are PUT
  ASSERT_EQ(c_.put("/_emulator/limits", {{"per_minute", 1}}).status, 200);
  c_.get("/users");
  api::Response limited = c_.get("/users");
  ASSERT_EQ(limited.status, 429);
  c_.emu().advance(60);
  EXPECT_EQ(c_.get("/users").status, 200);
  EXPECT_EQ(rules().count("retry-before-retry-after"), 0U) << report().dump(2);
}

TEST_F(Conformance, Retried409) {
  connect("mxbank", "password");
  ASSERT_EQ(c_.post(path() + "/verify").status, 409);  // the create's aggregation runs
  ASSERT_EQ(c_.post(path() + "/verify").status, 409);
  EXPECT_EQ(rules().count("retried-409"), 1U) << report().dump(2);
}

TEST_F(Conformance, ReadingAfterA409BeforeTryingAgainIsFine) {
  connect("mxbank", "password");
  ASSERT_EQ(c_.post(path() + "/verify").status, 409);
  poll_until_done();
  EXPECT_LT(c_.post(path() + "/verify").status, 300);
  poll_until_done();
  EXPECT_EQ(rules().count("retried-409"), 0U) << report().dump(2);
}

TEST_F(Conformance, AcceptedTreatedAsError) {
  connect("mxbank", "password");
  poll_until_done();
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);
  c_.emu().advance(3);
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);  // as if the 202 had failed
  c_.emu().advance(3);
  ASSERT_LT(c_.del(path()).status, 300);
  const json r = report();
  int count = 0;
  for (const auto& f : r["findings"]) count += f["rule"] == "accepted-treated-as-error" ? 1 : 0;
  EXPECT_EQ(count, 2) << r.dump(2);
}

TEST_F(Conformance, ResumeNotChallenged) {
  connect("mxbank", "password");
  poll_until_done();
  const api::Response r = c_.put(
      path() + "/resume", {{"member", {{"challenges", {{{"guid", "CRD-x"}, {"value", "x"}}}}}}});
  EXPECT_GE(r.status, 400);
  const json f = finding("resume-not-challenged");
  ASSERT_TRUE(f.is_object()) << report().dump(2);
  EXPECT_NE(f["message"].get<std::string>().find("CONNECTED"), std::string::npos);
}

TEST_F(Conformance, JobNeedsUserAndDuplicateMember) {
  connect("mxbank", "INVALID", "alice");
  ASSERT_EQ(poll_until_done()["connection_status"], "DENIED");
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);
  poll_until_done();
  const std::string denied = member_;
  connect("mxbank", "password", "alice2");  // a new member instead of new credentials
  const std::set<std::string> found = rules();
  EXPECT_EQ(found.count("job-needs-user"), 1U) << report().dump(2);
  const json dup = finding("duplicate-member");
  ASSERT_TRUE(dup.is_object()) << report().dump(2);
  EXPECT_NE(dup["message"].get<std::string>().find(denied), std::string::npos);
}

TEST_F(Conformance, UpdatingCredentialsOfADeniedMemberIsFine) {
  connect("mxbank", "INVALID", "alice");
  ASSERT_EQ(poll_until_done()["connection_status"], "DENIED");
  ASSERT_LT(
      c_.put(path(), {{"member", {{"credentials", credentials("password", "alice")}}}}).status,
      300);
  ASSERT_EQ(poll_until_done()["connection_status"], "CONNECTED");
  ASSERT_EQ(c_.post(path() + "/aggregate").status, 202);
  poll_until_done();
  // A second institution for the same user is not a duplicate.
  c_.create_member(user_, "summit_ridge_bank", "password");
  const json r = report();
  EXPECT_EQ(r["clean"], true) << r.dump(2);
}

TEST_F(Conformance, MixedVersions) {
  c_.get("/users");
  c_.use_version("v20250224");
  c_.get("/users");
  const json f = finding("mixed-versions");
  ASSERT_TRUE(f.is_object()) << report().dump(2);
  EXPECT_EQ(f["sequences"], json({1, 2}));
  c_.del("/_emulator/journal");
  c_.get("/users");
  c_.get("/users");
  EXPECT_EQ(report()["clean"], true);
}

TEST_F(Conformance, FunctionApiEvaluatesAWorldsJournal) {
  connect("mxbank", "password");
  c_.get(path() + "/status");
  c_.get(path() + "/status");
  api::World& world = c_.emu().world();
  std::lock_guard<std::mutex> lock(world.state().journal_mutex);
  const auto findings = api::evaluate_conformance(world.state().journal.entries());
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].rule, "poll-too-fast");
  EXPECT_EQ(findings[0].sequences, (std::vector<std::uint64_t>{3, 4}));
}

}  // namespace
}  // namespace mxemu::testing
