// mxctl end to end: the seed's steps, usage, help, webhooks serve and exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

TEST_F(MxctlTest, TheSeedsStepsFromEnrolToSyncWithExitCodes) {
  CliRun enrol = cli({"enroll", "app-user-1", "--json"});
  ASSERT_EQ(enrol.code, mxctl::kExitOk) << enrol.err;
  const std::string user_guid = enrol.json()["user_guid"];
  EXPECT_EQ(user_guid.rfind("USR-", 0), 0U);
  EXPECT_EQ(cli({"enroll", "app-user-1", "--json"}).json()["user_guid"], user_guid);

  CliRun url =
      cli({"connect", "app-user-1", "--platform", "android", "--url-scheme", "bankapp", "--json"});
  ASSERT_EQ(url.code, mxctl::kExitOk) << url.err;
  EXPECT_NE(url.json()["widget_url"].get<std::string>().find("/connect/"), std::string::npos);
  const auto widget = sent("POST", "/users/" + user_guid + "/widget_urls");
  ASSERT_FALSE(widget.empty());
  EXPECT_NE(widget.back().body.find(R"("is_mobile_webview":true)"), std::string::npos);
  EXPECT_NE(widget.back().body.find(R"("ui_message_webview_url_scheme":"bankapp")"),
            std::string::npos);

  // The widget is not emulated beyond its URL: the member comes from the API, and the app
  // hands mxctl the postMessage the widget would have sent.
  const std::string member = create_mxbank_member(user_guid, "password");
  const std::string payload = R"({"mx":true,"type":"mx/connect/memberConnected","metadata":)"
                              R"({"user_guid":")" +
                              user_guid + R"(","member_guid":")" + member + R"("}})";
  CliRun callback = cli({"callback", "app-user-1", "-"}, payload);
  ASSERT_EQ(callback.code, mxctl::kExitOk) << callback.err;
  EXPECT_NE(callback.out.find("watching member " + member), std::string::npos);

  CliRun watched = cli({"watch", member, "--sync", "--json"});
  ASSERT_EQ(watched.code, mxctl::kExitOk) << watched.err;
  const auto result = watched.json();
  EXPECT_EQ(result["connection_status"], "CONNECTED");
  EXPECT_EQ(result["end"], "ready");
  EXPECT_GT(result["sync"]["transactions_fetched"].get<int>(), 500);
  EXPECT_FALSE(result["sync"]["incremental"].get<bool>());
  EXPECT_NE(watched.err.find("transactions page 1/1"), std::string::npos) << watched.err;

  CliRun again = cli({"sync", member, "--json"});
  ASSERT_EQ(again.code, mxctl::kExitOk) << again.err;
  EXPECT_TRUE(again.json()["members"][0]["incremental"].get<bool>());
  EXPECT_LT(again.json()["members"][0]["transactions_fetched"].get<int>(),
            result["sync"]["transactions_fetched"].get<int>());

  CliRun status = cli({"status", "--json"});
  ASSERT_EQ(status.code, mxctl::kExitOk);
  ASSERT_EQ(status.json()["members"].size(), 1U);
  EXPECT_EQ(status.json()["members"][0]["watch_state"], "settled");
  EXPECT_FALSE(status.json()["members"][0]["last_synced_at"].is_null());
  EXPECT_EQ(base_urls_.front(), "http://127.0.0.1:8089");  // the emulator's default

  // The user deletes the member in the widget: the database forgets it.
  CliRun deleted = cli(
      {"callback", "app-user-1",
       "bankapp://connect/memberDeleted?metadata={\"member_guid\":\"" + member + "\"}", "--json"});
  ASSERT_EQ(deleted.code, mxctl::kExitOk) << deleted.err;
  EXPECT_TRUE(deleted.json()["deleted"].get<bool>());
  EXPECT_TRUE(cli({"status", "--json"}).json()["members"].empty());
}

TEST_F(MxctlTest, MfaByApiExitsNeedsUserThenAnswersAndConnects) {
  ASSERT_EQ(cli({"enroll", "u-mfa"}).code, mxctl::kExitOk);
  CliRun challenged = cli({"connect", "u-mfa", "--institution", "mxbank", "--credential",
                           "LOGIN=mxuser", "--credential", "password=challenge", "--watch"});
  EXPECT_EQ(challenged.code, mxctl::kExitNeedsUser) << challenged.err;
  EXPECT_NE(challenged.out.find("notice mfa_required"), std::string::npos) << challenged.out;
  EXPECT_NE(challenged.out.find("CHALLENGED"), std::string::npos);
  const std::string member =
      cli({"status", "--json"}).json()["members"][0]["member_guid"].get<std::string>();

  CliRun wrong = cli({"watch", member, "--answer", "nope", "--json"});
  EXPECT_NE(wrong.code, mxctl::kExitOk);
  EXPECT_EQ(wrong.json()["connection_status"], "REJECTED") << wrong.out;

  // REJECTED → a new aggregation asks again (MX Bank re-runs the script).
  CliRun refresh = cli({"refresh", member});
  ASSERT_EQ(refresh.code, mxctl::kExitOk) << refresh.err;
  CliRun answered = cli({"watch", member, "--answer", "correct", "--json"});
  EXPECT_EQ(answered.code, mxctl::kExitOk) << refresh.out << answered.out << answered.err;
  EXPECT_EQ(answered.json()["connection_status"], "CONNECTED");
}

TEST_F(MxctlTest, RefreshDueCallsOnlyStaleMembersAndCountsThem) {
  ASSERT_EQ(cli({"enroll", "u-r"}).code, mxctl::kExitOk);
  ASSERT_EQ(cli({"connect", "u-r", "--institution", "mxbank", "--credential", "LOGIN=mxuser",
                 "--credential", "PASSWORD=password", "--watch"})
                .code,
            mxctl::kExitOk);
  CliRun fresh = cli({"refresh", "--due", "--json"});
  ASSERT_EQ(fresh.code, mxctl::kExitOk) << fresh.err;
  EXPECT_EQ(fresh.json()["considered"], 0);

  sleeper_.wait(std::chrono::hours(25));  // past the 24 h SLA (MX's background run aside)
  CliRun due = cli({"refresh", "--due", "--sla-hours", "1", "--json"});
  ASSERT_EQ(due.code, mxctl::kExitOk) << due.err;
  EXPECT_EQ(due.json()["considered"], 1);
  EXPECT_EQ(due.json()["started"].get<int>() + due.json()["throttled"].get<int>(), 1);
}

TEST_F(MxctlTest, UsageErrorsExitTwoAndEveryCommandHasHelp) {
  EXPECT_EQ(cli({}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"frobnicate"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"watch"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"watch", "MBR-1", "--no-such-option"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"watch", "MBR-1", "--interval"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"watch", "MBR-1", "--interval", "soon"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"sync"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"refresh"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"webhooks"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u", "--platform", "blackberry"}).code, mxctl::kExitUsage);

  CliRun overview = cli({"--help"});
  EXPECT_EQ(overview.code, mxctl::kExitOk);
  for (const auto& c : mxctl::command_table()) {
    EXPECT_NE(overview.out.find(std::string(c.spec.name)), std::string::npos) << c.spec.name;
    std::vector<std::string> args;
    std::istringstream words{std::string(c.spec.name)};
    for (std::string w; words >> w;) args.push_back(w);
    args.emplace_back("--help");
    CliRun help = cli(args);
    EXPECT_EQ(help.code, mxctl::kExitOk) << c.spec.name;
    EXPECT_EQ(help.out.rfind("Usage: mxctl " + std::string(c.spec.name), 0), 0U) << help.out;
  }
}

TEST_F(MxctlTest, WebhooksServeListensOnLoopbackAndStopsWhenAsked) {
  CliRun serve = cli({"webhooks", "serve", "--port", "0", "--json"});
  ASSERT_EQ(serve.code, mxctl::kExitOk) << serve.err;
  std::istringstream lines(serve.out);
  std::string first;
  std::string last;
  for (std::string line; std::getline(lines, line);) (first.empty() ? first : last) = line;
  const auto listening = nlohmann::json::parse(first);
  EXPECT_EQ(listening["event"], "listening");
  EXPECT_EQ(listening["url"].get<std::string>().rfind("http://127.0.0.1:", 0), 0U);
  EXPECT_EQ(nlohmann::json::parse(last)["event"], "stopped");
  EXPECT_EQ(cli({"webhooks", "serve", "--path", "no-slash"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"webhooks", "serve", "--username", "u"}).code, mxctl::kExitUsage);
}

TEST_F(MxctlTest, NotFoundAndMalformedInputHaveTheirExitCodes) {
  EXPECT_EQ(cli({"watch", "MBR-nobody"}).code, mxctl::kExitNotFound);
  EXPECT_EQ(cli({"connect", "never-enrolled"}).code, mxctl::kExitNotFound);
  EXPECT_EQ(cli({"status", "MBR-nobody"}).code, mxctl::kExitNotFound);
  ASSERT_EQ(cli({"enroll", "u-bad"}).code, mxctl::kExitOk);
  CliRun bad = cli({"callback", "u-bad", "{not json"});
  EXPECT_EQ(bad.code, mxctl::kExitUsage);
  EXPECT_NE(bad.err.find("payload is not valid JSON"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("usage: mxctl callback"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace mxemu::testing
