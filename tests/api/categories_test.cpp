// Categories and merchants through the API: MX's default taxonomy, a user's own categories and
// what they do to the transactions filed under them, and the merchant catalog, each consistent
// with the guids generated transactions carry.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

constexpr const char* kFoodAndDining = "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb";
constexpr const char* kGroceries = "CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8";
constexpr const char* kPaycheck = "CAT-982ea9e6-3f0e-0c5b-611b-6657a10ba819";
constexpr const char* kIncome = "CAT-402c31ce-e4a3-7b36-2db1-eb996997422c";

json body(const Response& r) { return ApiClient::json(r); }

json new_category(const std::string& name, const std::string& parent) {
  return {{"category", {{"name", name}, {"parent_guid", parent}}}};
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> out;
  for (const auto& [k, v] : object.items()) out.insert(k);
  return out;
}

const std::set<std::string> kCategoryKeys = {"created_at", "guid", "is_default",  "is_income",
                                             "metadata",   "name", "parent_guid", "updated_at"};

TEST(Categories, TheDefaultsAreMxsTaxonomyPagedAsTheSpecsSay) {
  ApiClient c;
  const json first = body(c.get("/categories/default"));
  EXPECT_EQ(first["pagination"]["total_entries"], 119);  // "There are currently 119"
  EXPECT_EQ(first["pagination"]["per_page"], 25);
  ASSERT_EQ(first["categories"].size(), 25U);
  for (const auto& cat : first["categories"]) {
    EXPECT_EQ(keys_of(cat), kCategoryKeys);
    EXPECT_EQ(cat["is_default"], true);
    EXPECT_TRUE(cat["created_at"].is_string());
  }
  EXPECT_TRUE(first["categories"][0]["parent_guid"].is_null());  // Auto & Transport
  const json last = body(c.get("/categories/default?page=2&records_per_page=100"));
  EXPECT_EQ(last["categories"].size(), 19U);
  // Above this route's 100, records_per_page falls back to 25 (recordsPerPage in the specs).
  EXPECT_EQ(body(c.get("/categories/default?records_per_page=500"))["pagination"]["per_page"], 25);

  const std::string user = c.create_user("alice");
  const json by_user = body(c.get("/users/" + user + "/categories/default?records_per_page=500"));
  EXPECT_EQ(by_user["categories"].size(), 119U);  // the user routes allow up to 1000
  EXPECT_EQ(c.get("/users/USR-nobody/categories/default").status, 404);
}

TEST(Categories, ADefaultCategoryReadsWithItsParentAndWhetherItIsIncome) {
  ApiClient c;
  const json groceries = body(c.get(std::string("/categories/") + kGroceries))["category"];
  EXPECT_EQ(groceries["name"], "Groceries");
  EXPECT_EQ(groceries["parent_guid"], kFoodAndDining);
  EXPECT_EQ(groceries["is_income"], false);
  EXPECT_TRUE(groceries["metadata"].is_null());
  EXPECT_EQ(body(c.get(std::string("/categories/") + kPaycheck))["category"]["is_income"], true);
  const auto unknown = c.get("/categories/CAT-00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body(unknown)["error"]["message"], "We were unable to find the record you requested.");
}

TEST(Categories, AUsersOwnCategoryIsCreatedReadUpdatedAndDeleted) {
  ApiClient c;
  const std::string user = c.create_user("alice");
  const std::string base = "/users/" + user + "/categories";
  json request = new_category("Side Gig", kIncome);
  request["category"]["metadata"] = "from the app";
  const auto created = c.post(base, request);
  ASSERT_EQ(created.status, 200) << created.body;
  const json cat = body(created)["category"];
  EXPECT_EQ(keys_of(cat), kCategoryKeys);
  const std::string guid = cat["guid"];
  EXPECT_EQ(guid.rfind("CAT-", 0), 0U);
  EXPECT_EQ(cat["is_default"], false);
  EXPECT_EQ(cat["is_income"], true);  // its parent's
  EXPECT_EQ(cat["parent_guid"], kIncome);
  EXPECT_EQ(cat["metadata"], "from the app");
  EXPECT_EQ(cat["created_at"], cat["updated_at"]);

  const json listed = body(c.get(base + "?records_per_page=1000"));
  EXPECT_EQ(listed["pagination"]["total_entries"], 120);
  EXPECT_EQ(listed["categories"].back(), cat);
  EXPECT_EQ(body(c.get("/categories/default"))["pagination"]["total_entries"], 119);
  EXPECT_EQ(body(c.get(base + "/" + guid))["category"], cat);
  EXPECT_EQ(body(c.get(base + "/" + kGroceries))["category"]["name"], "Groceries");
  // Not a default category, and not another user's.
  EXPECT_EQ(c.get("/categories/" + guid).status, 404);
  const std::string bob = c.create_user("bob");
  EXPECT_EQ(c.get("/users/" + bob + "/categories/" + guid).status, 404);
  EXPECT_EQ(c.del("/users/" + bob + "/categories/" + guid).status, 404);

  c.emu().advance(60);
  const auto updated = c.put(base + "/" + guid, {{"category", {{"name", "Freelance"}}}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(body(updated)["category"]["name"], "Freelance");
  EXPECT_EQ(body(updated)["category"]["metadata"], "from the app");  // left alone
  EXPECT_NE(body(updated)["category"]["updated_at"], cat["updated_at"]);
  EXPECT_EQ(body(updated)["category"]["created_at"], cat["created_at"]);

  const auto deleted = c.del(base + "/" + guid);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(c.get(base + "/" + guid).status, 404);
  EXPECT_EQ(c.del(base + "/" + guid).status, 404);
  EXPECT_EQ(body(c.get(base))["pagination"]["total_entries"], 119);
}

TEST(Categories, BadCreatesAreRefusedAndChangeNothing) {
  ApiClient c;
  const std::string user = c.create_user("alice");
  const std::string base = "/users/" + user + "/categories";
  ASSERT_EQ(c.post(base, new_category("Mine", kFoodAndDining)).status, 200);
  const std::string before = c.get("/_emulator/snapshot").body;
  struct Case {
    json body;
    int status;
  };
  const Case cases[] = {
      {json::object(), 400},
      {{{"category", json::object()}}, 400},
      {{{"category", {{"parent_guid", kFoodAndDining}}}}, 400},                  // no name
      {{{"category", {{"name", "  "}, {"parent_guid", kFoodAndDining}}}}, 400},  // blank
      {{{"category", {{"name", "x"}}}}, 400},                                    // no parent
      {new_category("x", kGroceries), 400},                                      // not top-level
      {new_category("x", "CAT-00000000-0000-0000-0000-000000000000"), 400},
      {{{"category", {{"name", 7}, {"parent_guid", kFoodAndDining}}}}, 400},
      {new_category("Groceries", kFoodAndDining), 409},  // a default category's name
      {new_category("Mine", kIncome), 409},              // the user's own
  };
  for (const auto& k : cases) {
    const auto r = c.post(base, k.body);
    EXPECT_EQ(r.status, k.status) << k.body.dump() << " " << r.body;
    EXPECT_TRUE(body(r)["error"]["message"].is_string());
  }
  EXPECT_EQ(c.post("/users/USR-nobody/categories", new_category("x", kIncome)).status, 404);
  EXPECT_EQ(c.get("/_emulator/snapshot").body, before);
}

TEST(Categories, DefaultCategoriesCannotBeChangedOrDeleted) {
  ApiClient c;
  const std::string user = c.create_user("alice");
  const std::string groceries = "/users/" + user + "/categories/" + kGroceries;
  const std::string before = c.get("/_emulator/snapshot").body;
  const auto put = c.put(groceries, {{"category", {{"name", "Food"}}}});
  EXPECT_EQ(put.status, 400);
  EXPECT_EQ(body(put)["error"]["message"],
            "Default categories cannot be changed or deleted; create a custom category instead.");
  EXPECT_EQ(c.del(groceries).status, 400);
  EXPECT_EQ(c.get("/_emulator/snapshot").body, before);
  EXPECT_EQ(body(c.get(std::string("/categories/") + kGroceries))["category"]["name"], "Groceries");
}

class CategoriesWithData : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    c_.create_member(user_, "mxbank", "password");
    c_.emu().advance(60);
    const json page = body(c_.get("/users/" + user_ + "/transactions?records_per_page=1000"));
    ASSERT_GT(page["transactions"].size(), 100U);
    transactions_ = page["transactions"];
  }
  json transaction(const std::string& guid) {
    return body(c_.get("/users/" + user_ + "/transactions/" + guid))["transaction"];
  }
  Response file(const std::string& txn, const std::string& category) {
    return c_.put("/users/" + user_ + "/transactions/" + txn,
                  {{"transaction", {{"category_guid", category}}}});
  }

  ApiClient c_;
  std::string user_;
  json transactions_;
};

TEST_F(CategoriesWithData, EveryGuidATransactionCarriesReadsFromMxsLists) {
  std::set<std::string> categories;
  std::set<std::string> merchants;
  for (const auto& t : transactions_) {
    categories.insert(t["category_guid"].get<std::string>());
    if (!t["merchant_guid"].is_null()) merchants.insert(t["merchant_guid"].get<std::string>());
  }
  ASSERT_GT(categories.size(), 5U);
  ASSERT_GT(merchants.size(), 5U);
  for (const auto& guid : categories) {
    const auto r = c_.get("/categories/" + guid);
    ASSERT_EQ(r.status, 200) << guid;
    const json cat = body(r)["category"];
    // The transaction's category and top-level names are the list's.
    for (const auto& t : transactions_) {
      if (t["category_guid"] != guid) continue;
      EXPECT_EQ(t["category"], cat["name"]);
      const json top =
          cat["parent_guid"].is_null()
              ? cat
              : body(c_.get("/categories/" + cat["parent_guid"].get<std::string>()))["category"];
      EXPECT_EQ(t["top_level_category"], top["name"]);
      break;
    }
  }
  for (const auto& guid : merchants) {
    const auto r = c_.get("/merchants/" + guid);
    ASSERT_EQ(r.status, 200) << guid;
    for (const auto& t : transactions_) {
      if (t["merchant_guid"] != guid) continue;
      EXPECT_EQ(t["description"], body(r)["merchant"]["name"]);
      break;
    }
  }
}

TEST_F(CategoriesWithData, ATransactionIsFiledUnderADefaultOrTheUsersOwnCategory) {
  const std::string txn = transactions_[0]["guid"];
  const auto to_groceries = file(txn, kGroceries);
  ASSERT_EQ(to_groceries.status, 200) << to_groceries.body;
  EXPECT_EQ(body(to_groceries)["transaction"]["category"], "Groceries");
  EXPECT_EQ(body(to_groceries)["transaction"]["category_guid"], kGroceries);
  EXPECT_EQ(body(to_groceries)["transaction"]["top_level_category"], "Food & Dining");

  const auto unknown = file(txn, "CAT-00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body(unknown)["error"]["message"], "Unrecognized category.");
  EXPECT_EQ(transaction(txn)["category_guid"], kGroceries);  // unchanged

  const std::string base = "/users/" + user_ + "/categories";
  const std::string mine =
      body(c_.post(base, new_category("Farmers Market", kFoodAndDining)))["category"]["guid"];
  ASSERT_EQ(file(txn, mine).status, 200);
  json t = transaction(txn);
  EXPECT_EQ(t["category"], "Farmers Market");
  EXPECT_EQ(t["category_guid"], mine);
  EXPECT_EQ(t["top_level_category"], "Food & Dining");
  // Another user's category is not this user's to use.
  const std::string bob = c_.create_user("bob");
  const std::string his = body(
      c_.post("/users/" + bob + "/categories", new_category("Bobs", kIncome)))["category"]["guid"];
  EXPECT_EQ(file(txn, his).status, 404);

  // Renaming follows into the transactions; deleting moves them to the parent.
  ASSERT_EQ(c_.put(base + "/" + mine, {{"category", {{"name", "Farm Stands"}}}}).status, 200);
  EXPECT_EQ(transaction(txn)["category"], "Farm Stands");
  ASSERT_EQ(c_.del(base + "/" + mine).status, 204);
  t = transaction(txn);
  EXPECT_EQ(t["category"], "Food & Dining");
  EXPECT_EQ(t["category_guid"], kFoodAndDining);
  EXPECT_EQ(t["top_level_category"], "Food & Dining");
}

TEST_F(CategoriesWithData, AUsersCategoriesGoWithTheUser) {
  const std::string base = "/users/" + user_ + "/categories";
  ASSERT_EQ(c_.post(base, new_category("Farmers Market", kFoodAndDining)).status, 200);
  ASSERT_EQ(c_.del("/users/" + user_).status, 204);
  EXPECT_TRUE(body(c_.get("/_emulator/snapshot"))["emulator"]["store"]["categories"].empty());
}

TEST(Categories, V20250224TakesTheUsersIdAndAnswersTheSameShape) {
  ApiClient c;
  c.use_version("v20250224");
  c.create_user("alice");
  const auto created = c.post("/users/alice/categories", new_category("Side Gig", kIncome));
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(keys_of(body(created)["category"]), kCategoryKeys);
  const std::string guid = body(created)["category"]["guid"];
  EXPECT_EQ(c.get("/users/alice/categories/" + guid).status, 200);
  EXPECT_EQ(body(c.get("/categories/default"))["pagination"]["total_entries"], 119);
}

TEST(Merchants, TheCatalogIsListedFilteredByNameAndRead) {
  ApiClient c;
  const json all = body(c.get("/merchants?records_per_page=1000"));
  EXPECT_EQ(all["pagination"]["total_entries"], all["merchants"].size());
  ASSERT_GT(all["merchants"].size(), 50U);
  const std::set<std::string> keys = {"created_at", "guid",       "logo_url",
                                      "name",       "updated_at", "website_url"};
  for (const auto& m : all["merchants"]) EXPECT_EQ(keys_of(m), keys);
  EXPECT_EQ(body(c.get("/merchants"))["merchants"].size(), 25U);

  const json whole = body(c.get("/merchants?name=whole%20foods"));
  ASSERT_EQ(whole["merchants"].size(), 1U);
  EXPECT_EQ(whole["merchants"][0]["name"], "Whole Foods Market");
  EXPECT_TRUE(body(c.get("/merchants?name=zzzz"))["merchants"].empty());

  const std::string guid = whole["merchants"][0]["guid"];
  const auto read = c.get("/merchants/" + guid);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(body(read)["merchant"], whole["merchants"][0]);
  EXPECT_EQ(c.get("/merchants/MCH-00000000-0000-0000-0000-000000000000").status, 404);
}

}  // namespace
}  // namespace mxemu::api
