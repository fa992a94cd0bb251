// The default category mapping, embedded so the library needs no data file at run time.
// client/data/default_category_mapping.json is the source: edit it, then paste it here between
// the delimiters unchanged. category_mapper_test.cpp fails if the two differ by one byte.
#include "mxclient/category_mapper.h"

namespace mxclient {

// clang-format off
std::string_view CategoryMapper::default_mapping_json() {
  static constexpr std::string_view kJson = R"json({
  "version": 1,
  "description": "The app's categories for MX's taxonomy (fixtures/mx_categories.json: 21 top-level categories, 98 subcategories). Top-level rules cover whole families; category rules are the exceptions. Uncategorized maps to the default on purpose.",
  "default_category": "Other",
  "app_categories": [
    "Groceries",
    "Dining",
    "Transport",
    "Housing",
    "Utilities",
    "Shopping",
    "Health",
    "Insurance",
    "Entertainment",
    "Travel",
    "Education",
    "Kids",
    "Pets",
    "Personal Care",
    "Gifts & Donations",
    "Taxes",
    "Business",
    "Financial",
    "Fees",
    "Income",
    "Transfers",
    "Investments",
    "Other"
  ],
  "income_categories": ["Income"],
  "transfer_categories": ["Transfers", "Investments"],
  "rules": [
    {"mx_top_level_category": "Auto & Transport", "app_category": "Transport"},
    {"mx_top_level_category": "Bills & Utilities", "app_category": "Utilities"},
    {"mx_top_level_category": "Business Services", "app_category": "Business"},
    {"mx_top_level_category": "Education", "app_category": "Education"},
    {"mx_top_level_category": "Entertainment", "app_category": "Entertainment"},
    {"mx_top_level_category": "Fees & Charges", "app_category": "Fees"},
    {"mx_top_level_category": "Financial", "app_category": "Financial"},
    {"mx_top_level_category": "Food & Dining", "app_category": "Dining"},
    {"mx_top_level_category": "Gifts & Donations", "app_category": "Gifts & Donations"},
    {"mx_top_level_category": "Health & Fitness", "app_category": "Health"},
    {"mx_top_level_category": "Home", "app_category": "Housing"},
    {"mx_top_level_category": "Income", "app_category": "Income"},
    {"mx_top_level_category": "Investments", "app_category": "Investments"},
    {"mx_top_level_category": "Kids", "app_category": "Kids"},
    {"mx_top_level_category": "Personal Care", "app_category": "Personal Care"},
    {"mx_top_level_category": "Pets", "app_category": "Pets"},
    {"mx_top_level_category": "Shopping", "app_category": "Shopping"},
    {"mx_top_level_category": "Taxes", "app_category": "Taxes"},
    {"mx_top_level_category": "Transfer", "app_category": "Transfers", "note": "MX nature transfer, whatever the direction: a CREDIT transfer is not income"},
    {"mx_top_level_category": "Travel", "app_category": "Travel"},
    {"mx_top_level_category": "Uncategorized", "app_category": "Other", "note": "MX's own 'no category' family (Cash, Check): the default on purpose, not reported"},
    {"mx_category": "Groceries", "app_category": "Groceries"},
    {"mx_category": "Auto Insurance", "app_category": "Insurance"},
    {"mx_category": "Health Insurance", "app_category": "Insurance"},
    {"mx_category": "Home Insurance", "app_category": "Insurance"},
    {"mx_category": "Life Insurance", "app_category": "Insurance"},
    {"mx_top_level_category": "Income", "mx_category": "Returned Purchase", "app_category": "Shopping", "note": "MX nature expense: a refund offsets spending, it is not income"},
    {"mx_top_level_category": "Investments", "mx_category": "Dividend & Cap Gains", "app_category": "Income", "note": "MX nature income inside the transfer-nature Investments family"}
  ]
}
)json";
  return kJson;
}
// clang-format on

}  // namespace mxclient
