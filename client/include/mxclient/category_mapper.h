#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mxclient/mx_types.h"
#include "mxclient/result.h"

// Maps MX's categories (top_level_category, category) to the app's own taxonomy. MX's
// taxonomy is MX's classification, not a standard, so the app never shows it. map() only ever
// returns one of the mapping's app_categories. A pair no rule covers goes to the default
// category and is recorded, so unmapped() can report what the mapping misses.
//
// The mapping is a JSON document:
//   {"version": 1,
//    "default_category": "Other",
//    "app_categories": ["Groceries", "Dining", …, "Income", "Transfers", "Other"],
//    "income_categories": ["Income"],          // optional; the rest are expense
//    "transfer_categories": ["Transfers"],     // optional
//    "rules": [
//      {"mx_top_level_category": "Food & Dining", "app_category": "Dining"},
//      {"mx_category": "Groceries", "app_category": "Groceries"},
//      {"mx_top_level_category": "Income", "mx_category": "Returned Purchase",
//       "app_category": "Shopping", "note": "a refund offsets spending"}]}
// A rule names mx_category, mx_top_level_category or both, plus app_category and an optional
// note. Unknown keys are errors, so a misspelt key fails loudly instead of being ignored.
//
// Precedence, most specific first:
//   1. a rule naming both (top_level_category, category);
//   2. a rule naming the category alone;
//   3. a rule naming the top-level category alone;
//   4. a top-level rule whose name equals `category` (MX puts a transaction filed under a
//      top-level category in that category itself);
//   5. default_category, and the pair is recorded in unmapped().
// Names match exactly (MX's spelling and case).
//
// Direction is not a category. map() ignores CREDIT/DEBIT, so a CREDIT filed as MX "Transfer"
// stays "Transfers", not "Income". nature() says whether an app category is income, expense
// or transfer, so a caller can total spending and income without reading MX's taxonomy.
//
// map() may be called from several threads. Only the unmapped report is shared state, and a
// mutex guards it.
namespace mxclient {

enum class AppCategoryNature { kExpense, kIncome, kTransfer };

struct UnmappedCategory {
  std::string top_level_category;  // as MX sent it ("" for null)
  std::string category;
  std::size_t count = 0;  // how many map() calls fell into the default for this pair
};

class CategoryMapper {
 public:
  // Parses and validates a mapping. Errors are kInvalidInput, with a message that names the
  // place, e.g. `rules[4].app_category: "Dinning" is not in app_categories`.
  static Result<CategoryMapper> from_json(std::string_view json);
  static Result<CategoryMapper> from_file(const std::string& path);
  // The mapping shipped with the library (client/data/default_category_mapping.json, embedded).
  // It covers every category in MX's taxonomy. Each call returns a fresh mapper with an empty
  // report.
  static CategoryMapper default_mapper();
  // The embedded default mapping's text, byte for byte the file's.
  static std::string_view default_mapping_json();

  CategoryMapper(const CategoryMapper& other);
  CategoryMapper(CategoryMapper&& other) noexcept;
  CategoryMapper& operator=(const CategoryMapper& other);
  CategoryMapper& operator=(CategoryMapper&& other) noexcept;
  ~CategoryMapper() = default;

  // The app category for MX's pair. The view stays valid as long as this mapper is alive and
  // has not been assigned to.
  std::string_view map(std::string_view top_level_category, std::string_view category) const;
  std::string_view map(const MxTransaction& transaction) const;
  // What a rule (1-4 above) gives MX's pair, or nullopt where map() would fall back to the
  // default category. Records nothing.
  std::optional<std::string_view> lookup(std::string_view top_level_category,
                                         std::string_view category) const;

  // The pairs that fell into the default category, most frequent first (then by name).
  std::vector<UnmappedCategory> unmapped() const;
  void clear_unmapped();

  // kExpense for a name that is not an app category.
  AppCategoryNature nature(std::string_view app_category) const;
  const std::vector<std::string>& app_categories() const { return tables_.app_categories; }
  std::string_view default_category() const {
    return tables_.app_categories[tables_.default_index];
  }
  int version() const { return tables_.version; }

 private:
  using Index = std::map<std::string, std::size_t, std::less<>>;

  // Everything from the file; never changes after from_json.
  struct Tables {
    int version = 0;
    std::vector<std::string> app_categories;
    std::vector<AppCategoryNature> natures;  // parallel to app_categories
    std::size_t default_index = 0;
    std::map<std::string, Index, std::less<>> pair_rules;  // top level -> category -> app
    Index category_rules;
    Index top_level_rules;
  };

  explicit CategoryMapper(Tables tables) : tables_(std::move(tables)) {}

  Tables tables_;
  mutable std::mutex unmapped_mutex_;
  mutable std::map<std::pair<std::string, std::string>, std::size_t> unmapped_;

  friend class CategoryMappingParser;
};

std::string_view to_string(AppCategoryNature nature);

// How a mapping covers one of MX's categories, as its transactions would carry it.
struct CategoryCoverage {
  MxCategory category;
  // The name MX's transactions carry as top_level_category: a top-level category's own name,
  // or its parent's ("" when the parent is not in the list).
  std::string top_level_category;
  std::optional<std::string> app_category;  // nullopt: no rule covers it (the default applies)
};

// One entry per category, in the list's order. `categories` is MX's list:
// MxApi::list_default_categories(), or list_categories(user), which adds the user's own.
std::vector<CategoryCoverage> coverage(const CategoryMapper& mapper,
                                       const std::vector<MxCategory>& categories);

}  // namespace mxclient
