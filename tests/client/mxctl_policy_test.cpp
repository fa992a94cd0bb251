// What mxctl shows of the status policy: `watch` prints the interruption notice with its
// reconnect URL, and `status` says per member what the client will do about its status.
#include <gtest/gtest.h>

#include <string>

#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

class MxctlPolicyTest : public MxctlTest {
 protected:
  void SetUp() override { member_ = enrol_and_connect("u-policy", "password"); }

  // `status --live --json` for the member: its "policy" object.
  nlohmann::json policy_after(const std::string& status) {
    force_status(member_, status);
    CliRun shown = cli({"status", member_, "--live", "--json"});
    EXPECT_EQ(shown.code, mxctl::kExitOk) << shown.err;
    EXPECT_EQ(shown.json()["connection_status"], status);
    return shown.json()["policy"];
  }

  std::string member_;
};

TEST_F(MxctlPolicyTest, WatchPrintsTheInterruptionNoticeWithAReconnectUrl) {
  force_status(member_, "DEGRADED");
  CliRun watched = cli({"watch", member_});
  EXPECT_EQ(watched.code, mxctl::kExitRetryLater) << watched.err;
  EXPECT_NE(watched.out.find("notice connection_interrupted " + member_), std::string::npos)
      << watched.out;
  EXPECT_NE(watched.out.find("open in the widget (URL, single use, 10 min): "), std::string::npos)
      << watched.out;
  EXPECT_NE(watched.out.find("repair with: mxctl connect u-policy --resume " + member_),
            std::string::npos)
      << watched.out;

  // Told once per episode: a second watch prints no notice.
  CliRun again = cli({"watch", member_, "--json"});
  EXPECT_EQ(again.code, mxctl::kExitRetryLater);
  EXPECT_TRUE(again.json()["notices"].empty()) << again.out;
  EXPECT_EQ(again.json()["policy"]["link"], "widget");
}

TEST_F(MxctlPolicyTest, StatusLiveTellsTheUserWithTheRepairUrlAsWatchDoes) {
  force_status(member_, "DISABLED");
  CliRun live = cli({"status", member_, "--live"});
  ASSERT_EQ(live.code, mxctl::kExitOk) << live.err;
  EXPECT_NE(live.out.find("notice connection_interrupted " + member_), std::string::npos)
      << live.out;
  EXPECT_NE(live.out.find("open in the widget (URL, single use, 10 min): http"), std::string::npos)
      << live.out;
  EXPECT_NE(live.out.find("next: wait for MX to resume it (no refresh), user told"),
            std::string::npos)
      << live.out;
  // The URL opens the widget on the member, without update_credentials (MX needs none).
  const auto minted =
      sent("POST", "/users/" +
                       cli({"status", member_, "--json"}).json()["user_guid"].get<std::string>() +
                       "/widget_urls");
  ASSERT_FALSE(minted.empty());
  const auto request = nlohmann::json::parse(minted.back().body)["widget_url"];
  EXPECT_EQ(request["current_member_guid"], member_);
  EXPECT_FALSE(request.value("update_credentials", false));
}

TEST_F(MxctlPolicyTest, StatusSaysWhatTheClientWillDoPerStatus) {
  nlohmann::json degraded = policy_after("DEGRADED");
  EXPECT_EQ(degraded["action"], "retry_later");
  EXPECT_TRUE(degraded["may_refresh"].get<bool>());
  EXPECT_TRUE(degraded["notify_user"].get<bool>());
  EXPECT_EQ(degraded["link"], "widget");
  EXPECT_EQ(degraded["plan"], "refresh later, user told (link: widget)");

  nlohmann::json disabled = policy_after("DISABLED");
  EXPECT_EQ(disabled["action"], "retry_later");
  EXPECT_FALSE(disabled["may_refresh"].get<bool>());
  EXPECT_EQ(disabled["plan"], "wait for MX to resume it (no refresh), user told (link: widget)");

  nlohmann::json denied = policy_after("DENIED");
  EXPECT_EQ(denied["action"], "reconnect_with_credentials");
  EXPECT_EQ(denied["link"], "widget_with_credentials");

  // The table shows the same, one "next:" line per member.
  CliRun table = cli({"status"});
  ASSERT_EQ(table.code, mxctl::kExitOk);
  EXPECT_NE(table.out.find("next: ask the user for new credentials (link: "
                           "widget_with_credentials)"),
            std::string::npos)
      << table.out;
}

}  // namespace
}  // namespace mxemu::testing
