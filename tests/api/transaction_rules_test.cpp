// Transaction rules through the API: a rule files the user's matching transactions when it is
// made or changed and every matching transaction an aggregation brings later; bad rules are
// refused and change nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

constexpr const char* kGifts = "CAT-a619f3a6-ce4b-7395-2b64-b96bd688edb1";  // Gifts & Donations
constexpr const char* kFoodAndDining = "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb";

json body(const Response& r) { return ApiClient::json(r); }

class TransactionRules : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(60);
    // The most frequent description: a recurring merchant, so older history has it too.
    std::map<std::string, int> counts;
    for (const auto& t : all()) ++counts[t["description"].get<std::string>()];
    for (const auto& [d, n] : counts) {
      if (n > counts[frequent_]) frequent_ = d;
    }
    ASSERT_GE(counts[frequent_], 3);
  }
  std::string base() const { return "/users/" + user_; }
  // Every page of the user's transactions since 2000.
  json all() {
    json out = json::array();
    for (int page = 1;; ++page) {
      const json r =
          body(c_.get(base() + "/transactions?from_date=2000-01-01&records_per_page=1000&page=" +
                      std::to_string(page)));
      for (const auto& t : r["transactions"]) out.push_back(t);
      if (page >= r["pagination"]["total_pages"].get<int>()) return out;
    }
  }
  // How many of the user's transactions have this description and category guid.
  int count(const std::string& description, const std::string& category_guid) {
    int n = 0;
    for (const auto& t : all()) {
      n += t["description"] == description && t["category_guid"] == category_guid ? 1 : 0;
    }
    return n;
  }
  Response create(const json& rule) {
    return c_.post(base() + "/transaction_rules", {{"transaction_rule", rule}});
  }

  // Extended history reaches 150 days back, not MX's two years: the rows an aggregation brings
  // later are what matters, and listing two years of them after every step took 2 minutes
  // under ASan, near CI's 5-minute limit per test.
  static domain::EmulatorOptions options() {
    domain::EmulatorOptions o;
    o.extended_history_days = 150;
    return o;
  }
  ApiClient c_{options()};
  std::string user_;
  std::string member_;
  std::string frequent_;
};

TEST_F(TransactionRules, ARuleFilesTheMatchingTransactionsNowAndLater) {
  // Matched without regard to case, on part of the description.
  std::string needle = frequent_.substr(0, 5);
  for (char& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto created = create(
      {{"match_description", needle}, {"category_guid", kGifts}, {"description", "By rule"}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json rule = body(created)["transaction_rule"];
  std::set<std::string> keys;
  for (const auto& [k, v] : rule.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"category_guid", "created_at", "description", "guid",
                                         "match_description", "updated_at", "user_guid"}));
  EXPECT_EQ(rule["guid"].get<std::string>().rfind("TXR-", 0), 0U);
  const int now = count("By rule", kGifts);
  EXPECT_GE(now, 3);
  for (const auto& t : all()) {
    if (t["description"] == "By rule") {
      EXPECT_EQ(t["category"], "Gifts & Donations");
    }
  }

  // Older history comes in: its matching rows are filed too.
  Request history =
      c_.request(Method::kPost, "/users/" + user_ + "/members/" + member_ + "/extend_history");
  ASSERT_EQ(c_.send(history).status, 202);
  c_.emu().advance(60);
  EXPECT_GT(count("By rule", kGifts), now);

  // Deleting the rule leaves the transactions as the rule filed them.
  const std::string guid = rule["guid"];
  EXPECT_EQ(body(c_.get(base() + "/transaction_rules/" + guid))["transaction_rule"], rule);
  EXPECT_EQ(body(c_.get(base() + "/transaction_rules"))["transaction_rules"].size(), 1U);
  const int after_history = count("By rule", kGifts);
  EXPECT_EQ(c_.del(base() + "/transaction_rules/" + guid).status, 204);
  EXPECT_EQ(c_.get(base() + "/transaction_rules/" + guid).status, 404);
  EXPECT_EQ(count("By rule", kGifts), after_history);
}

TEST_F(TransactionRules, ChangingARuleAppliesItAgainAndItFollowsItsCategory) {
  const std::string mine = body(c_.post(
      base() + "/categories",
      {{"category", {{"name", "Regulars"}, {"parent_guid", kFoodAndDining}}}}))["category"]["guid"];
  const json rule = body(
      create({{"match_description", frequent_}, {"category_guid", kGifts}}))["transaction_rule"];
  EXPECT_TRUE(rule["description"].is_null());
  const std::string guid = rule["guid"];
  c_.emu().advance(60);
  const auto updated = c_.put(base() + "/transaction_rules/" + guid,
                              {{"transaction_rule", {{"category_guid", mine}}}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(body(updated)["transaction_rule"]["match_description"], frequent_);  // unchanged
  EXPECT_NE(body(updated)["transaction_rule"]["updated_at"], rule["updated_at"]);
  EXPECT_GE(count(frequent_, mine), 3);
  // Its category deleted, the rule and its transactions move to the parent.
  ASSERT_EQ(c_.del(base() + "/categories/" + mine).status, 204);
  EXPECT_EQ(
      body(c_.get(base() + "/transaction_rules/" + guid))["transaction_rule"]["category_guid"],
      kFoodAndDining);
  EXPECT_GE(count(frequent_, kFoodAndDining), 3);
}

TEST_F(TransactionRules, BadRulesAreRefusedAndChangeNothing) {
  const std::string before = c_.get("/_emulator/snapshot").body;
  EXPECT_EQ(c_.post(base() + "/transaction_rules", json::object()).status, 400);
  EXPECT_EQ(create(json::object()).status, 400);
  EXPECT_EQ(create({{"category_guid", kGifts}}).status, 400);
  EXPECT_EQ(create({{"match_description", " "}, {"category_guid", kGifts}}).status, 400);
  EXPECT_EQ(create({{"match_description", "x"}}).status, 400);
  EXPECT_EQ(create({{"match_description", 1}, {"category_guid", kGifts}}).status, 400);
  const auto unknown = create({{"match_description", "x"}, {"category_guid", "CAT-none"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body(unknown)["error"]["message"], "Unrecognized category.");
  EXPECT_EQ(c_.put(base() + "/transaction_rules/TXR-none",
                   {{"transaction_rule", {{"match_description", "x"}}}})
                .status,
            404);
  EXPECT_EQ(c_.del(base() + "/transaction_rules/TXR-none").status, 404);
  EXPECT_EQ(c_.post("/users/USR-nobody/transaction_rules",
                    {{"transaction_rule", {{"match_description", "x"}, {"category_guid", kGifts}}}})
                .status,
            404);
  EXPECT_EQ(c_.get("/_emulator/snapshot").body, before);
}

}  // namespace
}  // namespace mxemu::api
