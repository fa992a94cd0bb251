#include "mxclient/category_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace mxclient {
namespace {

using json = nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// MX's taxonomy as the emulator serves it: (top_level_category, category) for every category,
// the way MX fills a transaction (a top-level category is its own top level).
struct MxCategory {
  std::string top_level;
  std::string name;
  std::string nature;
};

std::vector<MxCategory> load_mx_categories() {
  const json doc = json::parse(read_file(MXEMU_SOURCE_DIR "/fixtures/mx_categories.json"));
  std::map<std::string, std::string> name_of;
  for (const auto& c : doc.at("categories")) name_of[c.at("guid")] = c.at("name");
  std::vector<MxCategory> out;
  for (const auto& c : doc.at("categories")) {
    const std::string name = c.at("name");
    const std::string top = c.at("parent_guid").is_null() ? name : name_of.at(c.at("parent_guid"));
    out.push_back({top, name, c.at("nature")});
  }
  return out;
}

// A small valid mapping the error tests mutate.
json small_mapping() {
  return json::parse(R"({
    "version": 1,
    "default_category": "Other",
    "app_categories": ["Groceries", "Dining", "Income", "Transfers", "Other"],
    "income_categories": ["Income"],
    "transfer_categories": ["Transfers"],
    "rules": [
      {"mx_top_level_category": "Food & Dining", "app_category": "Dining"},
      {"mx_category": "Groceries", "app_category": "Groceries"},
      {"mx_top_level_category": "Income", "app_category": "Income"},
      {"mx_top_level_category": "Transfer", "app_category": "Transfers"},
      {"mx_top_level_category": "Food & Dining", "mx_category": "Coffee Shops",
       "app_category": "Groceries", "note": "pair rules beat category and top-level rules"}
    ]})");
}

std::string error_of(const json& doc) {
  const auto mapper = CategoryMapper::from_json(doc.dump());
  EXPECT_FALSE(mapper.ok()) << doc.dump();
  if (mapper.ok()) return "";
  EXPECT_EQ(mapper.error().kind, ErrorKind::kInvalidInput);
  return mapper.error().message;
}

TEST(CategoryMapperDefault, EmbeddedCopyEqualsTheDataFileByteForByte) {
  const std::string file = read_file(MXEMU_SOURCE_DIR "/client/data/default_category_mapping.json");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(CategoryMapper::default_mapping_json(), file)
      << "client/src/category_mapper_default.cpp drifted from "
         "client/data/default_category_mapping.json: paste the file between the delimiters";
  const auto from_file =
      CategoryMapper::from_file(MXEMU_SOURCE_DIR "/client/data/default_category_mapping.json");
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(from_file->app_categories(), CategoryMapper::default_mapper().app_categories());
}

TEST(CategoryMapperDefault, CoversEveryMxCategory) {
  const std::vector<MxCategory> categories = load_mx_categories();
  ASSERT_EQ(categories.size(), 21U + 98U);
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  const std::set<std::string> app(mapper.app_categories().begin(), mapper.app_categories().end());
  for (const auto& c : categories) {
    const std::string_view mapped = mapper.map(c.top_level, c.name);
    EXPECT_EQ(app.count(std::string(mapped)), 1U) << c.name;
    // Only MX's own "no category" family lands in the default, and by an explicit rule.
    if (c.top_level == "Uncategorized") {
      EXPECT_EQ(mapped, mapper.default_category()) << c.name;
    } else {
      EXPECT_NE(mapped, mapper.default_category()) << c.top_level << " / " << c.name;
    }
    // MX's nature survives the mapping: income stays income, transfers stay transfers.
    const AppCategoryNature nature = mapper.nature(mapped);
    EXPECT_EQ(to_string(nature), c.nature) << c.top_level << " / " << c.name << " -> " << mapped;
  }
  EXPECT_TRUE(mapper.unmapped().empty());
}

TEST(CategoryMapperDefault, KnownMappings) {
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  EXPECT_EQ(mapper.map("Food & Dining", "Groceries"), "Groceries");  // category beats top level
  EXPECT_EQ(mapper.map("Food & Dining", "Restaurants"), "Dining");
  EXPECT_EQ(mapper.map("Food & Dining", "Food & Dining"), "Dining");
  EXPECT_EQ(mapper.map("Home", "Home Insurance"), "Insurance");
  EXPECT_EQ(mapper.map("Income", "Paycheck"), "Income");
  EXPECT_EQ(mapper.map("Income", "Returned Purchase"), "Shopping");
  EXPECT_EQ(mapper.map("Investments", "Dividend & Cap Gains"), "Income");
  EXPECT_EQ(mapper.map("Investments", "Buy"), "Investments");
  EXPECT_EQ(mapper.map("Uncategorized", "Check"), "Other");
  EXPECT_EQ(mapper.default_category(), "Other");
  EXPECT_EQ(mapper.version(), 1);
  EXPECT_TRUE(mapper.unmapped().empty());
}

TEST(CategoryMapper, DirectionDoesNotChangeTheCategory) {
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  MxTransaction t;
  t.top_level_category = "Transfer";
  t.category = "Transfer";
  t.type = "CREDIT";
  EXPECT_EQ(mapper.map(t), "Transfers");  // money in, but not income
  EXPECT_EQ(mapper.nature(mapper.map(t)), AppCategoryNature::kTransfer);
  t.type = "DEBIT";
  EXPECT_EQ(mapper.map(t), "Transfers");
  t.top_level_category = "Income";
  t.category = "Paycheck";
  EXPECT_EQ(mapper.map(t), "Income");  // a reversed paycheck is still income-category
  EXPECT_EQ(mapper.nature("Income"), AppCategoryNature::kIncome);
  EXPECT_EQ(mapper.nature("Dining"), AppCategoryNature::kExpense);
}

TEST(CategoryMapper, UnknownCategoryIsBucketedAndReported) {
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  EXPECT_EQ(mapper.map("Crypto", "NFTs"), "Other");
  EXPECT_EQ(mapper.map("Crypto", "NFTs"), "Other");
  EXPECT_EQ(mapper.map("", ""), "Other");  // MX sent null for both
  EXPECT_EQ(mapper.map("Space Travel", "Rockets"), "Other");
  EXPECT_EQ(mapper.map("Food & Dining", "Food Trucks"), "Dining");  // a new subcategory: parent

  const std::vector<UnmappedCategory> report = mapper.unmapped();
  ASSERT_EQ(report.size(), 3U);
  EXPECT_EQ(report[0].top_level_category, "Crypto");
  EXPECT_EQ(report[0].category, "NFTs");
  EXPECT_EQ(report[0].count, 2U);
  EXPECT_EQ(report[1].top_level_category, "");
  EXPECT_EQ(report[1].count, 1U);
  EXPECT_EQ(report[2].top_level_category, "Space Travel");
  EXPECT_EQ(report[2].category, "Rockets");

  // The app never sees MX's raw names.
  for (const auto& u : report) {
    const auto& app = mapper.app_categories();
    EXPECT_EQ(std::find(app.begin(), app.end(), u.category), app.end());
  }

  CategoryMapper copy = mapper;  // a copy carries the report so far, then diverges
  copy.clear_unmapped();
  EXPECT_TRUE(copy.unmapped().empty());
  EXPECT_EQ(mapper.unmapped().size(), 3U);
  EXPECT_TRUE(CategoryMapper::default_mapper().unmapped().empty());  // fresh every call
}

TEST(CategoryMapper, PrecedencePairThenCategoryThenTopLevel) {
  auto mapper = CategoryMapper::from_json(small_mapping().dump());
  ASSERT_TRUE(mapper.ok()) << mapper.error().message;
  EXPECT_EQ(mapper->map("Food & Dining", "Coffee Shops"), "Groceries");  // pair rule
  EXPECT_EQ(mapper->map("Shopping", "Coffee Shops"), "Other");        // pair is only for its parent
  EXPECT_EQ(mapper->map("Food & Dining", "Groceries"), "Groceries");  // category rule
  EXPECT_EQ(mapper->map("Misc", "Groceries"), "Groceries");           // category wins, any parent
  EXPECT_EQ(mapper->map("Food & Dining", "Fast Food"), "Dining");     // top-level rule
  EXPECT_EQ(mapper->map("", "Food & Dining"), "Dining");              // category names a top level
  EXPECT_EQ(mapper->map("food & dining", "fast food"), "Other");      // exact match only
  EXPECT_EQ(mapper->unmapped().size(), 2U);
}

TEST(CategoryMapper, ConcurrentMappingCountsEveryMiss) {
  const CategoryMapper mapper = CategoryMapper::default_mapper();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&mapper] {
      for (int n = 0; n < 1000; ++n) {
        mapper.map("Food & Dining", "Groceries");
        mapper.map("New", "Thing");
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto report = mapper.unmapped();
  ASSERT_EQ(report.size(), 1U);
  EXPECT_EQ(report[0].count, 4000U);
}

TEST(CategoryMapperErrors, NameTheProblemAndItsPlace) {
  json doc = small_mapping();
  doc["rules"][1]["app_category"] = "Dinning";
  EXPECT_EQ(error_of(doc),
            "category mapping: rules[1].app_category: \"Dinning\" is not in app_categories");

  doc = small_mapping();
  doc["default_category"] = "Misc";
  EXPECT_EQ(error_of(doc), "category mapping: default_category: \"Misc\" is not in app_categories");

  doc = small_mapping();
  doc["rules"][2] = {{"mx_categroy", "Paycheck"}, {"app_category", "Income"}};
  EXPECT_EQ(error_of(doc), "category mapping: rules[2]: unknown key \"mx_categroy\"");

  doc = small_mapping();
  doc["rules"][3] = {{"app_category", "Income"}};
  EXPECT_EQ(error_of(doc),
            "category mapping: rules[3]: needs mx_category, mx_top_level_category or both");

  doc = small_mapping();
  doc["rules"].push_back({{"mx_category", "Groceries"}, {"app_category", "Dining"}});
  EXPECT_EQ(error_of(doc),
            "category mapping: rules[5]: repeats rules[1] (mx_category \"Groceries\")");

  doc = small_mapping();
  doc["app_categories"].push_back("Dining");
  EXPECT_EQ(error_of(doc), "category mapping: app_categories[5]: \"Dining\" is listed twice");

  doc = small_mapping();
  doc["transfer_categories"].push_back("Income");
  EXPECT_EQ(error_of(doc),
            "category mapping: transfer_categories[1]: \"Income\" already has a nature");

  doc = small_mapping();
  doc["version"] = 2;
  EXPECT_EQ(error_of(doc), "category mapping: version: must be 1, found 2");

  doc = small_mapping();
  doc.erase("rules");
  EXPECT_EQ(error_of(doc), "category mapping: rules: missing");

  doc = small_mapping();
  doc["rules"][0]["mx_top_level_category"] = "";
  EXPECT_EQ(error_of(doc), "category mapping: rules[0].mx_top_level_category: must not be empty");

  doc = small_mapping();
  doc["colour"] = "blue";
  EXPECT_EQ(error_of(doc), "category mapping: unknown key \"colour\"");
}

TEST(CategoryMapperErrors, BadJsonAndMissingFile) {
  const auto bad = CategoryMapper::from_json("{\"version\": 1,");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("invalid JSON at byte"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(CategoryMapper::from_json("[]").ok());
  const auto huge = CategoryMapper::from_json(R"({"version": 1e999})");  // not an abort
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("invalid JSON"), std::string::npos) << huge.error().message;

  const auto missing = CategoryMapper::from_file("/nonexistent/mapping.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(missing.error().message.find("/nonexistent/mapping.json"), std::string::npos);

  // A file's errors carry its path.
  const std::string path = ::testing::TempDir() + "mxclient_bad_mapping.json";
  json doc = small_mapping();
  doc["rules"][0]["app_category"] = "Nope";
  std::ofstream(path) << doc.dump(2);
  const auto from_file = CategoryMapper::from_file(path);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error().message,
            path + ": category mapping: rules[0].app_category: \"Nope\" is not in app_categories");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace mxclient
