// Tags and taggings through the API: the Business tag every user starts with, a user's own
// tags, taggings of the user's transactions, and what deleting a tag or a member does to them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> out;
  for (const auto& [k, v] : object.items()) out.insert(k);
  return out;
}

class Tags : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(60);
    const json page = body(c_.get(base() + "/transactions?records_per_page=10"));
    ASSERT_EQ(page["transactions"].size(), 10U);
    transactions_ = page["transactions"];
  }
  std::string base() const { return "/users/" + user_; }
  std::string txn(int i) const { return transactions_[i]["guid"]; }
  Response tag_transaction(const std::string& tag_guid, const std::string& transaction_guid) {
    return c_.post(base() + "/taggings",
                   {{"tagging", {{"tag_guid", tag_guid}, {"transaction_guid", transaction_guid}}}});
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
  json transactions_;
};

TEST_F(Tags, EveryUserStartsWithTheBusinessTag) {
  const json list = body(c_.get(base() + "/tags"));
  ASSERT_EQ(list["tags"].size(), 1U);
  const json business = list["tags"][0];
  EXPECT_EQ(keys_of(business), (std::set<std::string>{"guid", "name", "user_guid"}));
  EXPECT_EQ(business["name"], "Business");
  EXPECT_EQ(business["user_guid"], user_);
  EXPECT_EQ(business["guid"].get<std::string>().rfind("TAG-", 0), 0U);
  // Another user's Business tag is its own.
  const std::string bob = c_.create_user("bob");
  EXPECT_NE(body(c_.get("/users/" + bob + "/tags"))["tags"][0]["guid"], business["guid"]);
  EXPECT_EQ(c_.get("/users/" + bob + "/tags/" + business["guid"].get<std::string>()).status, 404);
}

TEST_F(Tags, ATagIsCreatedReadRenamedAndDeletedWithItsTaggings) {
  const auto created = c_.post(base() + "/tags", {{"tag", {{"name", "Vacation"}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json tag = body(created)["tag"];
  const std::string guid = tag["guid"];
  EXPECT_EQ(tag["name"], "Vacation");
  EXPECT_EQ(body(c_.get(base() + "/tags/" + guid))["tag"], tag);
  EXPECT_EQ(body(c_.get(base() + "/tags"))["tags"].size(), 2U);

  const auto tagged = tag_transaction(guid, txn(0));
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  const json tagging = body(tagged)["tagging"];
  EXPECT_EQ(keys_of(tagging), (std::set<std::string>{"guid", "member_is_managed_by_user",
                                                     "tag_guid", "transaction_guid", "user_guid"}));
  EXPECT_EQ(tagging["guid"].get<std::string>().rfind("TGN-", 0), 0U);
  EXPECT_EQ(tagging["tag_guid"], guid);
  EXPECT_EQ(tagging["transaction_guid"], txn(0));
  ASSERT_EQ(tag_transaction(guid, txn(1)).status, 200);
  EXPECT_EQ(tag_transaction(guid, txn(1)).status, 409);  // the same pair again

  const json by_tag = body(c_.get(base() + "/tags/" + guid + "/transactions"));
  ASSERT_EQ(by_tag["transactions"].size(), 2U);
  std::set<std::string> listed;
  for (const auto& t : by_tag["transactions"]) listed.insert(t["guid"].get<std::string>());
  EXPECT_EQ(listed, (std::set<std::string>{txn(0), txn(1)}));
  EXPECT_EQ(by_tag["pagination"]["total_entries"], 2);
  // The list's date filters apply: nothing tagged is from 2020.
  EXPECT_TRUE(body(c_.get(base() + "/tags/" + guid +
                          "/transactions?from_date=2020-01-01&to_date=2020-12-31"))["transactions"]
                  .empty());
  EXPECT_EQ(c_.get(base() + "/tags/" + guid + "/transactions?from_date=yesterday").status, 400);

  const auto renamed = c_.put(base() + "/tags/" + guid, {{"tag", {{"name", "Trips"}}}});
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(body(renamed)["tag"]["name"], "Trips");

  EXPECT_EQ(c_.del(base() + "/tags/" + guid).status, 204);
  EXPECT_EQ(c_.get(base() + "/tags/" + guid).status, 404);
  EXPECT_TRUE(body(c_.get(base() + "/taggings"))["taggings"].empty());
  EXPECT_EQ(c_.get(base() + "/tags/" + guid + "/transactions").status, 404);
}

TEST_F(Tags, ATaggingIsReadMovedToAnotherTagAndDeleted) {
  const std::string business = body(c_.get(base() + "/tags"))["tags"][0]["guid"];
  const std::string other =
      body(c_.post(base() + "/tags", {{"tag", {{"name", "Gifts"}}}}))["tag"]["guid"];
  const json tagging = body(tag_transaction(business, txn(2)))["tagging"];
  const std::string guid = tagging["guid"];
  EXPECT_EQ(body(c_.get(base() + "/taggings/" + guid))["tagging"], tagging);
  const auto moved = c_.put(base() + "/taggings/" + guid, {{"tagging", {{"tag_guid", other}}}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(body(moved)["tagging"]["tag_guid"], other);
  EXPECT_TRUE(body(c_.get(base() + "/tags/" + business + "/transactions"))["transactions"].empty());
  EXPECT_EQ(body(c_.get(base() + "/tags/" + other + "/transactions"))["transactions"].size(), 1U);
  EXPECT_EQ(c_.del(base() + "/taggings/" + guid).status, 204);
  EXPECT_EQ(c_.get(base() + "/taggings/" + guid).status, 404);
}

TEST_F(Tags, BadWritesAreRefusedAndChangeNothing) {
  const std::string business = body(c_.get(base() + "/tags"))["tags"][0]["guid"];
  const std::string bob = c_.create_user("bob");
  const std::string before = c_.get("/_emulator/snapshot").body;
  EXPECT_EQ(c_.post(base() + "/tags", json::object()).status, 400);
  EXPECT_EQ(c_.post(base() + "/tags", {{"tag", json::object()}}).status, 400);
  EXPECT_EQ(c_.post(base() + "/tags", {{"tag", {{"name", " "}}}}).status, 400);
  EXPECT_EQ(c_.post(base() + "/tags", {{"tag", {{"name", 3}}}}).status, 400);
  EXPECT_EQ(c_.post(base() + "/tags", {{"tag", {{"name", "Business"}}}}).status, 409);
  EXPECT_EQ(c_.put(base() + "/tags/TAG-none", {{"tag", {{"name", "x"}}}}).status, 404);
  EXPECT_EQ(c_.post(base() + "/taggings", {{"tagging", {{"tag_guid", business}}}}).status, 400);
  EXPECT_EQ(c_.post(base() + "/taggings", {{"tagging", {{"transaction_guid", txn(0)}}}}).status,
            400);
  EXPECT_EQ(tag_transaction("TAG-none", txn(0)).status, 404);
  EXPECT_EQ(tag_transaction(business, "TRN-none").status, 404);
  // Bob's tag on Alice's transaction, through Bob.
  const std::string bobs = body(c_.get("/users/" + bob + "/tags"))["tags"][0]["guid"];
  EXPECT_EQ(c_.post("/users/" + bob + "/taggings",
                    {{"tagging", {{"tag_guid", bobs}, {"transaction_guid", txn(0)}}}})
                .status,
            404);
  EXPECT_EQ(c_.del(base() + "/taggings/TGN-none").status, 404);
  EXPECT_EQ(c_.get("/_emulator/snapshot").body, before);
}

TEST_F(Tags, ADeletedMemberTakesTheTaggingsOfItsTransactions) {
  const std::string business = body(c_.get(base() + "/tags"))["tags"][0]["guid"];
  ASSERT_EQ(tag_transaction(business, txn(0)).status, 200);
  ASSERT_EQ(c_.del(base() + "/members/" + member_).status, 204);
  EXPECT_TRUE(body(c_.get(base() + "/taggings"))["taggings"].empty());
  EXPECT_EQ(body(c_.get(base() + "/tags"))["tags"].size(), 1U);  // the tags stay
}

}  // namespace
}  // namespace mxemu::api
