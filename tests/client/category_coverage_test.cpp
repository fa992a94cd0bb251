// MX's category lists through the client (MxApi::list_default_categories, list_categories), the
// mapping's coverage of them (mxclient::coverage) and `mxctl categories`, against the emulator.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

constexpr const char* kFoodAndDining = "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb";

// Only Food & Dining and its subcategories: every other category is uncovered.
constexpr const char* kNarrowMapping = R"({"version": 1, "default_category": "Other",
  "app_categories": ["Food", "Other"],
  "rules": [{"mx_top_level_category": "Food & Dining", "app_category": "Food"}]})";

class CategoryCoverageTest : public MxctlTest {
 protected:
  // POST /users/{user}/categories with MX's credentials; returns the new category's guid.
  std::string create_category(const std::string& user_guid, const std::string& name,
                              const std::string& parent) {
    mxclient::HttpRequest r{"POST",
                            "/users/" + user_guid + "/categories",
                            {{"Content-Type", "application/json"},
                             {"Accept", "application/vnd.mx.api.v1+json"},
                             {"Authorization", "Basic Y2xpZW50OmtleQ=="}},
                            json{{"category", {{"name", name}, {"parent_guid", parent}}}}.dump()};
    auto reply = transport_->send(r);
    EXPECT_TRUE(reply && reply->status == 200) << (reply ? reply->body : reply.error().message);
    return reply ? json::parse(reply->body)["category"].value("guid", "") : "";
  }
  std::string write_mapping(const std::string& text) {
    const std::string path = dir_.file("mapping.json");
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(CategoryCoverageTest, TheBuiltInMappingCoversEveryOneOfMxsDefaultCategories) {
  auto listed = api_->list_default_categories();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 119U);  // every page walked
  const auto covered = mxclient::coverage(mapper_, *listed);
  for (const auto& c : covered) {
    EXPECT_TRUE(c.app_category.has_value()) << c.top_level_category << " / " << c.category.name;
    EXPECT_TRUE(c.category.is_default);
    EXPECT_FALSE(c.top_level_category.empty()) << c.category.name;
  }
  CliRun run = cli({"categories", "--json"});
  EXPECT_EQ(run.code, mxctl::kExitOk) << run.out << run.err;
  EXPECT_EQ(run.json()["total"], 119);
  EXPECT_EQ(run.json()["uncovered"], 0);
}

TEST_F(CategoryCoverageTest, ANarrowMappingIsReportedWithExitCode8) {
  const std::string mapping = write_mapping(kNarrowMapping);
  CliRun all = cli({"categories", "--mapping", mapping, "--json"});
  EXPECT_EQ(all.code, mxctl::kExitIncomplete) << all.err;
  const json body = all.json();
  EXPECT_EQ(body["total"], 119);
  int food = 0;
  for (const auto& c : body["categories"]) {
    if (c["top_level_category"] == "Food & Dining") {
      EXPECT_EQ(c["app_category"], "Food") << c.dump();
      ++food;
    } else {
      EXPECT_TRUE(c["app_category"].is_null()) << c.dump();
    }
  }
  EXPECT_GT(food, 5);
  EXPECT_EQ(body["uncovered"], 119 - food);

  CliRun uncovered = cli({"categories", "--mapping", mapping, "--uncovered", "--json"});
  EXPECT_EQ(uncovered.code, mxctl::kExitIncomplete);
  EXPECT_EQ(uncovered.json()["categories"].size(), static_cast<std::size_t>(119 - food));

  CliRun table = cli({"categories", "--mapping", mapping, "--uncovered"});
  EXPECT_NE(table.out.find("TOP LEVEL"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(none: default Other)"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("Groceries"), std::string::npos) << table.out;
}

TEST_F(CategoryCoverageTest, AUsersOwnCategoriesAreListedUnderTheirParent) {
  CliRun enrolled = cli({"enroll", "alice", "--json"});
  ASSERT_EQ(enrolled.code, mxctl::kExitOk) << enrolled.err;
  const std::string user = enrolled.json()["user_guid"];
  const std::string guid = create_category(user, "Farmers Market", kFoodAndDining);

  auto listed = api_->list_categories(user);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 120U);
  const auto covered = mxclient::coverage(mapper_, *listed);
  const auto& own = covered.back();
  EXPECT_EQ(own.category.guid, guid);
  EXPECT_FALSE(own.category.is_default);
  EXPECT_EQ(own.top_level_category, "Food & Dining");
  // Its transactions would carry (Food & Dining, Farmers Market): the top-level rule covers it.
  EXPECT_EQ(own.app_category, std::string(mapper_.map("Food & Dining", "Food & Dining")));

  CliRun run = cli({"categories", "alice", "--json"});
  EXPECT_EQ(run.code, mxctl::kExitOk) << run.err;
  EXPECT_EQ(run.json()["total"], 120);
  EXPECT_EQ(run.json()["categories"].back()["name"], "Farmers Market");
  EXPECT_EQ(cli({"categories", "nobody"}).code, mxctl::kExitNotFound);
}

}  // namespace
}  // namespace mxemu::testing
