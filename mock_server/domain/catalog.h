#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

// MX's category taxonomy and the merchants the data generator draws from. Loaded from
// fixtures/mx_categories.json and fixtures/merchants.json (api/fixture_loader.h); the field
// names below are the JSON keys (docs/institutions.md, "Catalog fixtures").
namespace mxemu::domain {

// How a personal-finance app should count money in a category. MX itself only publishes
// `is_income`; the other two natures are the emulator's, so that client tests can map MX
// categories onto an app's own.
enum class CategoryNature {
  kExpense,   // spending (a CREDIT in it is a refund)
  kIncome,    // earnings: paychecks, interest, dividends
  kTransfer,  // money moving between the user's own accounts: not spending, not income
};

struct Category {
  std::string guid;         // "CAT-…"
  std::string name;         // "Groceries"; unique across the catalog
  std::string parent_guid;  // empty for a top-level category
  // The top-level category's name ("Food & Dining"); a top-level category's own name.
  // Derived by the loader, not stored in JSON.
  std::string top_level_name;
  CategoryNature nature = CategoryNature::kExpense;
  // ISO 8601 as MX prints it ("2015-04-13T18:01:23.000Z"); may be empty.
  std::string created_at;
  std::string updated_at;

  bool is_top_level() const { return parent_guid.empty(); }
  bool is_income() const { return nature == CategoryNature::kIncome; }
  bool operator==(const Category& o) const {
    return guid == o.guid && name == o.name && parent_guid == o.parent_guid &&
           top_level_name == o.top_level_name && nature == o.nature && created_at == o.created_at &&
           updated_at == o.updated_at;
  }
  bool operator!=(const Category& o) const { return !(*this == o); }
};

// How often a merchant charges a member who uses it.
enum class Recurrence {
  kNone,         // discretionary: drawn at random, `weight` is the relative frequency
  kMonthly,      // bills and subscriptions: one charge a month on a fixed day
  kSemiMonthly,  // payroll: the 15th and the last day of the month (weekends move earlier)
};

struct Merchant {
  std::string guid;      // "MCH-…"
  std::string name;      // the cleaned-up description: "Whole Foods Market"; unique
  std::string category;  // a Category::name ("Groceries")
  // Raw descriptor templates, as a bank statement shows them. Placeholders: {store} (a store
  // number stable per member), {city} {state} (the member's home), {ref} (digits, new per
  // transaction), {mmdd} (the transaction's month and day), {last4} (the account's last four).
  std::vector<std::string> descriptors;
  double amount_min = 0;  // typical amount range in USD; amount_min <= amount_max
  double amount_max = 0;
  int merchant_category_code = 0;  // ISO 18245 MCC; 0 when none applies
  // kNone: relative frequency among discretionary merchants. kMonthly/kSemiMonthly: how likely
  // a member is to use this merchant among those of the same category (a member has at most
  // one recurring merchant per category).
  double weight = 1;
  std::vector<std::string> account_types;  // account types that pay it ("CHECKING", ...)
  Recurrence recurrence = Recurrence::kNone;
  bool is_subscription = false;  // a recurring digital subscription (is_subscription)
  bool is_online = false;        // card-not-present: no latitude/longitude
  std::string website_url;
  std::string logo_url;
  std::string created_at;  // ISO 8601 as MX prints it; may be empty
  std::string updated_at;

  bool used_by(std::string_view account_type) const {
    return std::find(account_types.begin(), account_types.end(), account_type) !=
           account_types.end();
  }
  bool operator==(const Merchant& o) const {
    return guid == o.guid && name == o.name && category == o.category &&
           descriptors == o.descriptors && amount_min == o.amount_min &&
           amount_max == o.amount_max && merchant_category_code == o.merchant_category_code &&
           weight == o.weight && account_types == o.account_types && recurrence == o.recurrence &&
           is_subscription == o.is_subscription && is_online == o.is_online &&
           website_url == o.website_url && logo_url == o.logo_url && created_at == o.created_at &&
           updated_at == o.updated_at;
  }
  bool operator!=(const Merchant& o) const { return !(*this == o); }
};

// A store of a merchant in a metro (MX's MerchantLocationResponse). Every in-person transaction
// names the store it happened at (merchant_location_guid). The guid encodes the merchant's place
// in the catalog, the metro and the store number, so a location is a pure function of its guid,
// like the merchants themselves: shared by every tenant, never stored
// (find_merchant_location, data_generator.h).
struct MerchantLocation {
  std::string guid;  // "MCL-…"
  std::string merchant_guid;
  std::string street_address;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;
  double latitude = 0;
  double longitude = 0;
  std::string phone_number;
  std::string created_at;  // the merchant's (ISO 8601 strings, as the catalog has them)
  std::string updated_at;
};

// The reference data behind generated transactions. Plain values; lookups are linear (the
// catalog holds about 130 categories and 70 merchants). Pointers returned by the lookups stay
// valid while the catalog is neither modified nor destroyed.
struct DataCatalog {
  std::vector<Category> categories;  // top-level categories and subcategories, in file order
  std::vector<Merchant> merchants;

  const Category* find_category(std::string_view name) const {
    for (const auto& c : categories) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
  const Category* find_category_by_guid(std::string_view guid) const {
    for (const auto& c : categories) {
      if (c.guid == guid) return &c;
    }
    return nullptr;
  }
  const Merchant* find_merchant(std::string_view name) const {
    for (const auto& m : merchants) {
      if (m.name == name) return &m;
    }
    return nullptr;
  }
  const Merchant* find_merchant_by_guid(std::string_view guid) const {
    for (const auto& m : merchants) {
      if (m.guid == guid) return &m;
    }
    return nullptr;
  }
  // The top-level categories, in file order.
  std::vector<const Category*> top_level_categories() const {
    std::vector<const Category*> out;
    for (const auto& c : categories) {
      if (c.is_top_level()) out.push_back(&c);
    }
    return out;
  }
  // The subcategories of the category with `parent_guid`, in file order.
  std::vector<const Category*> subcategories_of(std::string_view parent_guid) const {
    std::vector<const Category*> out;
    for (const auto& c : categories) {
      if (c.parent_guid == parent_guid) out.push_back(&c);
    }
    return out;
  }
  bool operator==(const DataCatalog& o) const {
    return categories == o.categories && merchants == o.merchants;
  }
  bool operator!=(const DataCatalog& o) const { return !(*this == o); }
};

}  // namespace mxemu::domain
