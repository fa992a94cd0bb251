// The runner end to end: exit codes, the within-loop, failure messages, JUnit, --target.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/service.h"
#include "http/http_server.h"
#include "runner_fixture.h"
#include "support/test_emulator.h"

namespace mxemu::replay {
namespace {

TEST_F(Runner, PassingScenarioExitsZeroWithOneLine) {
  const auto f = write(
      "ok.json",
      scenario(
          "ok",
          R"({"expect_status": {"member": "{member}", "status": "CONNECTED", "within": {"minutes": 1}}})"));
  EXPECT_EQ(run({f}), kAllPassed) << out_.str() << err_.str();
  EXPECT_EQ(out_.str().rfind("PASS  ok  (7 ms)", 0), 0u) << out_.str();
}

TEST_F(Runner, WithinMovesTheClockToEachDeadlineAndStopsAtTheSpan) {
  // The job takes seconds: "now" fails, "within a minute" passes, and an MFA challenge expires
  // only after 300 s, so "within 4 minutes" fails and "within 6 minutes" passes.
  EXPECT_EQ(
      run({write(
          "now.json",
          scenario("now", R"({"expect_status": {"member": "{member}", "status": "CONNECTED"}})"))}),
      kExpectationFailed);
  EXPECT_NE(out_.str().find("statuses seen: CREATED"), std::string::npos) << out_.str();
  EXPECT_EQ(
      run({write(
          "short.json",
          scenario(
              "short",
              R"({"expect_status": {"member": "{member}", "status": "CHALLENGED", "within": {"minutes": 1}}},
                                                 {"expect_status": {"member": "{member}", "status": "EXPIRED", "within": {"minutes": 4}}})",
              "challenge"))}),
      kExpectationFailed)
      << out_.str();
  EXPECT_EQ(
      run({write(
          "long.json",
          scenario(
              "long",
              R"({"expect_status": {"member": "{member}", "status": "CHALLENGED", "within": {"minutes": 1}}},
                                                {"expect_status": {"member": "{member}", "status": "EXPIRED", "within": {"minutes": 6}}})",
              "challenge"))}),
      kAllPassed)
      << out_.str();
}

TEST_F(Runner, BrokenScenarioShowsStepPointerDiffAndCurl) {
  const auto f = write("broken.json", scenario("broken", R"({"advance": {"minutes": 1}},
      {"request": {"method": "GET", "path": "/users/{user}/members/{member}/status"},
       "expect": {"status": 200, "body": {"member": {"connection_status": "DENIED"}}}})"));
  EXPECT_EQ(run({f}), kExpectationFailed);
  const std::string o = out_.str();
  EXPECT_NE(o.find("FAIL  broken"), std::string::npos) << o;
  EXPECT_NE(o.find("step /steps/1 (request)"), std::string::npos) << o;
  EXPECT_NE(o.find("/member/connection_status: expected \"DENIED\", got \"CONNECTED\""),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("reproduce: curl -s -X GET -H 'Accept: application/vnd.mx.api.v1+json' "
                   "'http://127.0.0.1:8089/users/USR-"),
            std::string::npos)
      << o;
}

TEST_F(Runner, FinallyStepsRunAfterAFailure) {
  const auto f = write("fin.json", R"({"format": 1, "name": "fin", "description": "d",
      "start": "2024-03-01T09:00:00Z",
      "steps": [{"request": {"method": "GET", "path": "/users"}, "expect": {"status": 404}}],
      "finally": [{"request": {"method": "GET", "path": "/nothing-here"}, "expect": {"status": 200}}]})");
  EXPECT_EQ(run({f}), kExpectationFailed);
  EXPECT_NE(out_.str().find("step /steps/0"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("step /finally/0"), std::string::npos) << out_.str();
}

TEST_F(Runner, InvalidFileExitsTwoAndNamesThePointer) {
  const auto f = write(
      "bad.json",
      R"({"format": 1, "name": "x", "description": "d", "start": "2024-03-01T09:00:00Z", "steps": [{"advance": 3}]})");
  EXPECT_EQ(run({f}), kInvalidFile);
  EXPECT_NE(err_.str().find("bad.json: /steps/0/advance: expected a duration"), std::string::npos)
      << err_.str();
}

TEST_F(Runner, ListFilterAndJunit) {
  write(
      "a.json",
      scenario(
          "alpha",
          R"({"expect_status": {"member": "{member}", "status": "CONNECTED", "within": {"minutes": 1}}})"));
  write("b.json",
        scenario("beta", R"({"expect_status": {"member": "{member}", "status": "DENIED"}})"));
  EXPECT_EQ(run({dir_.string(), "--list"}), kAllPassed);
  EXPECT_NE(out_.str().find("alpha"), std::string::npos);
  EXPECT_NE(out_.str().find("beta"), std::string::npos);
  EXPECT_EQ(run({dir_.string(), "--filter", "^al"}), kAllPassed) << out_.str();
  EXPECT_EQ(out_.str().find("beta"), std::string::npos);
  const auto junit = (dir_ / "out" / "junit.xml");
  fs::create_directories(junit.parent_path());
  EXPECT_EQ(run({dir_.string(), "--junit", junit.string(), "--jobs", "2"}), kExpectationFailed);
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  EXPECT_NE(xml.str().find(R"(<testsuite name="mxemu-replay" tests="2" failures="1">)"),
            std::string::npos)
      << xml.str();
  EXPECT_NE(xml.str().find(R"(name="alpha")"), std::string::npos);
  EXPECT_NE(xml.str().find("<failure message="), std::string::npos);
}

TEST_F(Runner, TimelineDrawsOneLanePerMemberWithStatusesWebhooksAndJumps) {
  write(
      "t.json",
      scenario(
          "time/line",
          R"({"expect_status": {"member": "{member}", "status": "CHALLENGED", "within": {"minutes": 1}}},
      {"advance": {"hours": 2}}, {"expect_status": {"member": "{member}", "status": "EXPIRED"}})",
          "challenge"));
  const auto out = dir_ / "svg";
  EXPECT_EQ(run({dir_.string(), "--timeline", out.string()}), kAllPassed) << out_.str();
  std::ifstream in(out / "time_line.svg");
  std::stringstream svg;
  svg << in.rdbuf();
  const std::string s = svg.str();
  EXPECT_EQ(s.rfind("<svg ", 0), 0u) << s;
  EXPECT_NE(s.find(">member</text>"), std::string::npos) << s;
  for (const char* status : {">CREATED<", ">CHALLENGED<", ">EXPIRED<"}) {
    EXPECT_NE(s.find(status), std::string::npos) << status;
  }
  EXPECT_NE(s.find("webhook CONNECTION_STATUS CHALLENGED"), std::string::npos) << s;
  // The question expired 5 min in (its webhook is a column), the rest of the 2 h came after.
  EXPECT_NE(s.find(">+5m<"), std::string::npos) << s;
  EXPECT_NE(s.find(">+1h55m<"), std::string::npos) << s;
}

TEST_F(Runner, TargetOverLoopbackInItsOwnTenantsAndUnreachableExitsThree) {
  testing::TestEmulator emu;
  api::Service service(emu.tenants());
  http::ServerOptions options;
  options.threads = 4;
  options.log_level = http::LogLevel::kOff;
  http::HttpServer server(service, options);
  ASSERT_TRUE(server.start()) << server.error();
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  write(
      "a.json",
      scenario(
          "alpha",
          R"({"expect_status": {"member": "{member}", "status": "CONNECTED", "within": {"minutes": 1}}})"));
  write(
      "c.json",
      scenario(
          "gamma",
          R"({"expect_status": {"member": "{member}", "status": "CHALLENGED", "within": {"minutes": 1}}})",
          "challenge"));
  EXPECT_EQ(run({dir_.string(), "--target", url, "--jobs", "2"}), kAllPassed)
      << out_.str() << err_.str();
  // Each scenario's tenant is gone afterwards: only the default remains.
  EXPECT_EQ(emu.tenants().list().size(), 1u);
  const int port = server.port();
  server.stop();
  EXPECT_EQ(run({dir_.string(), "--target", "http://127.0.0.1:" + std::to_string(port)}),
            kUnreachableTarget)
      << out_.str();
  EXPECT_NE(out_.str().find("UNREACHABLE  alpha"), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace mxemu::replay
