// Rewards: fetch_rewards (MX's job rules: 200 with the member, 400 where unsupported, 409 while
// another job runs), the rewards it stores per member, their REWARD webhook, and the refresh
// every aggregation does.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/timestamps.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

class Rewards : public ::testing::Test {
 protected:
  // A user with a member at `institution`, its first aggregation finished.
  void connect(const std::string& institution) {
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, institution, "password")["member"]["guid"];
    c_.emu().advance(60);
  }
  std::string path() const { return "/users/" + user_ + "/members/" + member_; }
  Response fetch() {
    Request r = c_.request(Method::kPost, path() + "/fetch_rewards");
    r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");  // the Node SDK's
    return c_.send(r);
  }
  json rewards() { return body(c_.get(path() + "/rewards"))["rewards"]; }
  // The REWARD webhooks so far, oldest first.
  json reward_webhooks() {
    json out = json::array();
    const json events = body(c_.get("/_emulator/events"));
    for (const auto& e : events["events"]) {
      if (e["type"] == "REWARD") out.push_back(e["payload"]);
    }
    return out;
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
};

TEST_F(Rewards, EachCreditCardHasAnExpiringPointsBalanceInTheSpecsShape) {
  connect("keystone_card");  // two credit cards
  const json list = rewards();
  ASSERT_EQ(list.size(), 2U);
  const std::set<std::string> keys = {"balance",    "balance_type", "created_at", "description",
                                      "expires_on", "guid",         "unit_type",  "updated_at"};
  const std::string today = domain::format_day(domain::day_of(c_.emu()->now()));
  for (const auto& r : list) {
    std::set<std::string> seen;
    for (const auto& [k, v] : r.items()) seen.insert(k);
    EXPECT_EQ(seen, keys);
    EXPECT_EQ(r["guid"].get<std::string>().rfind("RWD-", 0), 0U);
    EXPECT_EQ(r["balance_type"], "EXPIRING_BALANCE");
    EXPECT_EQ(r["unit_type"], "POINTS");
    EXPECT_TRUE(r["balance"].is_number_integer());
    EXPECT_GE(r["balance"].get<int>(), 500);
    // The last day of this month.
    EXPECT_EQ(r["expires_on"].get<std::string>().substr(0, 7), today.substr(0, 7));
    EXPECT_GE(r["expires_on"].get<std::string>(), today);
  }
  EXPECT_NE(list[0]["guid"], list[1]["guid"]);
  const std::string guid = list[0]["guid"];
  EXPECT_EQ(body(c_.get(path() + "/rewards/" + guid))["reward"], list[0]);
  EXPECT_EQ(c_.get(path() + "/rewards/RWD-00000000-0000-0000-0000-000000000000").status, 404);
  const std::string bob = c_.create_user("bob");
  EXPECT_EQ(c_.get("/users/" + bob + "/members/" + member_ + "/rewards").status, 404);
}

TEST_F(Rewards, FetchRewardsIs200WithTheMemberThenAWebhookWithItsCounts) {
  connect("mxbank");
  ASSERT_EQ(rewards().size(), 1U);  // the aggregation gathered it already
  // Without daily aggregations the balance stays the last month's until fetched.
  ASSERT_EQ(c_.put(path(), {{"member", {{"background_aggregation_is_disabled", true}}}}).status,
            200);
  const json before = rewards()[0];
  c_.emu().advance(40 * 24 * 3600);
  EXPECT_EQ(rewards()[0], before);

  const Response r = fetch();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["member"]["guid"], member_);
  EXPECT_EQ(body(r)["member"]["is_being_aggregated"], true);
  c_.emu().advance(60);
  const json after = rewards()[0];
  EXPECT_EQ(after["guid"], before["guid"]);
  EXPECT_EQ(after["created_at"], before["created_at"]);
  EXPECT_NE(after["expires_on"], before["expires_on"]);
  EXPECT_NE(after["updated_at"], before["updated_at"]);
  const json hooks = reward_webhooks();
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_EQ(hooks[0]["action"], "member_data_updated");
  EXPECT_EQ(hooks[0]["member_guid"], member_);
  EXPECT_EQ(hooks[0]["rewards_created_count"], 0);
  EXPECT_EQ(hooks[0]["rewards_updated_count"], 1);

  // Again the same day: nothing changed.
  ASSERT_EQ(fetch().status, 200);
  c_.emu().advance(60);
  EXPECT_EQ(rewards()[0], after);
  ASSERT_EQ(reward_webhooks().size(), 2U);
  EXPECT_EQ(reward_webhooks()[1]["rewards_updated_count"], 0);
}

TEST_F(Rewards, DailyAggregationsRefreshTheRewardsWithoutAWebhook) {
  connect("mxbank");
  const json before = rewards()[0];
  c_.emu().advance(40 * 24 * 3600);
  const json after = rewards()[0];
  EXPECT_EQ(after["guid"], before["guid"]);
  EXPECT_NE(after["expires_on"], before["expires_on"]);
  EXPECT_TRUE(reward_webhooks().empty());
}

TEST_F(Rewards, AnInstitutionWithoutRewardsIs400AndABusyMemberIs409) {
  connect("summit_ridge_bank");
  const Response unsupported = fetch();
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(body(unsupported)["error"]["message"],
            "A premium aggregation-type job was requested, but the institution associated with "
            "the member does not support it.");
  EXPECT_TRUE(rewards().empty());

  user_ = c_.create_user("carol");
  member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];  // aggregating
  EXPECT_EQ(fetch().status, 409);
}

TEST_F(Rewards, ADeletedMemberTakesItsRewards) {
  connect("mxbank");
  ASSERT_EQ(rewards().size(), 1U);
  ASSERT_EQ(c_.del(path()).status, 204);
  const json snapshot = body(c_.get("/_emulator/snapshot"));
  EXPECT_TRUE(snapshot["emulator"]["store"]["rewards"].empty());
}

// creditCard: each credit card account names its product (credit_card_product_guid, MX's rewards
// account field), which GET /credit_card_products/{guid} serves; other accounts name none.
TEST_F(Rewards, ACreditCardAccountNamesItsProductWhichCreditCardServes) {
  connect("keystone_card");
  const json accounts = body(c_.get("/users/" + user_ + "/accounts"))["accounts"];
  std::set<std::string> products;
  for (const json& a : accounts) {
    ASSERT_TRUE(a.contains("credit_card_product_guid")) << a.dump();
    if (a["type"] != "CREDIT_CARD") {
      EXPECT_TRUE(a["credit_card_product_guid"].is_null()) << a.dump();
      continue;
    }
    const std::string guid = a["credit_card_product_guid"];
    products.insert(guid);
    const Response r = c_.get("/credit_card_products/" + guid);
    ASSERT_EQ(r.status, 200) << r.body;
    const json p = body(r)["credit_card_product"];
    EXPECT_EQ(p["guid"], guid);
    EXPECT_FALSE(p["name"].get<std::string>().empty());
    EXPECT_TRUE(p["annual_fee"].is_number());
    EXPECT_TRUE(p["has_cashback_rewards"].get<bool>() || p["has_travel_rewards"].get<bool>() ||
                p["has_other_rewards"].get<bool>());
    // The same account names the same product after another aggregation.
    c_.emu().advance(86400);
    EXPECT_EQ(body(c_.get("/users/" + user_ + "/accounts/" +
                          a["guid"].get<std::string>()))["account"]["credit_card_product_guid"],
              guid);
  }
  EXPECT_FALSE(products.empty());
  EXPECT_EQ(c_.get("/credit_card_products/CCA-00000000-0000-0000-0000-000000000000").status, 404);
  EXPECT_EQ(c_.get("/credit_card_products/nothing").status, 404);
  c_.use_version("v20250224");
  EXPECT_EQ(c_.get("/credit_card_products/" + *products.begin()).status, 200);
}

}  // namespace
}  // namespace mxemu::api
