// mxctl accounts and transactions (what the syncs stored, without sqlite3), errors as JSON with
// --json, and bad option values as usage errors (exit 2) before anything runs.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

class MxctlDataTest : public MxctlTest {
 protected:
  void SetUp() override {
    member_ = enrol_and_connect("u-data", "password");
    ASSERT_FALSE(member_.empty());
    CliRun synced = cli({"sync", member_, "--json"});
    ASSERT_EQ(synced.code, mxctl::kExitOk) << synced.err;
  }
  std::string member_;
};

TEST_F(MxctlDataTest, AccountsOfAMemberOrAUserAsATableOrJson) {
  CliRun by_member = cli({"accounts", member_, "--json"});
  ASSERT_EQ(by_member.code, mxctl::kExitOk) << by_member.err;
  const json accounts = by_member.json()["accounts"];
  ASSERT_FALSE(accounts.empty());
  for (const auto& a : accounts) {
    EXPECT_EQ(a["member_guid"], member_);
    EXPECT_EQ(a["guid"].get<std::string>().rfind("ACT-", 0), 0U);
    EXPECT_TRUE(a["balance"].is_number());
  }
  EXPECT_EQ(cli({"accounts", "--user", "u-data", "--json"}).json()["accounts"], accounts);

  CliRun table = cli({"accounts", member_});
  ASSERT_EQ(table.code, mxctl::kExitOk);
  std::istringstream rows(table.out);
  std::string header;
  std::string rule;
  std::getline(rows, header);
  std::getline(rows, rule);
  EXPECT_EQ(header.rfind("ACCOUNT", 0), 0U) << table.out;
  EXPECT_NE(header.find("BALANCE"), std::string::npos);
  EXPECT_EQ(rule.find_first_not_of("- "), std::string::npos) << rule;
  std::size_t lines = 0;
  for (std::string line; std::getline(rows, line);) {
    ++lines;
    // One row per account, in the JSON's order.
    EXPECT_EQ(line.find(accounts[lines - 1]["guid"].get<std::string>()), 0U) << line;
  }
  EXPECT_EQ(lines, accounts.size());
}

TEST_F(MxctlDataTest, TransactionsNewestFirstFilteredAndLimited) {
  CliRun all = cli({"transactions", member_, "--json"});
  ASSERT_EQ(all.code, mxctl::kExitOk) << all.err;
  const json txs = all.json()["transactions"];
  ASSERT_GT(txs.size(), 2U);
  EXPECT_EQ(all.json()["count"], txs.size());
  for (std::size_t i = 1; i < txs.size(); ++i) {
    EXPECT_GE(txs[i - 1]["date"].get<std::string>(), txs[i]["date"].get<std::string>());
  }
  EXPECT_FALSE(txs[0]["app_category"].get<std::string>().empty());

  CliRun limited = cli({"transactions", "--user", "u-data", "--limit", "2", "--json"});
  ASSERT_EQ(limited.code, mxctl::kExitOk);
  EXPECT_EQ(limited.json()["count"], 2);
  EXPECT_EQ(limited.json()["total"], txs.size());
  EXPECT_EQ(limited.json()["transactions"][0], txs[0]);

  const std::string day = txs[0]["date"];
  CliRun one_day = cli({"transactions", member_, "--from", day, "--to", day, "--json"});
  ASSERT_EQ(one_day.code, mxctl::kExitOk);
  const auto listed = one_day.json();  // a range over a temporary's member would dangle
  for (const auto& t : listed["transactions"]) EXPECT_EQ(t["date"], day);

  CliRun table = cli({"transactions", member_, "--limit", "3"});
  ASSERT_EQ(table.code, mxctl::kExitOk);
  EXPECT_EQ(table.out.rfind("DATE", 0), 0U) << table.out;
  EXPECT_NE(table.out.find("(the newest 3 of "), std::string::npos) << table.out;

  EXPECT_EQ(cli({"transactions", member_, "--from", "2024-02-02", "--to", "2024-02-01"}).code,
            mxctl::kExitUsage);
  EXPECT_EQ(cli({"transactions"}).code, mxctl::kExitUsage);  // neither member nor --user
  EXPECT_EQ(cli({"accounts", member_, "--user", "u-data"}).code, mxctl::kExitUsage);  // both
  EXPECT_EQ(cli({"accounts", "MBR-nobody"}).code, mxctl::kExitNotFound);
  EXPECT_EQ(cli({"transactions", "--user", "nobody"}).code, mxctl::kExitNotFound);
}

TEST_F(MxctlDataTest, WithJsonEveryErrorIsOneJsonObjectWithItsCode) {
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{"frobnicate", "--json"}, mxctl::kExitUsage, "usage"},
      {{"watch", "--json"}, mxctl::kExitUsage, "usage"},
      {{"watch", "MBR-nobody", "--json"}, mxctl::kExitNotFound, "not_found"},
      {{"accounts", "MBR-nobody", "--json"}, mxctl::kExitNotFound, "not_found"},
      {{"callback", "u-data", "{not json", "--json"}, mxctl::kExitUsage, "usage"},
      {{"connect", "u-data", "--platform", "fax", "--json"}, mxctl::kExitUsage, "usage"},
  };
  for (const Case& c : cases) {
    CliRun run = cli(c.args);
    EXPECT_EQ(run.code, c.exit) << c.args[0] << ": " << run.err;
    const auto parsed = json::parse(run.out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << c.args[0] << ": " << run.out;
    EXPECT_EQ(parsed["error"]["code"], c.code) << parsed.dump();
    EXPECT_EQ(parsed["error"]["exit_code"], c.exit);
    EXPECT_FALSE(parsed["error"]["message"].get<std::string>().empty());
  }
}

TEST_F(MxctlDataTest, BadOptionValuesExitTwoBeforeAnythingRuns) {
  const auto before = transport_->total_calls();
  const std::vector<std::vector<std::string>> bad = {
      {"watch", member_, "--interval", "0"},
      {"watch", member_, "--interval", "-3"},
      {"watch", member_, "--max-polls", "1.5"},
      {"watch", member_, "--max-polls", "0"},
      {"watch", member_, "--watch-timeout", "soon"},
      {"sync", member_, "--lookback-days", "-1"},
      {"transactions", member_, "--from", "2024-02-30"},
      {"transactions", member_, "--to", "yesterday"},
      {"transactions", member_, "--limit", "0"},
      {"refresh", "--due", "--sla-hours", "x"},
      {"refresh", "--due", "--max-in-flight", "99999999999"},
      {"status", member_, "--history", "-2"},
      {"webhooks", "serve", "--port", "65536"},
      {"--api-version", "v3", "status"},
  };
  for (const auto& args : bad) {
    CliRun run = cli(args);
    std::string line;
    for (const auto& a : args) line += a + " ";
    EXPECT_EQ(run.code, mxctl::kExitUsage) << line << run.err;
    EXPECT_FALSE(run.err.empty()) << line;
  }
  EXPECT_EQ(transport_->total_calls(), before);  // nothing reached MX
}

}  // namespace
}  // namespace mxemu::testing
