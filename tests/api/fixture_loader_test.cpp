#include "api/fixture_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace mxemu::api {
namespace {

using domain::ChallengeType;
using domain::CredentialScript;
using nlohmann::json;

const domain::Institution* find(const FixtureSet& set, const std::string& code) {
  for (const auto& i : *set.institutions) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

bool has_guid_shape(const std::string& guid, const std::string& prefix) {
  if (guid.size() != prefix.size() + 37 || guid.rfind(prefix + "-", 0) != 0) return false;
  const std::string body = guid.substr(prefix.size() + 1);
  for (std::size_t i = 0; i < body.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (body[i] == '-')) return false;
    if (!dash && std::isxdigit(static_cast<unsigned char>(body[i])) == 0) return false;
  }
  return true;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::filesystem::path kRepoFixtures = MXEMU_SOURCE_DIR "/fixtures";

TEST(FixtureLoaderTest, EmbeddedSetLoads) {
  const auto set = load_embedded_fixtures();
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_GE(set->institutions->size(), 8U);
  EXPECT_FALSE(set->catalog->categories.empty());
  EXPECT_FALSE(set->catalog->merchants.empty());
}

TEST(FixtureLoaderTest, MxBankIsMxsTestInstitution) {
  const auto set = load_embedded_fixtures();
  ASSERT_TRUE(set.ok()) << set.error().message;
  const domain::Institution* mx = find(*set, "mxbank");
  ASSERT_NE(mx, nullptr);
  EXPECT_EQ(mx->name, "MX Bank");
  EXPECT_EQ(mx->script, CredentialScript::kMxBank);
  EXPECT_EQ(mx->throttle_window.count(), 0);  // "no aggregation limits"
  EXPECT_EQ(mx->challenge_type, ChallengeType::kText);
  EXPECT_FALSE(mx->supports_oauth);
  ASSERT_EQ(mx->credentials.size(), 2U);
  EXPECT_EQ(mx->credentials[0].guid, "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1");
  EXPECT_EQ(mx->credentials[0].field_name, "LOGIN");
  EXPECT_EQ(mx->credentials[0].label, "Username");
  EXPECT_TRUE(mx->credentials[0].is_login);
  EXPECT_EQ(mx->credentials[1].guid, "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d");
  EXPECT_EQ(mx->credentials[1].field_name, "PASSWORD");
  EXPECT_EQ(mx->credentials[1].label, "Password");
  EXPECT_TRUE(mx->credentials[1].is_password);
  std::vector<std::string> types;
  for (const auto& a : mx->accounts) types.push_back(a.type);
  EXPECT_EQ(types, (std::vector<std::string>{"CHECKING", "SAVINGS", "CREDIT_CARD", "LOAN",
                                             "MORTGAGE", "INVESTMENT"}));

  for (const char* code : {"mx_bank_oauth", "mxcu_oauth"}) {
    const domain::Institution* oauth = find(*set, code);
    ASSERT_NE(oauth, nullptr) << code;
    EXPECT_TRUE(oauth->supports_oauth) << code;
    EXPECT_EQ(oauth->script, CredentialScript::kOAuth) << code;
    EXPECT_TRUE(oauth->credentials.empty()) << code;
  }
  EXPECT_EQ(find(*set, "mx_bank_oauth")->name, "MX Bank (OAuth)");
  EXPECT_EQ(find(*set, "mxcu_oauth")->name, "MXCU (OAuth)");
}

TEST(FixtureLoaderTest, ExtendedInstitutionsDifferInThrottleAndChallengeStyle) {
  const auto set = load_embedded_fixtures();
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::set<long long> windows;
  std::set<ChallengeType> styles;
  int extended = 0;
  int two_step = 0;
  int third_credential = 0;
  int favorites = 0;
  std::set<std::string> guids;
  for (const auto& i : *set->institutions) {
    EXPECT_TRUE(has_guid_shape(i.guid, "INS")) << i.guid;
    EXPECT_TRUE(guids.insert(i.guid).second) << i.guid;
    EXPECT_GT(i.mfa_timeout.count(), 0) << i.code;
    EXPECT_FALSE(i.accounts.empty()) << i.code;
    favorites += i.is_favorite ? 1 : 0;
    for (const auto& c : i.credentials) {
      EXPECT_TRUE(has_guid_shape(c.guid, "CRD")) << c.guid;
      EXPECT_TRUE(guids.insert(c.guid).second) << c.guid;
    }
    if (i.script != CredentialScript::kExtended) continue;
    ++extended;
    windows.insert(i.throttle_window.count());
    styles.insert(i.challenge_type);
    two_step += i.two_step_mfa ? 1 : 0;
    third_credential += i.credentials.size() >= 3 ? 1 : 0;
  }
  EXPECT_GE(extended, 5);
  EXPECT_EQ(windows.size(), static_cast<std::size_t>(extended));
  EXPECT_EQ(windows.count(0), 0U);
  EXPECT_GE(styles.size(), 4U);
  EXPECT_GE(two_step, 1);
  EXPECT_GE(third_credential, 1);
  EXPECT_GE(favorites, 1);
}

TEST(FixtureLoaderTest, CatalogIsMxsTaxonomy) {
  const auto set = load_embedded_fixtures();
  ASSERT_TRUE(set.ok()) << set.error().message;
  const domain::DataCatalog& cat = *set->catalog;
  std::vector<std::string> tops;
  for (const auto* c : cat.top_level_categories()) tops.push_back(c->name);
  EXPECT_EQ(tops, (std::vector<std::string>{"Auto & Transport",
                                            "Bills & Utilities",
                                            "Business Services",
                                            "Education",
                                            "Entertainment",
                                            "Fees & Charges",
                                            "Financial",
                                            "Food & Dining",
                                            "Gifts & Donations",
                                            "Health & Fitness",
                                            "Home",
                                            "Income",
                                            "Investments",
                                            "Kids",
                                            "Personal Care",
                                            "Pets",
                                            "Shopping",
                                            "Taxes",
                                            "Transfer",
                                            "Travel",
                                            "Uncategorized"}));
  const domain::Category* groceries = cat.find_category("Groceries");
  ASSERT_NE(groceries, nullptr);
  EXPECT_EQ(groceries->guid, "CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8");  // MX's own guid
  EXPECT_EQ(groceries->top_level_name, "Food & Dining");
  EXPECT_EQ(cat.find_category_by_guid(groceries->parent_guid)->name, "Food & Dining");
  ASSERT_NE(cat.find_category("Paycheck"), nullptr);
  EXPECT_TRUE(cat.find_category("Paycheck")->is_income());
  EXPECT_EQ(cat.find_category("Credit Card Payment")->nature, domain::CategoryNature::kTransfer);
  EXPECT_EQ(cat.find_category("Restaurants")->nature, domain::CategoryNature::kExpense);
  EXPECT_EQ(cat.subcategories_of(cat.find_category("Food & Dining")->guid).size(), 5U);
  for (const auto& c : cat.categories) {
    EXPECT_TRUE(has_guid_shape(c.guid, "CAT")) << c.guid;
    EXPECT_FALSE(c.top_level_name.empty()) << c.name;
  }

  EXPECT_GE(cat.merchants.size(), 60U);
  int recurring = 0;
  for (const auto& m : cat.merchants) {
    EXPECT_TRUE(has_guid_shape(m.guid, "MCH")) << m.guid;
    EXPECT_NE(cat.find_category(m.category), nullptr) << m.name;
    EXPECT_LE(m.amount_min, m.amount_max) << m.name;
    recurring += m.recurrence != domain::Recurrence::kNone ? 1 : 0;
  }
  EXPECT_GE(recurring, 10);
  ASSERT_NE(cat.find_merchant("Whole Foods Market"), nullptr);
  EXPECT_EQ(cat.find_merchant("Whole Foods Market")->merchant_category_code, 5411);
}

void expect_same(const domain::Institution& a, const domain::Institution& b) {
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.guid, b.guid);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.small_logo_url, b.small_logo_url);
  EXPECT_EQ(a.medium_logo_url, b.medium_logo_url);
  EXPECT_EQ(a.forgot_password_url, b.forgot_password_url);
  EXPECT_EQ(a.forgot_username_url, b.forgot_username_url);
  EXPECT_EQ(a.trouble_signing_in_url, b.trouble_signing_in_url);
  EXPECT_EQ(a.instructional_text, b.instructional_text);
  EXPECT_EQ(a.iso_country_code, b.iso_country_code);
  EXPECT_EQ(a.supported_products(), b.supported_products());
  EXPECT_EQ(a.supports_oauth, b.supports_oauth);
  EXPECT_EQ(a.supports_tax_document, b.supports_tax_document);
  EXPECT_EQ(a.is_favorite, b.is_favorite);
  EXPECT_EQ(a.script, b.script);
  EXPECT_EQ(a.challenge_type, b.challenge_type);
  EXPECT_EQ(a.two_step_mfa, b.two_step_mfa);
  EXPECT_EQ(a.throttle_window, b.throttle_window);
  EXPECT_EQ(a.mfa_timeout, b.mfa_timeout);
  EXPECT_EQ(a.transactions_per_day, b.transactions_per_day);
  ASSERT_EQ(a.credentials.size(), b.credentials.size());
  for (std::size_t i = 0; i < a.credentials.size(); ++i) {
    EXPECT_EQ(a.credentials[i].guid, b.credentials[i].guid);
    EXPECT_EQ(a.credentials[i].field_name, b.credentials[i].field_name);
    EXPECT_EQ(a.credentials[i].label, b.credentials[i].label);
    EXPECT_EQ(a.credentials[i].field_type, b.credentials[i].field_type);
    EXPECT_EQ(a.credentials[i].display_order, b.credentials[i].display_order);
    EXPECT_EQ(a.credentials[i].is_login, b.credentials[i].is_login);
    EXPECT_EQ(a.credentials[i].is_password, b.credentials[i].is_password);
  }
  ASSERT_EQ(a.accounts.size(), b.accounts.size());
  for (std::size_t i = 0; i < a.accounts.size(); ++i) {
    EXPECT_EQ(a.accounts[i].type, b.accounts[i].type);
    EXPECT_EQ(a.accounts[i].subtype, b.accounts[i].subtype);
    EXPECT_EQ(a.accounts[i].name, b.accounts[i].name);
  }
}

TEST(FixtureLoaderTest, RepositoryDirectoryEqualsEmbeddedSet) {
  const auto embedded = load_embedded_fixtures();
  const auto from_dir = load_fixtures_dir(kRepoFixtures.string());
  ASSERT_TRUE(embedded.ok()) << embedded.error().message;
  ASSERT_TRUE(from_dir.ok()) << from_dir.error().message;
  ASSERT_EQ(embedded->institutions->size(), from_dir->institutions->size());
  for (std::size_t i = 0; i < embedded->institutions->size(); ++i) {
    expect_same((*embedded->institutions)[i], (*from_dir->institutions)[i]);
  }
  EXPECT_TRUE(*embedded->catalog == *from_dir->catalog);
}

// A scratch copy of the repository's fixtures that a test may break.
class BrokenFixtureDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("mxemu_fixture_loader_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const char* f : {"institutions.json", "mx_categories.json", "merchants.json"}) {
      std::filesystem::copy_file(kRepoFixtures / f, dir_ / f);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  json read(const std::string& file) const { return json::parse(read_text(dir_ / file)); }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(dir_ / file) << text;
  }
  std::string load_error() const {
    const auto set = load_fixtures_dir(dir_.string());
    if (set.ok()) return "(loaded)";
    EXPECT_EQ(set.error().code, domain::ErrorCode::kBadRequest);
    return set.error().message;
  }

  std::filesystem::path dir_;
};

TEST_F(BrokenFixtureDirTest, CopyLoads) { EXPECT_EQ(load_error(), "(loaded)"); }

TEST_F(BrokenFixtureDirTest, WrongTypeIsLocated) {
  json j = read("institutions.json");
  j["institutions"][3]["throttle_window_seconds"] = "3600";
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/3/throttle_window_seconds: expected integer");
}

TEST_F(BrokenFixtureDirTest, UnknownKeyIsLocated) {
  json j = read("institutions.json");
  j["institutions"][1]["throttle_window"] = 60;
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(), "institutions.json: /institutions/1/throttle_window: unknown key");
}

TEST_F(BrokenFixtureDirTest, SyntaxErrorNamesLineAndColumn) {
  write("institutions.json", "{\n  \"institutions\": [\n    {,\n  ]\n}\n");
  const std::string error = load_error();
  EXPECT_EQ(error.rfind("institutions.json: parse error at line 3, column 6", 0), 0U) << error;
}

// nlohmann reports a number beyond a double apart from syntax errors (out_of_range 406).
TEST_F(BrokenFixtureDirTest, ANumberBeyondADoubleIsAnErrorNotAnAbort) {
  write("institutions.json", "{\"institutions\": [1e999]}");
  const std::string error = load_error();
  EXPECT_EQ(error.rfind("institutions.json: number overflow", 0), 0U) << error;
}

TEST_F(BrokenFixtureDirTest, MissingFileIsNamed) {
  std::filesystem::remove(dir_ / "merchants.json");
  EXPECT_EQ(load_error().rfind("merchants.json: cannot read ", 0), 0U) << load_error();
}

TEST_F(BrokenFixtureDirTest, MerchantCategoryMustExist) {
  json j = read("merchants.json");
  j["merchants"][5]["category"] = "Grocery";
  write("merchants.json", j.dump(2));
  EXPECT_EQ(load_error(), "merchants.json: /merchants/5/category: unknown category \"Grocery\"");
}

TEST_F(BrokenFixtureDirTest, DuplicateCodeIsRejected) {
  json j = read("institutions.json");
  j["institutions"][4]["code"] = "mxbank";
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/4/code: duplicate code \"mxbank\" (also "
            "/institutions/0/code)");
}

TEST_F(BrokenFixtureDirTest, DuplicateCredentialGuidIsRejected) {
  json j = read("institutions.json");
  j["institutions"][3]["credentials"][0]["guid"] = "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1";
  write("institutions.json", j.dump(2));
  EXPECT_EQ(
      load_error(),
      "institutions.json: /institutions/3/credentials/0/guid: duplicate credential guid "
      "\"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1\" (also /institutions/0/credentials/0/guid)");
}

TEST_F(BrokenFixtureDirTest, CredentialInstitutionNeedsOnePassword) {
  json j = read("institutions.json");
  j["institutions"][0]["credentials"][0]["is_login"] = false;
  j["institutions"][0]["credentials"][0]["is_password"] = true;
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/0/credentials: expected exactly one password field "
            "(is_password), found 2");
}

TEST_F(BrokenFixtureDirTest, CredentialInstitutionNeedsALogin) {
  json j = read("institutions.json");
  j["institutions"][0]["credentials"][0]["is_login"] = false;
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/0/credentials: expected at least one login field "
            "(is_login)");
}

TEST_F(BrokenFixtureDirTest, OAuthInstitutionTakesNoCredentials) {
  json j = read("institutions.json");
  j["institutions"][1]["credentials"] = j["institutions"][0]["credentials"];
  j["institutions"][1]["credentials"][0]["guid"] = "CRD-00000000-0000-0000-0000-000000000001";
  j["institutions"][1]["credentials"][1]["guid"] = "CRD-00000000-0000-0000-0000-000000000002";
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/1/credentials: script oauth takes no "
            "credentials");
}

TEST_F(BrokenFixtureDirTest, EnumsListTheirValues) {
  json j = read("institutions.json");
  j["institutions"][2]["challenge_type"] = "text";
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "institutions.json: /institutions/2/challenge_type: expected one of "
            "TEXT, OPTIONS, TOKEN, IMAGE_DATA, IMAGE_OPTIONS");
}

TEST_F(BrokenFixtureDirTest, GuidsMustHaveMxsShape) {
  json j = read("mx_categories.json");
  j["categories"][0]["guid"] = "CAT-123";
  write("mx_categories.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "mx_categories.json: /categories/0/guid: expected a guid like "
            "CAT-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
}

TEST_F(BrokenFixtureDirTest, CategoriesNestOneLevel) {
  json j = read("mx_categories.json");
  // Make "Auto Insurance" (a subcategory) the parent of "Auto Payment".
  j["categories"][2]["parent_guid"] = j["categories"][1]["guid"];
  write("mx_categories.json", j.dump(2));
  EXPECT_EQ(load_error(),
            "mx_categories.json: /categories/2/parent_guid: parent must be a top-level category");
}

TEST_F(BrokenFixtureDirTest, MissingKeyIsLocated) {
  json j = read("institutions.json");
  j["institutions"][5]["accounts"][0].erase("type");
  write("institutions.json", j.dump(2));
  EXPECT_EQ(load_error(), "institutions.json: /institutions/5/accounts/0: missing key \"type\"");
}

TEST(ParseFixturesTest, CommentKeysAreIgnoredAndDefaultsApply) {
  const std::string institutions = R"({"_comment": "minimal", "institutions": [{
    "code": "tiny", "guid": "INS-00000000-0000-0000-0000-000000000001", "name": "Tiny Bank",
    "script": "extended", "accounts": [{"type": "CHECKING"}],
    "credentials": [
      {"guid": "CRD-00000000-0000-0000-0000-000000000001", "field_name": "LOGIN",
       "label": "Username", "field_type": "TEXT", "is_login": true},
      {"guid": "CRD-00000000-0000-0000-0000-000000000002", "field_name": "PASSWORD",
       "label": "Password", "field_type": "PASSWORD", "is_password": true}]}]})";
  const std::string categories = R"({"categories": [
    {"guid": "CAT-00000000-0000-0000-0000-000000000002", "name": "Food", "parent_guid": null,
     "nature": "expense"},
    {"guid": "CAT-00000000-0000-0000-0000-000000000001", "name": "Snacks",
     "parent_guid": "CAT-00000000-0000-0000-0000-000000000002", "nature": "expense"}]})";
  const std::string merchants = R"({"merchants": [
    {"guid": "MCH-00000000-0000-0000-0000-000000000001", "name": "Snack Shack",
     "category": "Snacks", "descriptors": ["SNACK SHACK {store}"], "amount_min": 1,
     "amount_max": 9, "account_types": ["CHECKING"]}]})";
  const auto set = parse_fixtures(institutions, categories, merchants);
  ASSERT_TRUE(set.ok()) << set.error().message;
  const domain::Institution& tiny = set->institutions->at(0);
  EXPECT_EQ(tiny.throttle_window.count(), 3 * 3600);  // MX's default throttle
  EXPECT_EQ(tiny.mfa_timeout.count(), 300);
  EXPECT_EQ(tiny.challenge_type, ChallengeType::kText);
  EXPECT_EQ(tiny.accounts.at(0).subtype, "NONE");
  EXPECT_EQ(tiny.credentials.at(1).display_order, 2);
  EXPECT_EQ(set->catalog->find_category("Snacks")->top_level_name, "Food");
  EXPECT_EQ(set->catalog->merchants.at(0).recurrence, domain::Recurrence::kNone);
  EXPECT_EQ(set->catalog->merchants.at(0).weight, 1.0);
}

TEST(ParseFixturesTest, NeverThrowsOnWrongRootShapes) {
  for (const char* text : {"[]", "null", "42", "{\"institutions\": {}}", ""}) {
    const auto set = parse_fixtures(text, "{}", "{}");
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.error().message.rfind("institutions.json: ", 0), 0U) << set.error().message;
  }
}

}  // namespace
}  // namespace mxemu::api
