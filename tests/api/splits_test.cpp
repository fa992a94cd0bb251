// Split transactions through the API: the parts a transaction is split into, what that does to
// the parent (has_been_split) and the parts (parent_guid), the amounts rule, un-splitting, and
// what aggregation and member deletion do to them.
#include <gtest/gtest.h>

#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

constexpr const char* kGroceries = "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb";

class Splits : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(60);
    const json page = body(c_.get(base() + "/transactions?records_per_page=50"));
    for (const json& t : page["transactions"]) {
      if (t["amount"].get<double>() >= 10.0) {
        parent_ = t;
        break;
      }
    }
    ASSERT_FALSE(parent_.is_null());
  }
  std::string base() const { return "/users/" + user_; }
  std::string split_path() const { return base() + "/transactions/" + guid() + "/split"; }
  std::string guid() const { return parent_["guid"]; }
  long long cents() const { return std::llround(parent_["amount"].get<double>() * 100); }
  json read(const std::string& g) {
    return body(c_.get(base() + "/transactions/" + g))["transaction"];
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
  json parent_;
};

TEST_F(Splits, PartsAddUpToTheParentAndNameIt) {
  const double first = 5.25;
  const double second = static_cast<double>(cents() - 525) / 100.0;
  const Response r = c_.post(split_path(), {{"transactions",
                                             {{{"amount", first},
                                               {"description", "Snacks"},
                                               {"memo", "for the trip"},
                                               {"category_guid", kGroceries}},
                                              {{"amount", second}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json parts = body(r)["transactions"];
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0]["amount"], first);
  EXPECT_EQ(parts[0]["description"], "Snacks");
  EXPECT_EQ(parts[0]["memo"], "for the trip");
  EXPECT_EQ(parts[0]["category_guid"], kGroceries);
  EXPECT_EQ(parts[0]["category"], "Food & Dining");
  EXPECT_EQ(parts[1]["description"], parent_["description"]);
  EXPECT_EQ(parts[1]["category_guid"], parent_["category_guid"]);
  for (const json& p : parts) {
    EXPECT_EQ(p["parent_guid"], guid());
    EXPECT_EQ(p["has_been_split"], false);
    EXPECT_NE(p["guid"], guid());
    EXPECT_EQ(p["account_guid"], parent_["account_guid"]);
    EXPECT_EQ(p["date"], parent_["date"]);
    EXPECT_EQ(p["type"], parent_["type"]);
    EXPECT_EQ(read(p["guid"])["parent_guid"], guid());  // stored, not just answered
  }
  const json parent = read(guid());
  EXPECT_EQ(parent["has_been_split"], true);
  EXPECT_TRUE(parent["parent_guid"].is_null());
  EXPECT_EQ(parent["amount"], parent_["amount"]);  // the parent stays as it was

  // Split once: the parent is refused again, and so is a part.
  EXPECT_EQ(c_.post(split_path(), {{"transactions", {{"amount", 1.0}}}}).status, 409);
  const std::string part_path =
      base() + "/transactions/" + parts[0]["guid"].get<std::string>() + "/split";
  EXPECT_EQ(c_.post(part_path, {{"transactions", {{"amount", 1.0}}}}).status, 400);
}

TEST_F(Splits, OnePartLeavesTheRestToASecond) {
  // The specs' request body holds a single part (SplitTransactionRequest).
  const Response r = c_.post(split_path(), {{"transactions", {{"amount", 1.5}, {"memo", "tip"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json parts = body(r)["transactions"];
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0]["amount"], 1.5);
  EXPECT_EQ(std::llround(parts[1]["amount"].get<double>() * 100), cents() - 150);
  EXPECT_TRUE(parts[1]["memo"].is_null());
}

TEST_F(Splits, AmountsThatDoNotAddUpAreRefusedAndChangeNothing) {
  const double whole = parent_["amount"];
  auto total = [&] {
    return body(c_.get(base() + "/transactions?records_per_page=10"))["pagination"]["total_entries"]
        .get<int>();
  };
  const int before = total();
  for (const json& request :
       {json{{"transactions", {{{"amount", 1.0}}, {{"amount", 1.0}}}}},
        json{{"transactions", {{"amount", whole}}}},
        json{{"transactions", {{"amount", whole + 1}}}}, json{{"transactions", {{"amount", -1.0}}}},
        json{{"transactions", {{"amount", 0.001}}}}, json{{"transactions", {{"amount", "1.00"}}}},
        json{{"transactions", json::array()}}, json{{"transactions", "x"}}, json::object()}) {
    const Response r = c_.post(split_path(), request);
    EXPECT_EQ(r.status, 400) << request.dump() << " " << r.body;
  }
  EXPECT_EQ(
      c_.post(split_path(), {{"transactions", {{"amount", 1.0}, {"category_guid", "CAT-none"}}}})
          .status,
      404);
  EXPECT_EQ(read(guid())["has_been_split"], false);
  EXPECT_EQ(total(), before);
  const std::string bob = c_.create_user("bob");
  EXPECT_EQ(c_.post("/users/" + bob + "/transactions/" + guid() + "/split",
                    {{"transactions", {{"amount", 1.0}}}})
                .status,
            404);
}

TEST_F(Splits, DeletingTheSplitRemovesThePartsAndAllowsAnotherSplit) {
  const json before = body(c_.get(base() + "/transactions?records_per_page=1"))["pagination"];
  const json parts =
      body(c_.post(split_path(), {{"transactions", {{"amount", 2.0}}}}))["transactions"];
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(
      body(c_.get(base() + "/transactions?records_per_page=1"))["pagination"]["total_entries"],
      before["total_entries"].get<int>() + 2);
  EXPECT_EQ(c_.del(split_path()).status, 204);
  EXPECT_EQ(read(guid())["has_been_split"], false);
  EXPECT_EQ(c_.get(base() + "/transactions/" + parts[0]["guid"].get<std::string>()).status, 404);
  EXPECT_EQ(
      body(c_.get(base() + "/transactions?records_per_page=1"))["pagination"]["total_entries"],
      before["total_entries"]);
  EXPECT_EQ(c_.del(split_path()).status, 204);  // nothing left to delete
  EXPECT_EQ(c_.post(split_path(), {{"transactions", {{"amount", 3.0}}}}).status, 200);
}

TEST_F(Splits, AnAggregationKeepsTheSplitAndDeletingTheMemberTakesTheParts) {
  const json parts =
      body(c_.post(split_path(), {{"transactions", {{"amount", 2.0}}}}))["transactions"];
  c_.emu().advance(4 * 3600);
  ASSERT_EQ(c_.post(base() + "/members/" + member_ + "/aggregate").status, 202);
  c_.emu().advance(60);
  EXPECT_EQ(read(guid())["has_been_split"], true);
  EXPECT_EQ(read(parts[1]["guid"])["parent_guid"], guid());
  EXPECT_EQ(c_.del(base() + "/members/" + member_).status, 204);
  EXPECT_EQ(c_.get(base() + "/transactions/" + parts[0]["guid"].get<std::string>()).status, 404);
}

TEST_F(Splits, V20250224SplitsUnderTheMembersAccount) {
  c_.use_version("v20250224");
  const std::string scoped = "/users/alice/members/" + member_ + "/accounts/" +
                             parent_["account_guid"].get<std::string>() + "/transactions/" +
                             guid() + "/split";
  EXPECT_EQ(c_.post("/users/alice/members/" + member_ + "/accounts/ACT-none/transactions/" +
                        guid() + "/split",
                    {{"transactions", {{"amount", 1.0}}}})
                .status,
            404);
  const Response r = c_.post(scoped, {{"transactions", {{"amount", 1.0}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["transactions"].size(), 2U);
  EXPECT_EQ(c_.del(scoped).status, 204);
  EXPECT_EQ(read(guid())["has_been_split"], false);
}

}  // namespace
}  // namespace mxemu::api
