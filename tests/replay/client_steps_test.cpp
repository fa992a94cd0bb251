// Client steps, the conformance step and golden files, through the command line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "runner_fixture.h"

namespace mxemu::replay {
namespace {

std::string client_scenario(const std::string& name, const std::string& steps) {
  return R"({"format": 1, "name": ")" + name + R"(", "description": "test",
    "start": "2024-03-01T09:00:00Z",
    "steps": [
      {"client_enrol": {"app_user": "alice"}, "capture": {"user": "/user_guid"}},
      {"client_connect_credentials": {"app_user": "alice", "institution": "mxbank",
                                      "password": "challenge"},
       "capture": {"member": "/member_guid"}},)" +
         steps + "]}";
}

TEST_F(Runner, ClientWatchReportsThePolicyNoticesAndCalls) {
  const auto f = write("ok.json", client_scenario("mfa", R"(
      {"client_watch": {"member": "{member}"},
       "expect": {"end": "needs_user", "status": "CHALLENGED", "action": "answer_mfa",
                  "link": "widget", "notices": [{"kind": "mfa_required", "member": "{member}"}]}},
      {"client_repair": {"member": "{member}", "link": "widget"},
       "expect": {"widget_request": {"current_member_guid": "{member}"},
                  "calls": ["POST /users/{user}/widget_urls"]}},
      {"client_watch": {"member": "{member}", "answers": ["correct"]},
       "expect": {"answered": true, "end": "ready", "status": "CONNECTED"}})"));
  EXPECT_EQ(run({f}), kAllPassed) << out_.str() << err_.str();
}

TEST_F(Runner, ClientOutcomeMismatchShowsTheDiffAndTheOutcome) {
  const auto f = write("bad.json", client_scenario("bad", R"(
      {"client_watch": {"member": "{member}"}, "expect": {"action": "nothing"}})"));
  EXPECT_EQ(run({f}), kExpectationFailed) << out_.str();
  const std::string o = out_.str();
  EXPECT_NE(o.find("step /steps/2 (client_watch)"), std::string::npos) << o;
  EXPECT_NE(o.find("/action: expected \"nothing\", got \"answer_mfa\""), std::string::npos) << o;
  EXPECT_NE(o.find("outcome: {"), std::string::npos) << o;
}

TEST_F(Runner, ClientStepArgumentsAreValidated) {
  const auto f = write("invalid.json", client_scenario("invalid", R"(
      {"client_watch": {"member": "{member}", "answer": ["correct"]}})"));
  EXPECT_EQ(run({f}), kInvalidFile);
  EXPECT_NE(err_.str().find("/steps/2/client_watch/answer: expected no field of this name"),
            std::string::npos)
      << err_.str();
}

TEST_F(Runner, ConformanceStepNamesFindingsAndCleanFailsOnThem) {
  const std::string steps = R"(
      {"advance": {"minutes": 1}},
      {"request": {"method": "PUT", "path": "/users/{user}/members/{member}/resume",
                   "body": {"member": {"challenges": [{"guid": "CRD-x", "value": "correct"}]}}}},)";
  write(
      "named.json",
      scenario(
          "named",
          steps + R"({"expect_conformance": {"findings": [{"rule": "resume-not-challenged"}]}})"));
  EXPECT_EQ(run({dir_.string()}), kAllPassed) << out_.str();
  write("clean.json", scenario("clean", steps + R"({"expect_conformance": {"clean": true}})"));
  EXPECT_EQ(run({dir_.string() + "/clean.json"}), kExpectationFailed) << out_.str();
  EXPECT_NE(out_.str().find("clean: expected no findings, got 1"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("resume-not-challenged: resumed member"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("/_emulator/journal/conformance"), std::string::npos) << out_.str();
}

TEST_F(Runner, GoldenFilesAreWrittenComparedAndReportedWithVolatileFields) {
  const auto f = write("g.json", scenario("g", R"(
      {"expect_status": {"member": "{member}", "status": "CONNECTED", "within": {"minutes": 1}}},
      {"request": {"method": "GET", "path": "/users/{user}/members/{member}"},
       "expect": {"golden": "m.golden", "volatile": ["/member/most_recent_job_guid"]}})"));
  // No file yet: a failure naming it.
  EXPECT_EQ(run({f}), kExpectationFailed);
  EXPECT_NE(out_.str().find("cannot read"), std::string::npos) << out_.str();
  // The environment variable rewrites it: captures become templates, volatile values null.
  EXPECT_EQ(run({f}, "1"), kAllPassed) << out_.str();
  std::stringstream text;
  text << std::ifstream(dir_ / "m.golden").rdbuf();
  const auto golden = nlohmann::json::parse(text.str());
  EXPECT_EQ(golden["member"]["guid"], "{member}");
  EXPECT_EQ(golden["member"]["user_guid"], "{user}");
  EXPECT_TRUE(golden["member"]["most_recent_job_guid"].is_null());
  EXPECT_EQ(run({f}), kAllPassed) << out_.str();
  // A changed field is a difference; an extra one too.
  auto edited = golden;
  edited["member"]["connection_status"] = "DEGRADED";
  edited["member"].erase("name");
  std::ofstream(dir_ / "m.golden") << edited.dump(2);
  EXPECT_EQ(run({f}), kExpectationFailed);
  EXPECT_NE(out_.str().find("/member/connection_status: expected \"DEGRADED\", got \"CONNECTED\""),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("/member/name: not in the golden file"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("--update-golden"), std::string::npos) << out_.str();
  EXPECT_EQ(run({f, "--update-golden"}), kAllPassed) << out_.str();
  EXPECT_EQ(run({f}), kAllPassed) << out_.str();
}

TEST_F(Runner, RequestHeadersReplaceTheDefaults) {
  const auto f = write("h.json", scenario("h", R"(
      {"request": {"method": "GET", "path": "/institutions/mxbank",
                   "headers": {"Accept": "application/json", "Accept-Version": "v20250224"}},
       "expect": {"status": 200, "body": {"institution": {"code": "mxbank"}}}},
      {"request": {"method": "GET", "path": "/institutions/mxbank",
                   "headers": {"Authorization": "Basic bm9ib2R5Om5vcGU="}},
       "expect": {"status": 401}})"));
  EXPECT_EQ(run({f}), kAllPassed) << out_.str();
}

}  // namespace
}  // namespace mxemu::replay
