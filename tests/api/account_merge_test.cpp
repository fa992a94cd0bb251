// v20250224's mergeAccounts: the first account is kept, the others go with their transactions and
// the member's records about them, and later aggregations do not bring them back.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

class AccountMerge : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.use_version("v20250224");
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(60);
    ASSERT_EQ(c_.post(base() + "/members/" + member_ + "/verify").status, 200);
    c_.emu().advance(60);
    const json accounts = body(c_.get(base() + "/accounts"))["accounts"];
    ASSERT_GE(accounts.size(), 2U);
    for (const json& a : accounts) {
      if (a["type"] == "CHECKING" || a["type"] == "SAVINGS") guids_.push_back(a["guid"]);
    }
    ASSERT_GE(guids_.size(), 2U);
  }
  std::string base() const { return "/users/" + user_; }
  Response merge(const json& guids) {
    return c_.post(base() + "/accounts/merge", {{"account", {{"account_guids", guids}}}});
  }
  std::set<std::string> account_guids() {
    std::set<std::string> out;
    const json accounts = body(c_.get(base() + "/accounts"));
    for (const json& a : accounts["accounts"]) out.insert(a["guid"]);
    return out;
  }
  int transactions_of(const std::string& account) {
    return body(
        c_.get(base() + "/accounts/" + account + "/transactions"))["pagination"]["total_entries"];
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
  std::vector<std::string> guids_;
};

TEST_F(AccountMerge, TheFirstIsKeptAndTheOthersGoWithWhatBelongsToThem) {
  const std::string kept = guids_[0];
  const std::string gone = guids_[1];
  ASSERT_GT(transactions_of(gone), 0);
  const int kept_rows = transactions_of(kept);
  const Response r = merge({kept, gone});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["account"]["guid"], kept);
  EXPECT_EQ(account_guids().count(gone), 0U);
  EXPECT_EQ(account_guids().count(kept), 1U);
  EXPECT_EQ(c_.get(base() + "/accounts/" + gone).status, 404);
  EXPECT_EQ(transactions_of(kept), kept_rows);
  // The member's account numbers no longer name it.
  const json numbers = body(c_.get(base() + "/members/" + member_ + "/account_numbers"));
  for (const json& n : numbers["account_numbers"]) EXPECT_NE(n["account_guid"], gone);

  // The institution still reports it, but the merge holds.
  c_.emu().advance(4 * 3600);
  ASSERT_EQ(c_.post(base() + "/members/" + member_ + "/aggregate").status, 202);
  c_.emu().advance(60);
  EXPECT_EQ(account_guids().count(gone), 0U);
  EXPECT_EQ(c_.get(base() + "/accounts/" + gone + "/transactions").status, 404);
  EXPECT_EQ(account_guids().count(kept), 1U);
}

TEST_F(AccountMerge, FewerThanTwoDistinctOrForeignAccountsAreRefusedAndChangeNothing) {
  const std::set<std::string> before = account_guids();
  EXPECT_EQ(merge({guids_[0]}).status, 400);
  EXPECT_EQ(merge({guids_[0], guids_[0]}).status, 400);
  EXPECT_EQ(merge(json::array()).status, 400);
  EXPECT_EQ(merge({guids_[0], 7}).status, 400);
  EXPECT_EQ(c_.post(base() + "/accounts/merge", {{"account", json::object()}}).status, 400);
  EXPECT_EQ(c_.post(base() + "/accounts/merge", json::object()).status, 400);
  EXPECT_EQ(merge({guids_[0], "ACT-none"}).status, 404);
  const std::string bob = c_.create_user("bob");
  EXPECT_EQ(c_.post("/users/" + bob + "/accounts/merge",
                    {{"account", {{"account_guids", {guids_[0], guids_[1]}}}}})
                .status,
            404);
  EXPECT_EQ(account_guids(), before);
}

TEST_F(AccountMerge, OnlyV20250224ServesIt) {
  const std::set<std::string> before = account_guids();
  c_.use_version("v20111101");
  EXPECT_EQ(merge({guids_[0], guids_[1]}).status, 404);
  EXPECT_EQ(account_guids(), before);
}

TEST_F(AccountMerge, TheMergeSurvivesASnapshot) {
  ASSERT_EQ(merge({guids_[0], guids_[1]}).status, 200);
  const Response exported = c_.get("/_emulator/snapshot");
  ASSERT_EQ(exported.status, 200);
  ApiClient other;
  ASSERT_EQ(other.put("/_emulator/snapshot", json::parse(exported.body)).status, 200);
  other.emu().advance(4 * 3600);
  other.use_version("v20250224");
  ASSERT_EQ(other.post(base() + "/members/" + member_ + "/aggregate").status, 202);
  other.emu().advance(60);
  EXPECT_EQ(other.get(base() + "/accounts/" + guids_[1]).status, 404);
}

}  // namespace
}  // namespace mxemu::api
