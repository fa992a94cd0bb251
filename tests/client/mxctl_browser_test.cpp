// mxctl connect --browser: the host page on loopback, the widget's postMessages posted to it as
// the page's script posts them, and mxctl storing the member itself. No browser here (the page
// in Chromium is tests/browser's); the "person" acts on the command's first wait, so nothing
// depends on timing.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "mxctl_fixture.h"
#include "widget_messages.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

class MxctlBrowserTest : public MxctlTest {
 protected:
  void SetUp() override {
    CliRun enrolled = cli({"enroll", "u-web", "--json"});
    ASSERT_EQ(enrolled.code, mxctl::kExitOk) << enrolled.err;
    user_guid_ = enrolled.json()["user_guid"];
    open_url_ = [this](const std::string& url) {
      opened_.push_back(url);
      return true;
    };
  }

  // JSON lines of a command's stdout.
  static std::vector<json> lines(const std::string& out) {
    std::vector<json> parsed;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) parsed.push_back(json::parse(line));
    return parsed;
  }

  // The person in the browser: creates `password`'s member in the widget (MX creates it and
  // aggregates), then the page posts the widget's messages for it. Returns the member guid.
  std::function<void()> person_connects(std::string& member, const std::string& password) {
    return [this, &member, password] {
      ASSERT_EQ(opened_.size(), 1U);
      member = create_mxbank_member(user_guid_, password);
      sleeper_.wait(std::chrono::seconds(30));  // memberConnected waits for the aggregation
      WidgetMessages widget(user_guid_);
      for (int status : post_messages(opened_[0] + "/messages", widget.successful_connect(member)))
        EXPECT_EQ(status, 202);
    };
  }

  std::string user_guid_;
  std::vector<std::string> opened_;
};

TEST_F(MxctlBrowserTest, AMemberConnectedInTheBrowserIsStoredByMxctlWhichThenExits) {
  std::string member;
  BrowserActsSleeper person(sleeper_, person_connects(member, "password"));
  CliRun run = cli({"connect", "u-web", "--browser", "--open", "--json"}, "", &person);
  ASSERT_EQ(run.code, mxctl::kExitOk) << run.out << run.err;

  const auto out = lines(run.out);
  ASSERT_EQ(out.size(), 2U) << run.out;
  EXPECT_EQ(out[0]["event"], "listening");
  EXPECT_EQ(out[0]["purpose"], "connect");
  ASSERT_EQ(opened_.size(), 1U);
  EXPECT_EQ(out[0]["url"], opened_[0]);
  EXPECT_EQ(out[0]["url"].get<std::string>().rfind("http://127.0.0.1:", 0), 0U);
  // The widget URL was minted for the web: postMessages, no webview.
  const auto widget_urls = sent("POST", "/users/" + user_guid_ + "/widget_urls");
  ASSERT_EQ(widget_urls.size(), 1U);
  EXPECT_EQ(json::parse(widget_urls[0].body)["widget_url"].value("is_mobile_webview", true), false);

  EXPECT_EQ(out[1]["member_guid"], member);
  EXPECT_EQ(out[1]["app_user_id"], "u-web");
  EXPECT_EQ(out[1]["connection_status"], "CONNECTED");
  EXPECT_NE(run.err.find("widget: mx/connect/memberStatusUpdate " + member + " CONNECTED"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("widget: mx/connect/memberConnected " + member), std::string::npos);
  EXPECT_EQ(run.err.find("mx/ping"), std::string::npos) << "pings are not worth a line";

  // Stored, as if the callback had been pasted: status shows it, with its history.
  CliRun status = cli({"status", member, "--json"});
  ASSERT_EQ(status.code, mxctl::kExitOk) << status.err;
  EXPECT_EQ(status.json()["connection_status"], "CONNECTED");
}

TEST_F(MxctlBrowserTest, WithWatchAndSyncTheDataIsReadableWithoutSqlite) {
  std::string member;
  BrowserActsSleeper person(sleeper_, person_connects(member, "password"));
  CliRun run =
      cli({"connect", "u-web", "--browser", "--open", "--watch", "--sync", "--quiet"}, "", &person);
  ASSERT_EQ(run.code, mxctl::kExitOk) << run.out << run.err;
  EXPECT_NE(run.out.find("Open http://127.0.0.1:"), std::string::npos) << run.out;

  CliRun accounts = cli({"accounts", "--user", "u-web", "--json"});
  ASSERT_EQ(accounts.code, mxctl::kExitOk) << accounts.err;
  EXPECT_FALSE(accounts.json()["accounts"].empty());
  EXPECT_EQ(accounts.json()["accounts"][0]["member_guid"], member);
}

TEST_F(MxctlBrowserTest, PrintsTheUrlEvenQuietlyAndEndsOnTimeoutOrSigint) {
  CliRun timed_out = cli({"connect", "u-web", "--browser", "--browser-timeout", "12"});
  EXPECT_EQ(timed_out.code, mxctl::kExitTimedOut) << timed_out.err;
  EXPECT_EQ(timed_out.out.rfind("Open http://127.0.0.1:", 0), 0U) << timed_out.out;
  EXPECT_NE(timed_out.out.find("timed_out, 0 messages"), std::string::npos) << timed_out.out;
  EXPECT_NE(timed_out.err.find("waiting for the widget: 0 messages, 10 s elapsed"),
            std::string::npos)
      << timed_out.err;

  mxclient::flowtest::InterruptedSleeper sigint(sleeper_, 2);
  CliRun stopped = cli({"connect", "u-web", "--browser", "--quiet", "--json"}, "", &sigint);
  EXPECT_EQ(stopped.code, mxctl::kExitInterrupted) << stopped.err;
  const auto out = lines(stopped.out);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0]["event"], "listening");  // the URL is the point, --quiet or not
  EXPECT_EQ(out[1]["event"], "interrupted");
  EXPECT_EQ(sigint.waited, 2U);
  EXPECT_TRUE(stopped.err.empty()) << stopped.err;

  open_url_ = nullptr;  // no xdg-open here
  CliRun unopened = cli({"connect", "u-web", "--browser", "--open", "--browser-timeout", "1"});
  EXPECT_EQ(unopened.code, mxctl::kExitTimedOut);
  EXPECT_NE(unopened.err.find("could not start xdg-open; open the URL yourself"), std::string::npos)
      << unopened.err;
}

TEST_F(MxctlBrowserTest, ARepairOpensTheMembersWidgetInTheBrowser) {
  // A CHALLENGED member (seed step 3): the widget opens on it, the person answers there.
  const std::string member = enrol_and_connect("u-web", "challenge", mxctl::kExitNeedsUser);
  ASSERT_FALSE(member.empty());
  BrowserActsSleeper person(sleeper_, [&] {
    auto challenges = api_->list_challenges(user_guid_, member);
    ASSERT_TRUE(challenges && !challenges->empty());
    std::vector<mxclient::MxCredentialValue> answers;
    for (const auto& c : *challenges) answers.push_back({c.guid, "correct"});
    ASSERT_TRUE(api_->resume_member(user_guid_, member, answers));
    sleeper_.wait(std::chrono::seconds(30));
    WidgetMessages widget(user_guid_);
    post_messages(
        opened_[0] + "/messages",
        {widget.message("mx/load"), widget.message("mx/connect/loaded", {{"initial_step", "mfa"}}),
         widget.message("mx/connect/submitMFA", {{"member_guid", member}}),
         widget.message("mx/connect/memberConnected", {{"member_guid", member}})});
  });
  CliRun run =
      cli({"connect", "u-web", "--resume", member, "--browser", "--open", "--json"}, "", &person);
  ASSERT_EQ(run.code, mxctl::kExitOk) << run.out << run.err;
  const auto out = lines(run.out);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0]["purpose"], "resume " + member);
  const auto widget_urls = sent("POST", "/users/" + user_guid_ + "/widget_urls");
  ASSERT_FALSE(widget_urls.empty());
  EXPECT_EQ(json::parse(widget_urls.back().body)["widget_url"]["current_member_guid"], member);
  EXPECT_EQ(out[1]["connection_status"], "CONNECTED");
}

TEST_F(MxctlBrowserTest, BrowserOptionsOutsideTheirPlaceAreUsageErrors) {
  EXPECT_EQ(cli({"connect", "u-web", "--browser", "--institution", "mxbank", "--credential",
                 "LOGIN=mxuser"})
                .code,
            mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u-web", "--browser", "--platform", "ios"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u-web", "--port", "9000"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u-web", "--open"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u-web", "--browser", "--port", "70000"}).code, mxctl::kExitUsage);
  EXPECT_EQ(cli({"connect", "u-web", "--browser", "--browser-timeout", "0"}).code,
            mxctl::kExitUsage);
  CliRun as_json = cli({"connect", "u-web", "--browser", "--port", "x", "--json"});
  EXPECT_EQ(as_json.code, mxctl::kExitUsage);
  EXPECT_EQ(as_json.json()["error"]["code"], "usage");
  EXPECT_TRUE(opened_.empty());
}

}  // namespace
}  // namespace mxemu::testing
