// Repairing a member whose credentials MX refuses: `mxctl connect … --credential …` on a login
// that already has a member sends the new credentials to it (PUT …/members/{m}), instead of
// reusing the member with the credentials MX already refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

class MxctlRepairTest : public MxctlTest {
 protected:
  CliRun connect_by_api(const std::string& password, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "connect",      "u-repair",     "--institution", "mxbank",
        "--credential", "LOGIN=mxuser", "--credential",  "PASSWORD=" + password};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }
  int credential_puts(const std::string& member) {
    const std::string user = cli({"status", "--json"}).json()["members"][0]["user_guid"];
    return static_cast<int>(sent("PUT", "/users/" + user + "/members/" + member).size());
  }
};

TEST_F(MxctlRepairTest, NewCredentialsForADeniedMemberRepairItThroughTheApi) {
  ASSERT_EQ(cli({"enroll", "u-repair"}).code, mxctl::kExitOk);
  CliRun denied = connect_by_api("INVALID", {"--watch"});
  ASSERT_EQ(denied.code, mxctl::kExitNeedsUser) << denied.out << denied.err;
  EXPECT_NE(denied.out.find("DENIED"), std::string::npos) << denied.out;
  const std::string member = only_member();

  // The same login again, with the right password: MX answers 409 (one member per login), so
  // the member MX has is the one to repair, with the new credentials.
  CliRun repaired = connect_by_api("password", {"--watch", "--json"});
  EXPECT_EQ(repaired.code, mxctl::kExitOk) << repaired.out << repaired.err;
  EXPECT_EQ(repaired.json()["connection_status"], "CONNECTED") << repaired.out;
  EXPECT_EQ(repaired.json()["member_guid"], member);
  EXPECT_EQ(credential_puts(member), 1);
  EXPECT_NE(repaired.err.find("updated the credentials of member " + member), std::string::npos)
      << repaired.err;
  EXPECT_EQ(only_member(), member);  // repaired, not duplicated
  // No widget was involved: every status came from MX's replies and reads, none by a callback.
  const auto history = cli({"status", member, "--history", "20", "--json"}).json()["history"];
  ASSERT_FALSE(history.empty());
  for (const auto& row : history) EXPECT_NE(row["source"], "callback") << row.dump();
}

TEST_F(MxctlRepairTest, ReconnectWithCredentialsRepairsANamedMemberThroughTheApi) {
  const std::string member = enrol_and_connect("u-repair", "password");
  force_status(member, "IMPAIRED");  // MX lost some of the credentials
  ASSERT_EQ(cli({"status", member, "--live"}).code, mxctl::kExitOk);

  CliRun repaired = cli({"connect", "u-repair", "--reconnect", member, "--credential",
                         "PASSWORD=password", "--watch", "--json"});
  EXPECT_EQ(repaired.code, mxctl::kExitOk) << repaired.out << repaired.err;
  EXPECT_EQ(repaired.json()["connection_status"], "CONNECTED");
  EXPECT_EQ(credential_puts(member), 1);
  EXPECT_NE(repaired.err.find("updated the credentials of member " + member + " (was IMPAIRED)"),
            std::string::npos)
      << repaired.err;

  // Another app user's member is not theirs to repair.
  ASSERT_EQ(cli({"enroll", "u-other"}).code, mxctl::kExitOk);
  EXPECT_EQ(cli({"connect", "u-other", "--reconnect", member, "--credential", "PASSWORD=x"}).code,
            mxctl::kExitUsage);
  EXPECT_EQ(credential_puts(member), 1);
}

TEST_F(MxctlRepairTest, WithoutCredentialsTheRepairIsStillAWidgetUrl) {
  const std::string member = enrol_and_connect("u-repair", "UNAUTHORIZED", mxctl::kExitNeedsUser);
  const std::string user = cli({"status", "--json"}).json()["members"][0]["user_guid"];

  CliRun watched = cli({"watch", member});
  EXPECT_EQ(watched.code, mxctl::kExitNeedsUser);
  EXPECT_NE(watched.out.find("--reconnect " + member + " --credential"), std::string::npos)
      << watched.out;

  CliRun url = cli({"connect", "u-repair", "--reconnect", member, "--json"});
  ASSERT_EQ(url.code, mxctl::kExitOk) << url.err;
  EXPECT_FALSE(url.json()["widget_url"].get<std::string>().empty());
  const auto widget = sent("POST", "/users/" + user + "/widget_urls");
  ASSERT_FALSE(widget.empty());
  EXPECT_NE(widget.back().body.find("\"current_member_guid\":\"" + member + "\""),
            std::string::npos);
  EXPECT_NE(widget.back().body.find("\"update_credentials\":true"), std::string::npos);
  EXPECT_EQ(credential_puts(member), 0);
}

TEST_F(MxctlRepairTest, AHealthyMemberForTheSameLoginIsReusedNotOverwritten) {
  const std::string member = enrol_and_connect("u-repair", "password");
  CliRun again = connect_by_api("another-password", {"--json"});
  ASSERT_EQ(again.code, mxctl::kExitOk) << again.err;
  EXPECT_EQ(again.json()["member_guid"], member);
  EXPECT_EQ(credential_puts(member), 0);  // CONNECTED: its credentials are not the problem
  EXPECT_NE(again.err.find("MX already has member " + member), std::string::npos) << again.err;
}

}  // namespace
}  // namespace mxemu::testing
