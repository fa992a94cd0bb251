#include "api/fixture_loader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "domain/timestamps.h"
#include "mxemu/embedded_fixtures.h"

namespace mxemu::api {
namespace {

using domain::ErrorCode;
using nlohmann::json;

constexpr std::string_view kInstitutionsFile = "institutions.json";
constexpr std::string_view kCategoriesFile = "mx_categories.json";
constexpr std::string_view kMerchantsFile = "merchants.json";

// Thrown inside this file only; load functions turn it into a domain::Error.
struct LoadError {
  std::string message;
};

[[noreturn]] void fail(std::string_view file, const std::string& pointer, const std::string& what) {
  throw LoadError{std::string(file) + ": " + (pointer.empty() ? "/" : pointer) + ": " + what};
}

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Reads one JSON object, checking types, and remembers which keys it consumed so that finish()
// can reject unknown ones (typos in fixtures should fail loudly, not fall back to defaults).
class ObjectReader {
 public:
  ObjectReader(std::string_view file, const json& j, std::string pointer)
      : file_(file), j_(j), pointer_(std::move(pointer)) {
    if (!j_.is_object()) fail(file_, pointer_, "expected object");
  }

  const std::string& pointer() const { return pointer_; }
  std::string at(std::string_view key) const { return pointer_ + "/" + escape_pointer_token(key); }
  std::string_view file() const { return file_; }

  const json* find(std::string_view key, bool required) {
    seen_.emplace(key);
    const auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(file_, pointer_, "missing key " + in_quotes(key));
      return nullptr;
    }
    return &*it;
  }

  std::string string(std::string_view key, bool required, std::string fallback = {}) {
    const json* v = find(key, required);
    if (v == nullptr) return fallback;
    if (!v->is_string()) fail(file_, at(key), "expected string");
    return v->get<std::string>();
  }
  std::string non_empty_string(std::string_view key) {
    std::string s = string(key, true);
    if (s.empty()) fail(file_, at(key), "expected non-empty string");
    return s;
  }
  // A string or null (null and absent both give "").
  std::string string_or_null(std::string_view key) {
    const json* v = find(key, false);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) fail(file_, at(key), "expected string or null");
    return v->get<std::string>();
  }
  bool boolean(std::string_view key, bool fallback) {
    const json* v = find(key, false);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(file_, at(key), "expected boolean");
    return v->get<bool>();
  }
  std::int64_t integer(std::string_view key, bool required, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi) {
    const json* v = find(key, required);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer()) fail(file_, at(key), "expected integer");
    const bool is_unsigned = v->is_number_unsigned();
    if (is_unsigned && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      fail(file_, at(key), "out of range");
    }
    const auto n = v->get<std::int64_t>();
    if (n < lo || n > hi) {
      fail(file_, at(key),
           "expected integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return n;
  }
  double number(std::string_view key, bool required, double fallback, double lo) {
    const json* v = find(key, required);
    if (v == nullptr) return fallback;
    if (!v->is_number()) fail(file_, at(key), "expected number");
    const auto d = v->get<double>();
    if (d < lo) {
      std::ostringstream msg;
      msg << "expected number >= " << lo;
      fail(file_, at(key), msg.str());
    }
    return d;
  }
  const json& array(std::string_view key, bool required) {
    static const json kEmpty = json::array();
    const json* v = find(key, required);
    if (v == nullptr) return kEmpty;
    if (!v->is_array()) fail(file_, at(key), "expected array");
    return *v;
  }
  std::vector<std::string> string_array(std::string_view key, bool required) {
    std::vector<std::string> out;
    const json& arr = array(key, required);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) fail(file_, at(key) + "/" + std::to_string(i), "expected string");
      out.push_back(arr[i].get<std::string>());
    }
    return out;
  }

  // Fails on any key not read, except comments ("_..." keys).
  void finish() const {
    for (const auto& item : j_.items()) {
      const std::string& key = item.key();
      if (!key.empty() && key[0] == '_') continue;
      if (seen_.count(key) == 0) fail(file_, at(key), "unknown key");
    }
  }

 private:
  std::string_view file_;
  const json& j_;
  std::string pointer_;
  std::set<std::string, std::less<>> seen_;
};

// "INS-0123abcd-0123-0123-0123-0123456789ab": MX's prefix plus a UUID-shaped body.
bool is_guid(std::string_view s, std::string_view prefix) {
  if (s.size() != prefix.size() + 1 + 36 || s.substr(0, prefix.size()) != prefix ||
      s[prefix.size()] != '-') {
    return false;
  }
  const std::string_view body = s.substr(prefix.size() + 1);
  for (std::size_t i = 0; i < body.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? body[i] != '-' : std::isxdigit(static_cast<unsigned char>(body[i])) == 0) {
      return false;
    }
  }
  return true;
}

// An optional ISO 8601 date and time ("" when absent).
std::string timestamp_field(ObjectReader& r, std::string_view key) {
  std::string value = r.string(key, false);
  if (!value.empty() && !domain::parse_iso8601(value)) {
    fail(r.file(), r.at(key), "expected an ISO 8601 date and time");
  }
  return value;
}

std::string guid_field(ObjectReader& r, std::string_view key, std::string_view prefix) {
  std::string g = r.string(key, true);
  if (!is_guid(g, prefix)) {
    fail(r.file(), r.at(key),
         "expected a guid like " + std::string(prefix) + "-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  }
  return g;
}

template <class T, std::size_t N>
T one_of(ObjectReader& r, std::string_view key, bool required, T fallback,
         const std::array<std::pair<std::string_view, T>, N>& table) {
  if (r.find(key, required) == nullptr) return fallback;
  const std::string s = r.string(key, true);
  for (const auto& [name, value] : table) {
    if (name == s) return value;
  }
  std::string names;
  for (const auto& entry : table) names += (names.empty() ? "" : ", ") + std::string(entry.first);
  fail(r.file(), r.at(key), "expected one of " + names);
}

constexpr std::array<std::pair<std::string_view, domain::CredentialScript>, 3> kScripts{{
    {"mxbank", domain::CredentialScript::kMxBank},
    {"extended", domain::CredentialScript::kExtended},
    {"oauth", domain::CredentialScript::kOAuth},
}};
constexpr std::array<std::pair<std::string_view, domain::ChallengeType>, 5> kChallengeTypes{{
    {"TEXT", domain::ChallengeType::kText},
    {"OPTIONS", domain::ChallengeType::kOptions},
    {"TOKEN", domain::ChallengeType::kToken},
    {"IMAGE_DATA", domain::ChallengeType::kImageData},
    {"IMAGE_OPTIONS", domain::ChallengeType::kImageOptions},
}};
constexpr std::array<std::pair<std::string_view, domain::CategoryNature>, 3> kNatures{{
    {"expense", domain::CategoryNature::kExpense},
    {"income", domain::CategoryNature::kIncome},
    {"transfer", domain::CategoryNature::kTransfer},
}};
constexpr std::array<std::pair<std::string_view, domain::Recurrence>, 3> kRecurrences{{
    {"none", domain::Recurrence::kNone},
    {"monthly", domain::Recurrence::kMonthly},
    {"semimonthly", domain::Recurrence::kSemiMonthly},
}};
// MX's credential field types (API reference: 0 TEXT, 1 PASSWORD, 2 OPTIONS, 3 LOGIN, 12 TOKEN,
// 13 IMAGE_DATA, 14 IMAGE_OPTIONS).
constexpr std::array<std::string_view, 7> kFieldTypes{
    "TEXT", "PASSWORD", "OPTIONS", "LOGIN", "TOKEN", "IMAGE_DATA", "IMAGE_OPTIONS"};
// The account types the data generator produces data for.
constexpr std::array<std::string_view, 7> kAccountTypes{
    "CHECKING", "SAVINGS", "CREDIT_CARD", "LOAN", "MORTGAGE", "INVESTMENT", "LINE_OF_CREDIT"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::any_of(set.begin(), set.end(), [s](std::string_view x) { return x == s; });
}

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& set) {
  std::string out;
  for (std::string_view x : set) out += (out.empty() ? "" : ", ") + std::string(x);
  return out;
}

json parse_json(std::string_view file, std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." → drop the id.
    std::string what = e.what();
    if (const auto close = what.find("] ");
        what.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      what.erase(0, close + 2);
    }
    throw LoadError{std::string(file) + ": " + what};
  }
}

// Remembers where each unique value was first seen, for "duplicate ... (also /x/1)" messages.
class UniqueIndex {
 public:
  UniqueIndex(std::string_view file, std::string what) : file_(file), what_(std::move(what)) {}
  void add(const std::string& value, const std::string& pointer) {
    const auto [it, inserted] = seen_.emplace(value, pointer);
    if (!inserted) {
      fail(file_, pointer,
           "duplicate " + what_ + " " + in_quotes(value) + " (also " + it->second + ")");
    }
  }

 private:
  std::string_view file_;
  std::string what_;
  std::map<std::string, std::string> seen_;
};

domain::CredentialField read_credential(ObjectReader& r, int index) {
  domain::CredentialField f;
  f.guid = guid_field(r, "guid", "CRD");
  f.field_name = r.non_empty_string("field_name");
  f.label = r.non_empty_string("label");
  f.field_type = r.non_empty_string("field_type");
  if (!contains(kFieldTypes, f.field_type)) {
    fail(r.file(), r.at("field_type"), "expected one of " + joined(kFieldTypes));
  }
  f.display_order = static_cast<int>(r.integer("display_order", false, index + 1, 0, 1000));
  f.is_login = r.boolean("is_login", false);
  f.is_password = r.boolean("is_password", false);
  if (f.is_login && f.is_password) {
    fail(r.file(), r.pointer(), "a field cannot be both is_login and is_password");
  }
  r.finish();
  return f;
}

domain::Institution institution_from_fixture(ObjectReader& r, UniqueIndex& credential_guids) {
  const std::string_view file = r.file();
  domain::Institution inst;
  inst.code = r.non_empty_string("code");
  for (char c : inst.code) {
    if (!(std::islower(static_cast<unsigned char>(c)) != 0 ||
          std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_')) {
      fail(file, r.at("code"), "expected lower-case letters, digits and '_'");
    }
  }
  inst.guid = guid_field(r, "guid", "INS");
  inst.name = r.non_empty_string("name");
  inst.created_at = timestamp_field(r, "created_at");
  inst.url = r.string("url", false);
  inst.routing_number = r.string("routing_number", false);
  inst.small_logo_url = r.string("small_logo_url", false);
  inst.medium_logo_url = r.string("medium_logo_url", false);
  inst.forgot_password_url = r.string("forgot_password_url", false);
  inst.forgot_username_url = r.string("forgot_username_url", false);
  inst.trouble_signing_in_url = r.string("trouble_signing_in_url", false);
  inst.instructional_text = r.string("instructional_text", false);
  inst.iso_country_code = r.string("iso_country_code", false, inst.iso_country_code);
  if (inst.iso_country_code.size() != 2) {
    fail(file, r.at("iso_country_code"), "expected a two-letter country code");
  }
  inst.is_favorite = r.boolean("is_favorite", inst.is_favorite);
  inst.supports_oauth = r.boolean("supports_oauth", inst.supports_oauth);
  inst.supports_account_identification =
      r.boolean("supports_account_identification", inst.supports_account_identification);
  inst.supports_account_statement =
      r.boolean("supports_account_statement", inst.supports_account_statement);
  inst.supports_rewards = r.boolean("supports_rewards", inst.supports_rewards);
  inst.supports_account_verification =
      r.boolean("supports_account_verification", inst.supports_account_verification);
  inst.supports_transaction_history =
      r.boolean("supports_transaction_history", inst.supports_transaction_history);
  inst.supports_tax_document = r.boolean("supports_tax_document", inst.supports_tax_document);
  inst.supports_investments = r.boolean("supports_investments", inst.supports_investments);
  inst.script = one_of(r, "script", true, inst.script, kScripts);
  inst.challenge_type = one_of(r, "challenge_type", false, inst.challenge_type, kChallengeTypes);
  inst.two_step_mfa = r.boolean("two_step_mfa", inst.two_step_mfa);
  inst.throttle_window =
      domain::Seconds{r.integer("throttle_window_seconds", false, inst.throttle_window.count(), 0,
                                std::int64_t{366} * 86400)};
  inst.mfa_timeout =
      domain::Seconds{r.integer("mfa_timeout_seconds", false, inst.mfa_timeout.count(), 1, 86400)};
  inst.transactions_per_day =
      r.number("transactions_per_day", false, inst.transactions_per_day, 0.0);
  if (inst.transactions_per_day > 100) {
    fail(file, r.at("transactions_per_day"), "expected number <= 100");
  }

  const json& creds = r.array("credentials", false);
  const std::string creds_ptr = r.at("credentials");
  UniqueIndex field_names(file, "field_name");
  int logins = 0;
  int passwords = 0;
  for (std::size_t i = 0; i < creds.size(); ++i) {
    const std::string ptr = creds_ptr + "/" + std::to_string(i);
    ObjectReader cr(file, creds[i], ptr);
    domain::CredentialField f = read_credential(cr, static_cast<int>(i));
    credential_guids.add(f.guid, ptr + "/guid");
    field_names.add(f.field_name, ptr + "/field_name");
    logins += f.is_login ? 1 : 0;
    passwords += f.is_password ? 1 : 0;
    inst.credentials.push_back(std::move(f));
  }
  if (inst.script == domain::CredentialScript::kOAuth) {
    if (!inst.supports_oauth) fail(file, r.at("supports_oauth"), "script oauth requires true");
    if (!inst.credentials.empty()) fail(file, creds_ptr, "script oauth takes no credentials");
  } else {
    if (passwords != 1) {
      fail(file, creds_ptr,
           "expected exactly one password field (is_password), found " + std::to_string(passwords));
    }
    if (logins < 1) fail(file, creds_ptr, "expected at least one login field (is_login)");
  }

  const json& accounts = r.array("accounts", true);
  const std::string accounts_ptr = r.at("accounts");
  if (accounts.empty()) fail(file, accounts_ptr, "expected at least one account");
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    ObjectReader ar(file, accounts[i], accounts_ptr + "/" + std::to_string(i));
    domain::AccountTemplate t;
    t.type = ar.non_empty_string("type");
    if (!contains(kAccountTypes, t.type)) {
      fail(file, ar.at("type"), "expected one of " + joined(kAccountTypes));
    }
    t.subtype = ar.string("subtype", false, "NONE");
    t.name = ar.string("name", false);
    ar.finish();
    inst.accounts.push_back(std::move(t));
  }
  r.finish();
  return inst;
}

std::vector<domain::Institution> read_institutions(std::string_view text) {
  const std::string_view file = kInstitutionsFile;
  const json root = parse_json(file, text);
  ObjectReader top(file, root, "");
  const json& list = top.array("institutions", true);
  top.finish();
  std::vector<domain::Institution> out;
  UniqueIndex codes(file, "code");
  UniqueIndex guids(file, "guid");
  UniqueIndex credential_guids(file, "credential guid");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = "/institutions/" + std::to_string(i);
    ObjectReader r(file, list[i], ptr);
    domain::Institution inst = institution_from_fixture(r, credential_guids);
    codes.add(inst.code, ptr + "/code");
    guids.add(inst.guid, ptr + "/guid");
    out.push_back(std::move(inst));
  }
  if (out.empty()) fail(file, "/institutions", "expected at least one institution");
  return out;
}

std::vector<domain::Category> read_categories(std::string_view text) {
  const std::string_view file = kCategoriesFile;
  const json root = parse_json(file, text);
  ObjectReader top(file, root, "");
  const json& list = top.array("categories", true);
  top.finish();
  std::vector<domain::Category> out;
  std::vector<std::string> pointers;
  UniqueIndex names(file, "name");
  UniqueIndex guids(file, "guid");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = "/categories/" + std::to_string(i);
    ObjectReader r(file, list[i], ptr);
    domain::Category c;
    c.guid = guid_field(r, "guid", "CAT");
    c.name = r.non_empty_string("name");
    c.parent_guid = r.string_or_null("parent_guid");
    if (!c.parent_guid.empty() && !is_guid(c.parent_guid, "CAT")) {
      fail(file, r.at("parent_guid"), "expected null or a CAT- guid");
    }
    c.nature = one_of(r, "nature", true, c.nature, kNatures);
    c.created_at = timestamp_field(r, "created_at");
    c.updated_at = timestamp_field(r, "updated_at");
    r.finish();
    names.add(c.name, ptr + "/name");
    guids.add(c.guid, ptr + "/guid");
    out.push_back(std::move(c));
    pointers.push_back(ptr);
  }
  // Parents may come later in the file; resolve once everything is read.
  std::map<std::string, const domain::Category*> by_guid;
  for (const auto& c : out) by_guid[c.guid] = &c;
  std::vector<std::string> top_names(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const domain::Category& c = out[i];
    if (c.is_top_level()) {
      top_names[i] = c.name;
      continue;
    }
    const auto it = by_guid.find(c.parent_guid);
    if (it == by_guid.end()) {
      fail(file, pointers[i] + "/parent_guid", "unknown category " + in_quotes(c.parent_guid));
    }
    if (!it->second->is_top_level()) {
      fail(file, pointers[i] + "/parent_guid", "parent must be a top-level category");
    }
    top_names[i] = it->second->name;
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].top_level_name = top_names[i];
  if (out.empty()) fail(file, "/categories", "expected at least one category");
  return out;
}

std::vector<domain::Merchant> read_merchants(std::string_view text,
                                             const std::vector<domain::Category>& categories) {
  const std::string_view file = kMerchantsFile;
  const json root = parse_json(file, text);
  ObjectReader top(file, root, "");
  const json& list = top.array("merchants", true);
  top.finish();
  std::set<std::string, std::less<>> category_names;
  for (const auto& c : categories) category_names.insert(c.name);
  std::vector<domain::Merchant> out;
  UniqueIndex names(file, "name");
  UniqueIndex guids(file, "guid");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = "/merchants/" + std::to_string(i);
    ObjectReader r(file, list[i], ptr);
    domain::Merchant m;
    m.guid = guid_field(r, "guid", "MCH");
    m.name = r.non_empty_string("name");
    m.category = r.non_empty_string("category");
    if (category_names.count(m.category) == 0) {
      fail(file, r.at("category"), "unknown category " + in_quotes(m.category));
    }
    m.descriptors = r.string_array("descriptors", true);
    if (m.descriptors.empty()) fail(file, r.at("descriptors"), "expected at least one descriptor");
    m.amount_min = r.number("amount_min", true, 0, 0.01);
    m.amount_max = r.number("amount_max", true, 0, 0.01);
    if (m.amount_max < m.amount_min) fail(file, r.at("amount_max"), "expected >= amount_min");
    m.merchant_category_code =
        static_cast<int>(r.integer("merchant_category_code", false, 0, 0, 9999));
    m.weight = r.number("weight", false, 1.0, 0.0);
    m.account_types = r.string_array("account_types", true);
    if (m.account_types.empty()) fail(file, r.at("account_types"), "expected at least one type");
    for (std::size_t k = 0; k < m.account_types.size(); ++k) {
      if (!contains(kAccountTypes, m.account_types[k])) {
        fail(file, r.at("account_types") + "/" + std::to_string(k),
             "expected one of " + joined(kAccountTypes));
      }
    }
    m.recurrence = one_of(r, "recurrence", false, m.recurrence, kRecurrences);
    m.is_subscription = r.boolean("is_subscription", false);
    m.is_online = r.boolean("is_online", false);
    m.website_url = r.string("website_url", false);
    m.logo_url = r.string("logo_url", false);
    m.created_at = timestamp_field(r, "created_at");
    m.updated_at = timestamp_field(r, "updated_at");
    r.finish();
    names.add(m.name, ptr + "/name");
    guids.add(m.guid, ptr + "/guid");
    out.push_back(std::move(m));
  }
  return out;
}

domain::Result<std::string> read_file(const std::string& dir, std::string_view name) {
  const std::string path = dir + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return domain::make_error(ErrorCode::kBadRequest, std::string(name) + ": cannot read " + path);
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

domain::Result<FixtureSet> parse_fixtures(std::string_view institutions_json,
                                          std::string_view categories_json,
                                          std::string_view merchants_json) {
  try {
    auto institutions = read_institutions(institutions_json);
    domain::DataCatalog catalog;
    catalog.categories = read_categories(categories_json);
    catalog.merchants = read_merchants(merchants_json, catalog.categories);
    FixtureSet set;
    set.institutions =
        std::make_shared<const std::vector<domain::Institution>>(std::move(institutions));
    set.catalog = std::make_shared<const domain::DataCatalog>(std::move(catalog));
    return set;
  } catch (const LoadError& e) {
    return domain::make_error(ErrorCode::kBadRequest, e.message);
  } catch (const std::exception& e) {
    // nlohmann type errors that slipped past the checks, std::bad_alloc...
    return domain::make_error(ErrorCode::kBadRequest, std::string("fixtures: ") + e.what());
  }
}

domain::Result<FixtureSet> load_embedded_fixtures() {
  std::array<std::optional<std::string_view>, 3> texts;
  const std::array<std::string_view, 3> names{kInstitutionsFile, kCategoriesFile, kMerchantsFile};
  for (const auto& f : fixtures::embedded_files()) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (f.path == names[i]) texts[i] = f.content;
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!texts[i]) {
      return domain::make_error(ErrorCode::kBadRequest,
                                std::string(names[i]) + ": not embedded in this build");
    }
  }
  return parse_fixtures(*texts[0], *texts[1], *texts[2]);
}

domain::Result<FixtureSet> load_fixtures_dir(const std::string& dir) {
  auto institutions = read_file(dir, kInstitutionsFile);
  if (!institutions) return institutions.error();
  auto categories = read_file(dir, kCategoriesFile);
  if (!categories) return categories.error();
  auto merchants = read_file(dir, kMerchantsFile);
  if (!merchants) return merchants.error();
  return parse_fixtures(*institutions, *categories, *merchants);
}

}  // namespace mxemu::api
