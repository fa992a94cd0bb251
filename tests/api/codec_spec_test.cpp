// The codec's fidelity test: every rendered resource has exactly the property set (and, for
// non-null values, the JSON type) that MX's OpenAPI files declare for its *Response schema, in
// each API version. The spec files live outside the repository (MXEMU_SHARED_DIR); without
// them every test here is skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec.h"
#include "domain/timestamps.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

// --- a tiny, tolerant reader for components/schemas/<Name>/properties of an OpenAPI YAML
// file. It relies on indentation only (no YAML library): the block under a key is every
// following line that is blank, a comment, or indented deeper than the key.

struct Line {
  int indent;
  std::string text;  // without indentation and trailing whitespace
};

std::vector<Line> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<Line> out;
  std::string raw;
  while (std::getline(in, raw)) {
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ')) raw.pop_back();
    const auto first = raw.find_first_not_of(' ');
    if (first == std::string::npos || raw[first] == '#') continue;  // blank or comment
    out.push_back({static_cast<int>(first), raw.substr(first)});
  }
  return out;
}

// "name:" or "name: value" → name (quotes stripped); nullopt for anything else ("- x", ...).
std::optional<std::string> key_of(const std::string& text) {
  if (text.empty() || text[0] == '-') return std::nullopt;
  if (text[0] == '\'' || text[0] == '"') {
    const auto close = text.find(text[0], 1);
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    return text.substr(1, close - 1);
  }
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  if (colon + 1 < text.size() && text[colon + 1] != ' ') return std::nullopt;
  std::string key = text.substr(0, colon);
  if (key.find(' ') != std::string::npos) return std::nullopt;
  return key;
}

// The value of "key: value", trimmed; "" when there is none.
std::string value_of(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon + 1 >= text.size()) return "";
  std::string v = text.substr(colon + 1);
  v.erase(0, v.find_first_not_of(' '));
  return v;
}

// Index of the direct child `key` of the entry at `parent` (or of the top level when parent is
// -1), or -1. Children are the lines of the parent's block at the block's first indent.
int find_child(const std::vector<Line>& lines, int parent, std::string_view key) {
  const int parent_indent = parent < 0 ? -1 : lines[parent].indent;
  const std::size_t begin = static_cast<std::size_t>(parent + 1);
  if (begin >= lines.size() || lines[begin].indent <= parent_indent) return -1;
  const int child_indent = lines[begin].indent;
  for (std::size_t i = begin; i < lines.size() && lines[i].indent > parent_indent; ++i) {
    if (lines[i].indent == child_indent && key_of(lines[i].text) == std::string(key)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Property name → its declared `type` ("" when it has none, e.g. a bare $ref).
using Properties = std::map<std::string, std::string>;

std::optional<Properties> schema_properties(const std::vector<Line>& lines,
                                            std::string_view schema) {
  int at = find_child(lines, -1, "components");
  if (at >= 0) at = find_child(lines, at, "schemas");
  if (at >= 0) at = find_child(lines, at, schema);
  if (at >= 0) at = find_child(lines, at, "properties");
  if (at < 0) return std::nullopt;
  const int props_indent = lines[static_cast<std::size_t>(at)].indent;
  Properties out;
  std::size_t i = static_cast<std::size_t>(at) + 1;
  if (i >= lines.size() || lines[i].indent <= props_indent) return out;
  const int key_indent = lines[i].indent;
  std::string current;
  int child_indent = -1;  // indent of the current property's own keys
  for (; i < lines.size() && lines[i].indent > props_indent; ++i) {
    const Line& l = lines[i];
    if (l.indent == key_indent) {
      current.clear();
      if (auto k = key_of(l.text)) {
        current = *k;
        out[current];
        const bool has_block = i + 1 < lines.size() && lines[i + 1].indent > key_indent;
        child_indent = has_block ? lines[i + 1].indent : -1;
      }
    } else if (!current.empty() && l.indent == child_indent && key_of(l.text) == "type") {
      // Only the property's own `type`, not one nested under items/properties.
      out[current] = value_of(l.text);
    }
  }
  return out;
}

// The property names under `property:` → `properties:` anywhere inside the block of
// components/schemas/<schema> (for allOf members, which the reader above does not follow);
// nullopt when there is no such property.
std::optional<std::set<std::string>> nested_property_names(const std::vector<Line>& lines,
                                                           std::string_view schema,
                                                           std::string_view property) {
  int at = find_child(lines, -1, "components");
  if (at >= 0) at = find_child(lines, at, "schemas");
  if (at >= 0) at = find_child(lines, at, schema);
  if (at < 0) return std::nullopt;
  const int schema_indent = lines[static_cast<std::size_t>(at)].indent;
  for (std::size_t i = static_cast<std::size_t>(at) + 1;
       i < lines.size() && lines[i].indent > schema_indent; ++i) {
    if (key_of(lines[i].text) != property) continue;
    const int props = find_child(lines, static_cast<int>(i), "properties");
    if (props < 0) continue;
    std::set<std::string> names;
    const int props_indent = lines[static_cast<std::size_t>(props)].indent;
    const std::size_t first = static_cast<std::size_t>(props) + 1;
    if (first >= lines.size() || lines[first].indent <= props_indent) return names;
    for (std::size_t j = first; j < lines.size() && lines[j].indent > props_indent; ++j) {
      if (lines[j].indent != lines[first].indent) continue;
      if (auto k = key_of(lines[j].text)) names.insert(*k);
    }
    return names;
  }
  return std::nullopt;
}

// --- the spec files, read once

const std::vector<Line>* spec_lines(ApiVersion v) {
  static std::map<ApiVersion, std::optional<std::vector<Line>>> cache;
  auto it = cache.find(v);
  if (it == cache.end()) {
    const std::filesystem::path path = std::filesystem::path(MXEMU_SHARED_DIR) / "reference" /
                                       "mx-openapi" / (std::string(to_string(v)) + ".yml");
    std::optional<std::vector<Line>> lines;
    if (std::filesystem::is_regular_file(path)) lines = read_lines(path);
    it = cache.emplace(v, std::move(lines)).first;
  }
  return it->second ? &*it->second : nullptr;
}

#define REQUIRE_SPEC(v)                                    \
  const std::vector<Line>* spec = spec_lines(v);           \
  if (spec == nullptr)                                     \
    GTEST_SKIP() << "MX OpenAPI file for " << to_string(v) \
                 << " not found under " MXEMU_SHARED_DIR;  \
  static_cast<void>(0)

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& k : s) out += (out.empty() ? "" : ", ") + k;
  return out;
}

bool type_matches(const json& value, const std::string& type) {
  if (value.is_null() || type.empty()) return true;
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return true;
}

// Documented departures from the spec's declared types: MX's own spec bugs.
bool known_type_bug(std::string_view schema, std::string_view key) {
  // mx-behavior.md §2d: "most_recent_job_guid ("JOB-…"; the spec types it boolean, which is a
  // spec bug)"; most_recent_job_detail_text is likewise text typed boolean.
  if (schema == "MemberResponse") {
    return key == "most_recent_job_guid" || key == "most_recent_job_detail_text";
  }
  // The processor's account and routing numbers are typed integer, where the client's
  // AccountNumberResponse types the same numbers string: a number can start with 0, and MX's
  // older processor schema (PaymentAccountResponse) had strings.
  return schema == "ProcessorAccountNumber" && (key == "account_number" || key == "routing_number");
}

// Asserts `object` has exactly the keys of the schemas (several when the spec composes them with
// allOf), except `may_omit` (keys MX documents as conditional) and `documented_extra` (keys MX's
// field reference documents that the spec lacks), and that every non-null value has the
// declared type.
void expect_matches_schemas(ApiVersion v, std::initializer_list<std::string_view> schemas,
                            const json& object, const std::set<std::string>& may_omit = {},
                            const std::set<std::string>& documented_extra = {}) {
  std::string names;
  std::optional<std::map<std::string, std::string>> props;
  for (std::string_view schema : schemas) {
    names += (names.empty() ? "" : " + ") + std::string(schema);
    const auto part = schema_properties(*spec_lines(v), schema);
    ASSERT_TRUE(part.has_value()) << schema << " not found in the spec";
    ASSERT_FALSE(part->empty()) << schema << " has no properties (extractor out of step?)";
    if (!props) props.emplace();
    props->insert(part->begin(), part->end());
  }
  SCOPED_TRACE(names + " @ " + std::string(to_string(v)));
  ASSERT_TRUE(object.is_object());
  std::set<std::string> missing;
  std::set<std::string> extra;
  for (const auto& [key, type] : *props) {
    if (!object.contains(key) && may_omit.count(key) == 0) missing.insert(key);
  }
  for (const auto& [key, value] : object.items()) {
    const auto p = props->find(key);
    if (p == props->end()) {
      if (documented_extra.count(key) == 0) extra.insert(key);
    } else if (std::none_of(schemas.begin(), schemas.end(), [&, name = key](std::string_view s) {
                 return known_type_bug(s, name);
               })) {
      EXPECT_TRUE(type_matches(value, p->second))
          << key << " is " << value.dump() << ", spec type " << p->second;
    }
  }
  EXPECT_TRUE(missing.empty()) << "missing: " << join(missing);
  EXPECT_TRUE(extra.empty()) << "not in the spec: " << join(extra);
}

void expect_matches_schema(ApiVersion v, std::string_view schema, const json& object,
                           const std::set<std::string>& may_omit = {}) {
  expect_matches_schemas(v, {schema}, object, may_omit);
}

// Transaction fields the specs' split operations describe ("the parent transaction's
// has_been_split field", "the child transactions' parent_guid") but TransactionResponse lacks.
const std::set<std::string> kSplitFields{"has_been_split", "parent_guid"};
// An account field MX's rewards guide lists ("The unique identifier for the credit_card_product
// associated with the account") and creditCard's parameter names ("can be found on the
// account object"), which AccountResponse lacks.
const std::set<std::string> kAccountFields{"credit_card_product_guid"};

// --- records with every optional filled, so type checks see real values

domain::TimePoint at(const char* iso) { return *domain::parse_iso8601(iso); }

domain::Institution institution() {
  domain::Institution i;
  i.code = "mxbank";
  i.guid = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
  i.name = "MX Bank";
  i.created_at = "2015-09-08T16:36:45+00:00";
  i.url = "https://www.mxbank.com";
  i.small_logo_url = "https://example.com/50.png";
  i.medium_logo_url = "https://example.com/100.png";
  i.forgot_password_url = "https://example.com/pw";
  i.forgot_username_url = "https://example.com/user";
  i.trouble_signing_in_url = "https://example.com/help";
  i.instructional_text = "Use your online banking login.";
  i.credentials.push_back(
      {"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1", "LOGIN", "Username", "TEXT", 1, true, false});
  return i;
}

domain::User user() {
  domain::User u;
  u.guid = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";
  u.id = "user123";
  u.email = "a@example.com";
  u.metadata = "{}";
  return u;
}

domain::Member member() {
  domain::Member m;
  m.guid = "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b";
  m.user_guid = user().guid;
  m.id = "member123";
  m.institution_code = "mxbank";
  m.name = "MX Bank";
  m.metadata = "meta";
  m.use_cases = {"PFM"};
  m.oauth_window = domain::OAuthWindow{"s7", "BROWSER", false, std::nullopt, std::nullopt, false};
  m.machine.status = domain::ConnectionStatus::kConnected;
  m.aggregated_at = at("2016-10-13T18:07:57Z");
  m.successfully_aggregated_at = at("2016-10-13T17:57:38Z");
  m.most_recent_job_guid = "JOB-12345678-90ab-cdef-1234-567890abcdef";
  m.most_recent_job_detail_code = 0;
  m.most_recent_job_detail_text = "done";
  return m;
}

domain::Challenge challenge(domain::ChallengeType type) {
  domain::Challenge c;
  c.guid = "CRD-ce76d2e3-86bd-ec4a-ec52-eb53b5194bf5";
  c.type = type;
  c.label = "Who is this guy?";
  c.field_name = "Who is this guy?";
  if (type == domain::ChallengeType::kImageData) c.image_data = "data:image/png;base64,AAAA";
  if (type == domain::ChallengeType::kOptions || type == domain::ChallengeType::kImageOptions) {
    c.options.push_back({"CRD-1", "Red", "red", "data:image/png;base64,BBBB"});
  }
  return c;
}

domain::Account account() {
  domain::Account a;
  a.guid = "ACT-06d7f44b-caae-0f6e-1384-01f52e75dcb1";
  a.user_guid = user().guid;
  a.member_guid = member().guid;
  a.institution_code = "mxbank";
  a.id = "acct1";
  a.name = "Credit Card";
  a.type = "CREDIT_CARD";
  a.subtype = "NONE";
  a.account_number_masked = "****5366";
  a.balance = 1000.5;
  a.available_balance = 4000;
  a.credit_limit = 5000;
  a.apr = 21.5;
  a.interest_rate = 3.25;
  a.original_balance = 10;
  a.payment_due_amount = 35;
  a.payment_due_at = "2024-03-20";
  a.metadata = "m";
  a.created_at = at("2024-01-01T00:00:00Z");
  a.updated_at = at("2024-01-02T00:00:00Z");
  return a;
}

OwnerIds owners() { return {"user123", "member123", "INS-1572a04c-912b-59bf-5841-332c7dfafaef"}; }

domain::Transaction transaction() {
  domain::Transaction t;
  t.guid = "TRN-429ad9fe-a1d2-4559-8590-885b2603f0e1";
  t.user_guid = user().guid;
  t.member_guid = member().guid;
  t.account_guid = account().guid;
  t.id = "t1";
  t.amount = 61.11;
  t.type = "DEBIT";
  t.status = "POSTED";
  t.date = "2024-12-20";
  t.transacted_at = at("2024-12-20T12:00:00Z");
  t.posted_at = at("2024-12-20T12:00:00Z");
  t.original_description = "WHOLEFDS #123";
  t.description = "Whole Foods Market";
  t.category = "Groceries";
  t.category_guid = "CAT-1";
  t.top_level_category = "Food & Dining";
  t.merchant_guid = "MCH-1";
  t.merchant_category_code = "5411";
  t.memo = "memo";
  t.metadata = "m";
  t.latitude = 40.5;
  t.longitude = -111.9;
  return t;
}

domain::Holding holding() {
  domain::Holding h;
  h.guid = "HOL-d65683e8-9eab-26bb-bcfd-ced159c9abe2";
  h.user_guid = user().guid;
  h.member_guid = member().guid;
  h.account_guid = account().guid;
  h.symbol = "DEF";
  h.description = "Guggenheim Defensive Equity ETF";
  h.holding_type = "ETF";
  h.shares = 10;
  h.cost_basis = 200;
  h.market_value = 250;
  h.purchase_price = 20;
  h.cusip = "123456789";
  return h;
}

domain::Statement statement() {
  domain::Statement s;
  s.guid = "STA-737a344b-caae-0f6e-1384-01f52e75dcb1";
  s.user_guid = user().guid;
  s.member_guid = member().guid;
  s.account_guid = account().guid;
  s.content_hash = "ca53785b";
  s.period_end = "2024-02-29";
  return s;
}

class CodecSpec : public ::testing::TestWithParam<ApiVersion> {};

INSTANTIATE_TEST_SUITE_P(BothVersions, CodecSpec,
                         ::testing::Values(ApiVersion::kV20111101, ApiVersion::kV20250224),
                         [](const auto& p) { return std::string(to_string(p.param)); });

TEST_P(CodecSpec, ExtractorReadsAKnownSchema) {
  REQUIRE_SPEC(GetParam());
  const auto props = schema_properties(*spec, "PaginationResponse");
  ASSERT_TRUE(props.has_value());
  EXPECT_EQ(*props, (Properties{{"current_page", "integer"},
                                {"per_page", "integer"},
                                {"total_entries", "integer"},
                                {"total_pages", "integer"}}));
  EXPECT_FALSE(schema_properties(*spec, "NoSuchSchema").has_value());
}

TEST_P(CodecSpec, User) {
  REQUIRE_SPEC(GetParam());
  expect_matches_schema(GetParam(), "UserResponse", user_json(user(), GetParam()));
}

TEST_P(CodecSpec, Member) {
  REQUIRE_SPEC(GetParam());
  const json m = member_json(member(), institution(), user(), GetParam(), "http://127.0.0.1:8089");
  expect_matches_schema(GetParam(), "MemberResponse", m);
  expect_matches_schema(GetParam(), "OAuthWindowResponse",
                        oauth_window_json(member(), "http://127.0.0.1:8089"));
}

TEST_P(CodecSpec, MemberStatus) {
  REQUIRE_SPEC(GetParam());
  domain::Member m = member();
  expect_matches_schema(GetParam(), "MemberStatusResponse", member_status_json(m));
  m.machine.status = domain::ConnectionStatus::kChallenged;
  m.challenges = {challenge(domain::ChallengeType::kText)};
  expect_matches_schema(GetParam(), "MemberStatusResponse", member_status_json(m));
}

TEST_P(CodecSpec, ChallengeAndOptions) {
  REQUIRE_SPEC(GetParam());
  using domain::ChallengeType;
  // MX documents the three arrays/fields as present only for their own type (mx-behavior.md
  // §4); across all five types every spec field appears.
  const std::set<std::string> conditional{"image_data", "options", "image_options"};
  std::set<std::string> seen;
  for (ChallengeType t : {ChallengeType::kText, ChallengeType::kOptions, ChallengeType::kToken,
                          ChallengeType::kImageData, ChallengeType::kImageOptions}) {
    const json c = challenge_json(challenge(t));
    expect_matches_schema(GetParam(), "ChallengeResponse", c, conditional);
    for (const auto& [k, v] : c.items()) seen.insert(k);
    if (c.contains("options")) {
      expect_matches_schema(GetParam(), "OptionResponse", c["options"].at(0));
    }
    if (c.contains("image_options")) {
      expect_matches_schema(GetParam(), "ImageOptionResponse", c["image_options"].at(0));
    }
  }
  const auto props = schema_properties(*spec, "ChallengeResponse");
  ASSERT_TRUE(props.has_value());
  std::set<std::string> spec_keys;
  for (const auto& [k, t] : *props) spec_keys.insert(k);
  EXPECT_EQ(seen, spec_keys);
}

TEST_P(CodecSpec, InstitutionAndCredential) {
  REQUIRE_SPEC(GetParam());
  const json rendered = institution_json(institution(), GetParam());
  expect_matches_schema(GetParam(), "InstitutionResponse", rendered);
  // v20250224 types created_at as a (non-nullable) string; v20111101 has no such key.
  const auto props = schema_properties(*spec, "InstitutionResponse");
  ASSERT_TRUE(props.has_value());
  if (props->count("created_at") > 0) {
    EXPECT_TRUE(rendered["created_at"].is_string());
  }
  expect_matches_schema(GetParam(), "CredentialResponse",
                        credential_json(institution().credentials.at(0)));
}

TEST_P(CodecSpec, Account) {
  REQUIRE_SPEC(GetParam());
  expect_matches_schemas(GetParam(), {"AccountResponse"},
                         account_json(account(), GetParam(), owners()), {}, kAccountFields);
  domain::Account manual = account();
  manual.is_manual = true;
  manual.available_balance.reset();
  manual.payment_due_at.reset();
  expect_matches_schemas(GetParam(), {"AccountResponse"}, account_json(manual, GetParam()), {},
                         kAccountFields);
}

TEST_P(CodecSpec, AccountNumberAndOwner) {
  REQUIRE_SPEC(GetParam());
  domain::AccountNumber n{"ACN-1",   user().guid,      member().guid, account().guid,
                          "3331261", "68899990000000", true};
  expect_matches_schema(GetParam(), "AccountNumberResponse", account_number_json(n));
  domain::AccountOwner o{
      "ACO-1",      user().guid, member().guid,         account().guid, "Josh Smith",
      "Josh",       "Smith",     "3541 Adrian Street",  "Middlesex",    "VA",
      "00000-0000", "US",        "example@example.com", "555-555-5555"};
  expect_matches_schema(GetParam(), "AccountOwnerResponse", account_owner_json(o));
}

TEST_P(CodecSpec, Transaction) {
  REQUIRE_SPEC(GetParam());
  expect_matches_schemas(GetParam(), {"TransactionResponse"},
                         transaction_json(transaction(), GetParam(), "user123", "acct1"), {},
                         kSplitFields);
  domain::Transaction pending = transaction();
  pending.status = "PENDING";
  pending.posted_at.reset();
  expect_matches_schemas(GetParam(), {"TransactionResponse"},
                         transaction_json(pending, GetParam(), std::nullopt), {}, kSplitFields);
}

TEST_P(CodecSpec, HoldingStatementWidgetPagination) {
  REQUIRE_SPEC(GetParam());
  expect_matches_schema(GetParam(), "InvestmentHoldingResponse", holding_json(holding()));
  expect_matches_schema(GetParam(), "StatementResponse", statement_json(statement()));
  expect_matches_schema(GetParam(), "WidgetResponse",
                        widget_url_json("connect_widget", "http://w/1", "user123"));
  expect_matches_schema(GetParam(), "PaginationResponse", pagination_json(26, 2, 25, 2));
}

// --- whole response bodies, as the routes serve them ---------------------------------------

class ServedSpec : public CodecSpec {
 protected:
  // A user with one connected MX Bank member, its data generated.
  void connect() {
    c_.use_version(std::string(to_string(GetParam())));
    user_ = c_.create_user("spec");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(10);
  }
  json get_ok(const std::string& target) {
    const Response r = c_.get(target);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }

  testing::ApiClient c_;
  std::string user_;
  std::string member_;
};

INSTANTIATE_TEST_SUITE_P(BothVersions, ServedSpec,
                         ::testing::Values(ApiVersion::kV20111101, ApiVersion::kV20250224),
                         [](const auto& p) { return std::string(to_string(p.param)); });

// Both specs answer the three holdings lists with InvestmentHoldingsResponseBody
// ({investment_holdings, pagination}) and readHolding with InvestmentHoldingResponseBody
// ({investment_holding}).
TEST_P(ServedSpec, HoldingRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const json by_user = get_ok(u + "/investment_holdings");
  expect_matches_schema(GetParam(), "InvestmentHoldingsResponseBody", by_user);
  ASSERT_FALSE(by_user["investment_holdings"].empty());
  const json first = by_user["investment_holdings"][0];
  expect_matches_schema(GetParam(), "InvestmentHoldingResponse", first);
  expect_matches_schema(GetParam(), "InvestmentHoldingsResponseBody",
                        get_ok(u + "/members/" + member_ + "/investment_holdings"));
  const json by_account =
      get_ok(u + "/accounts/" + first["account_guid"].get<std::string>() + "/investment_holdings");
  expect_matches_schema(GetParam(), "InvestmentHoldingsResponseBody", by_account);
  EXPECT_FALSE(by_account["investment_holdings"].empty());
  const json one = get_ok(u + "/investment_holdings/" + first["guid"].get<std::string>());
  expect_matches_schema(GetParam(), "InvestmentHoldingResponseBody", one);
  EXPECT_EQ(one["investment_holding"], first);
}

TEST_P(ServedSpec, EveryServedInstitutionHasTheSpecsCreatedAt) {
  REQUIRE_SPEC(GetParam());
  c_.use_version(std::string(to_string(GetParam())));
  const json list = get_ok("/institutions?records_per_page=100");
  ASSERT_FALSE(list["institutions"].empty());
  const auto props = schema_properties(*spec, "InstitutionResponse");
  ASSERT_TRUE(props.has_value());
  for (const json& inst : list["institutions"]) {
    expect_matches_schema(GetParam(), "InstitutionResponse", inst);
    if (props->count("created_at") == 0) continue;
    ASSERT_TRUE(inst["created_at"].is_string()) << inst["code"];
    EXPECT_TRUE(domain::parse_iso8601(inst["created_at"].get<std::string>())) << inst["code"];
  }
}

// TransactionIncludesResponse: TransactionResponse plus the objects `includes=` names; the
// emulator serves `merchant` (the spec's guid, logo_url, name, website_url) and refuses the rest.
TEST_P(ServedSpec, TransactionIncludesMerchants) {
  REQUIRE_SPEC(GetParam());
  const auto merchant_keys =
      nested_property_names(*spec, "TransactionIncludesResponse", "merchant");
  ASSERT_TRUE(merchant_keys.has_value()) << "no merchant in TransactionIncludesResponse";
  connect();
  const std::string u = "/users/" + user_;
  const json plain = get_ok(u + "/transactions");
  const json with = get_ok(u + "/transactions?includes=merchants");
  ASSERT_EQ(with["transactions"].size(), plain["transactions"].size());
  int merchants = 0;
  for (std::size_t i = 0; i < with["transactions"].size(); ++i) {
    json t = with["transactions"][i];
    ASSERT_TRUE(t.contains("merchant"));
    const json merchant = t["merchant"];
    t.erase("merchant");
    EXPECT_EQ(t, plain["transactions"][i]);  // everything else as without includes
    expect_matches_schemas(GetParam(), {"TransactionResponse"}, t, {}, kSplitFields);
    if (plain["transactions"][i]["merchant_guid"].is_null()) {
      EXPECT_TRUE(merchant.is_null());
      continue;
    }
    ++merchants;
    ASSERT_TRUE(merchant.is_object());
    std::set<std::string> keys;
    for (const auto& [k, v] : merchant.items()) {
      keys.insert(k);
      EXPECT_TRUE(v.is_string()) << k;
    }
    EXPECT_EQ(keys, *merchant_keys);
    EXPECT_EQ(merchant["guid"], plain["transactions"][i]["merchant_guid"]);
  }
  EXPECT_GT(merchants, 0);
  const std::string guid = with["transactions"][0]["guid"];
  EXPECT_EQ(get_ok(u + "/transactions/" + guid + "?includes=merchants")["transaction"],
            with["transactions"][0]);
  for (const char* refused : {"geolocations", "classifications", "repeating_transactions",
                              "merchants,geolocations", "bogus"}) {
    const Response r = c_.get(u + "/transactions?includes=" + refused);
    EXPECT_EQ(r.status, 400) << refused;
    EXPECT_TRUE(json::parse(r.body)["error"]["message"].is_string()) << refused;
  }
}

// Categories and merchants: every served body is the spec's (CategoriesResponseBody,
// CategoryResponseBody, MerchantsResponseBody, MerchantResponseBody), default categories and a
// user's own alike, with the dates the spec types as strings present on every record.
TEST_P(ServedSpec, CategoryAndMerchantRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const json created = json::parse(
      c_.post(u + "/categories", {{"category",
                                   {{"name", "Side Gig"},
                                    {"parent_guid", "CAT-402c31ce-e4a3-7b36-2db1-eb996997422c"}}}})
          .body);
  expect_matches_schema(GetParam(), "CategoryResponseBody", created);
  const std::string own = created["category"]["guid"];
  for (const std::string& target :
       {std::string("/categories/default?records_per_page=100"),
        u + "/categories?records_per_page=1000", u + "/categories/default?records_per_page=1000"}) {
    const json list = get_ok(target);
    expect_matches_schema(GetParam(), "CategoriesResponseBody", list);
    ASSERT_FALSE(list["categories"].empty()) << target;
    for (const json& c : list["categories"]) {
      expect_matches_schema(GetParam(), "CategoryResponse", c);
      EXPECT_TRUE(c["created_at"].is_string()) << c["guid"];
      EXPECT_TRUE(c["updated_at"].is_string()) << c["guid"];
    }
  }
  expect_matches_schema(GetParam(), "CategoryResponseBody",
                        get_ok("/categories/CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8"));
  expect_matches_schema(GetParam(), "CategoryResponseBody", get_ok(u + "/categories/" + own));
  const Response updated = c_.put(u + "/categories/" + own, {{"category", {{"metadata", "spec"}}}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  expect_matches_schema(GetParam(), "CategoryResponseBody", json::parse(updated.body));

  const json merchants = get_ok("/merchants?records_per_page=1000");
  expect_matches_schema(GetParam(), "MerchantsResponseBody", merchants);
  ASSERT_FALSE(merchants["merchants"].empty());
  for (const json& m : merchants["merchants"]) {
    expect_matches_schema(GetParam(), "MerchantResponse", m);
    EXPECT_TRUE(m["created_at"].is_string()) << m["guid"];
  }
  expect_matches_schema(
      GetParam(), "MerchantResponseBody",
      get_ok("/merchants/" + merchants["merchants"][0]["guid"].get<std::string>()));
}

// Rewards: fetchRewards answers MemberResponseBody with 200 (both specs), the lists and reads
// RewardsResponseBody and RewardResponseBody of RewardElements.
TEST_P(ServedSpec, RewardRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string m = "/users/" + user_ + "/members/" + member_;
  const Response fetched = c_.post(m + "/fetch_rewards");
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  expect_matches_schema(GetParam(), "MemberResponseBody", json::parse(fetched.body));
  c_.emu().advance(10);
  const json list = get_ok(m + "/rewards");
  expect_matches_schema(GetParam(), "RewardsResponseBody", list);
  ASSERT_FALSE(list["rewards"].empty());
  for (const json& r : list["rewards"]) expect_matches_schema(GetParam(), "RewardElements", r);
  expect_matches_schema(GetParam(), "RewardResponseBody",
                        get_ok(m + "/rewards/" + list["rewards"][0]["guid"].get<std::string>()));
  // creditCard: CreditCardProductResponse, for the product a credit card account names (Keystone
  // Card's; MX Bank has none).
  const json keystone = c_.create_member(user_, "keystone_card", "password");
  ASSERT_TRUE(keystone.contains("member")) << keystone.dump();
  c_.emu().advance(60);
  const json accounts = get_ok("/users/" + user_ + "/accounts?records_per_page=100")["accounts"];
  for (const json& a : accounts) {
    if (a["type"] != "CREDIT_CARD") continue;
    const json product =
        get_ok("/credit_card_products/" + a["credit_card_product_guid"].get<std::string>());
    expect_matches_schema(GetParam(), "CreditCardProductResponse", product);
    expect_matches_schema(GetParam(), "CreditCardProduct", product["credit_card_product"]);
    return;
  }
  ADD_FAILURE() << "Keystone Card has no credit card account: " << accounts.dump();
}

// Tags and taggings: every served body is the spec's, the Business tag included.
TEST_P(ServedSpec, TagRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const json tags = get_ok(u + "/tags");
  expect_matches_schema(GetParam(), "TagsResponseBody", tags);
  expect_matches_schema(GetParam(), "TagResponse", tags["tags"].at(0));
  const Response created = c_.post(u + "/tags", {{"tag", {{"name", "Spec"}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json tag = json::parse(created.body);
  expect_matches_schema(GetParam(), "TagResponseBody", tag);
  const std::string tag_guid = tag["tag"]["guid"];
  expect_matches_schema(GetParam(), "TagResponseBody", get_ok(u + "/tags/" + tag_guid));
  const std::string txn = get_ok(u + "/transactions")["transactions"].at(0)["guid"];
  const Response tagged =
      c_.post(u + "/taggings", {{"tagging", {{"tag_guid", tag_guid}, {"transaction_guid", txn}}}});
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  const json tagging = json::parse(tagged.body);
  expect_matches_schema(GetParam(), "TaggingResponseBody", tagging);
  expect_matches_schema(GetParam(), "TaggingResponse", tagging["tagging"]);
  expect_matches_schema(GetParam(), "TaggingsResponseBody", get_ok(u + "/taggings"));
  const json by_tag = get_ok(u + "/tags/" + tag_guid + "/transactions");
  ASSERT_EQ(by_tag["transactions"].size(), 1U);
  expect_matches_schemas(GetParam(), {"TransactionResponse"}, by_tag["transactions"][0], {},
                         kSplitFields);
}

// Transaction rules: TransactionRuleResponseBody and TransactionRulesResponseBody.
TEST_P(ServedSpec, TransactionRuleRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const Response created =
      c_.post(u + "/transaction_rules",
              {{"transaction_rule",
                {{"match_description", "coffee"},
                 {"category_guid", "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb"}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json rule = json::parse(created.body);
  expect_matches_schema(GetParam(), "TransactionRuleResponseBody", rule);
  expect_matches_schema(GetParam(), "TransactionRuleResponse", rule["transaction_rule"]);
  expect_matches_schema(GetParam(), "TransactionRulesResponseBody",
                        get_ok(u + "/transaction_rules"));
}

// Microdeposits: MicrodepositResponseBody for create, read and verify (its micro_deposit is
// MicrodepositElements and MicrodepositResponse together), MicrodepositsResponseBody for the list.
TEST_P(ServedSpec, MicrodepositRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  // MX's microdeposit field reference lists created_at and error_code; the specs do not.
  const std::set<std::string> documented{"created_at", "error_code"};
  auto expect_microdeposit = [&](const json& m) {
    expect_matches_schemas(GetParam(), {"MicrodepositElements", "MicrodepositResponse"}, m, {},
                           documented);
  };
  const std::string u = "/users/" + user_;
  const Response created = c_.post(u + "/micro_deposits", {{"micro_deposit",
                                                            {{"account_name", "Spec checking"},
                                                             {"account_number", "333312345"},
                                                             {"account_type", "CHECKING"},
                                                             {"routing_number", "091000019"},
                                                             {"email", "spec@example.com"},
                                                             {"first_name", "Spec"},
                                                             {"last_name", "Tester"}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json body = json::parse(created.body);
  expect_matches_schema(GetParam(), "MicrodepositResponseBody", body);
  expect_microdeposit(body["micro_deposit"]);
  const std::string guid = body["micro_deposit"]["guid"];
  c_.emu().advance(180);
  const json read = get_ok(u + "/micro_deposits/" + guid);
  expect_matches_schema(GetParam(), "MicrodepositResponseBody", read);
  expect_microdeposit(read["micro_deposit"]);
  const json list = get_ok(u + "/micro_deposits");
  expect_matches_schema(GetParam(), "MicrodepositsResponseBody", list);
  expect_microdeposit(list["micro_deposits"].at(0));
  // listUserVerifications: MicrodepositResponseBody, with MX's usual list pagination.
  const json verifications = get_ok(u + "/account_verifications");
  expect_matches_schemas(GetParam(), {"MicrodepositResponseBody"}, verifications, {},
                         {"pagination"});
  expect_microdeposit(verifications["micro_deposit"].at(0));
  const json amounts = get_ok("/_emulator/micro_deposits/" + guid)["micro_deposit"];
  const Response verified = c_.put("/micro_deposits/" + guid + "/verify",
                                   {{"micro_deposit",
                                     {{"deposit_amount_1", amounts["deposit_amount_1"]},
                                      {"deposit_amount_2", amounts["deposit_amount_2"]}}}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  const json v = json::parse(verified.body);
  EXPECT_EQ(v["micro_deposit"]["status"], "VERIFIED");
  expect_matches_schema(GetParam(), "MicrodepositResponseBody", v);
  expect_microdeposit(v["micro_deposit"]);
}

// Processor tokens: the client's code and token list, and what the processor reads with its
// token (each record MemberElements with the processor schema, as the specs compose them).
TEST_P(ServedSpec, ProcessorTokenRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  ASSERT_EQ(c_.post(u + "/members/" + member_ + "/verify").status, 200);
  c_.emu().advance(60);
  ASSERT_EQ(c_.post(u + "/members/" + member_ + "/identify").status, 202);
  c_.emu().advance(60);
  const std::string account =
      get_ok(u + "/members/" + member_ + "/account_numbers")["account_numbers"][0]["account_guid"];
  const std::string scope =
      "user-guid:" + user_ + " member-guid:" + member_ + " account-guid:" + account;
  const Response coded = c_.post("/authorization_code",
                                 {{"authorization_code", {{"scope", scope + " read-protected"}}}});
  ASSERT_EQ(coded.status, 200) << coded.body;
  const json code = json::parse(coded.body);
  expect_matches_schema(GetParam(), "AuthorizationCodeResponseBody", code);
  expect_matches_schema(GetParam(), "AuthorizationCodeResponse", code["authorization_code"]);
  if (GetParam() == ApiVersion::kV20111101) {
    const Response old =
        c_.post("/payment_processor_authorization_code",
                {{"payment_processor_authorization_code",
                  {{"user_guid", user_}, {"member_guid", member_}, {"account_guid", account}}}});
    ASSERT_EQ(old.status, 200) << old.body;
    const json o = json::parse(old.body);
    expect_matches_schema(GetParam(), "PaymentProcessorAuthorizationCodeResponseBody", o);
    expect_matches_schema(GetParam(), "PaymentProcessorAuthorizationCodeResponse",
                          o["payment_processor_authorization_code"]);
  }
  const Response exchanged = c_.post("/token?grant_type=authorization_code&code=" +
                                     code["authorization_code"]["code"].get<std::string>());
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  const std::string token = json::parse(exchanged.body)["access_token"];
  api::Request list = c_.request(api::Method::kGet, "/tokens", {{"scope", {{"user_guid", user_}}}});
  const json tokens = json::parse(c_.send(list).body);
  expect_matches_schema(GetParam(), "TokenResponseBody", tokens);
  expect_matches_schema(GetParam(), "TokenResponse", tokens["tokens"].at(0));

  auto processor_get = [&](api::Method method, const std::string& target) {
    api::Request r = c_.request(method, target);
    r.headers.erase("Authorization");
    r.headers.emplace("Authorization", "Bearer " + token);
    const Response answer = c_.send(r);
    EXPECT_EQ(answer.status, 200) << target << " " << answer.body;
    return json::parse(answer.body, nullptr, false);
  };
  const json numbers = processor_get(api::Method::kGet, "/account/account_numbers");
  expect_matches_schema(GetParam(), "ProcessorAccountNumberBody", numbers);
  expect_matches_schemas(GetParam(), {"MemberElements", "ProcessorAccountNumber"},
                         numbers["account_numbers"].at(0));
  const json payment = processor_get(api::Method::kGet, "/payment_account");
  expect_matches_schema(GetParam(), "PaymentAccountBody", payment);
  expect_matches_schemas(GetParam(), {"MemberElements", "PaymentAccount"},
                         payment["payment_account"]);
  const json owners = processor_get(api::Method::kGet, "/account/transactions");
  expect_matches_schema(GetParam(), "ProcessorOwnerBody", owners);
  expect_matches_schemas(GetParam(), {"MemberElements", "ProcessorOwner"},
                         owners["account_owners"].at(0));
  c_.emu().advance(3 * 3600);  // past the balance check's window
  expect_matches_schema(GetParam(), "MemberResponseBody",
                        processor_get(api::Method::kPost, "/account/check_balance"));
}

// Splits: SplitTransactionsResponseBody, each part a TransactionResponse (with the two fields
// the split operations name).
TEST_P(ServedSpec, SplitRoutesServeTheSpecsBodies) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const std::string txn = get_ok(u + "/transactions")["transactions"].at(0)["guid"];
  const Response split =
      c_.post(u + "/transactions/" + txn + "/split", {{"transactions", {{"amount", 0.01}}}});
  ASSERT_EQ(split.status, 200) << split.body;
  const json body = json::parse(split.body);
  expect_matches_schema(GetParam(), "SplitTransactionsResponseBody", body);
  for (const json& part : body["transactions"]) {
    expect_matches_schemas(GetParam(), {"TransactionResponse"}, part, {}, kSplitFields);
  }
}

// readMerchantLocation: MerchantLocationResponseBody for a store a transaction names.
TEST_P(ServedSpec, MerchantLocationServesTheSpecsBody) {
  REQUIRE_SPEC(GetParam());
  connect();
  const json list = get_ok("/users/" + user_ + "/transactions?records_per_page=1000");
  std::string guid;
  for (const json& t : list["transactions"]) {
    if (!t["merchant_location_guid"].is_null()) guid = t["merchant_location_guid"];
  }
  ASSERT_FALSE(guid.empty());
  const json body = get_ok("/merchant_locations/" + guid);
  expect_matches_schema(GetParam(), "MerchantLocationResponseBody", body);
  expect_matches_schema(GetParam(), "MerchantLocationResponse", body["merchant_location"]);
}

// mergeAccounts (v20250224 only): AccountResponseBody with the account kept.
TEST_P(ServedSpec, AccountMergeServesTheSpecsBody) {
  REQUIRE_SPEC(GetParam());
  connect();
  const std::string u = "/users/" + user_;
  const json accounts = get_ok(u + "/accounts")["accounts"];
  ASSERT_GE(accounts.size(), 2U);
  const Response merged =
      c_.post(u + "/accounts/merge",
              {{"account", {{"account_guids", {accounts[0]["guid"], accounts[1]["guid"]}}}}});
  if (GetParam() == ApiVersion::kV20111101) {
    EXPECT_EQ(merged.status, 404);  // v20111101 has no mergeAccounts
    return;
  }
  ASSERT_EQ(merged.status, 200) << merged.body;
  const json body = json::parse(merged.body);
  expect_matches_schema(GetParam(), "AccountResponseBody", body);
  expect_matches_schemas(GetParam(), {"AccountResponse"}, body["account"], {}, kAccountFields);
}

TEST_P(CodecSpec, ConnectWidgetIsV1Only) {
  REQUIRE_SPEC(GetParam());
  if (GetParam() == ApiVersion::kV20111101) {
    expect_matches_schema(GetParam(), "ConnectWidgetResponse",
                          connect_widget_json(user(), "http://w/2"));
  } else {
    // v20250224 removed POST /users/{user_guid}/connect_widget_url (mx-behavior.md §1c).
    EXPECT_FALSE(schema_properties(*spec, "ConnectWidgetResponse").has_value());
  }
}

}  // namespace
}  // namespace mxemu::api
