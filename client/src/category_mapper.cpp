#include "mxclient/category_mapper.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace mxclient {

using json = nlohmann::json;

namespace {

constexpr std::string_view kWhere = "category mapping";

Error invalid_mapping(const std::string& where, const std::string& what) {
  return make_error(ErrorKind::kInvalidInput,
                    std::string(kWhere) + ": " + (where.empty() ? "" : where + ": ") + what);
}

std::string json_quoted(std::string_view text) { return json(std::string(text)).dump(); }

// The keys `object` may have; the first unknown one is an error.
std::optional<Error> reject_unknown_keys(const json& object, const std::string& where,
                                         std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      return invalid_mapping(where, "unknown key " + json_quoted(item.key()));
    }
  }
  return std::nullopt;
}

// A non-empty string member, or an error naming it. `present` reports whether the key exists.
std::optional<Error> read_name(const json& object, const std::string& where, const char* key,
                               std::string& out, bool& present) {
  const auto it = object.find(key);
  present = it != object.end();
  if (!present) return std::nullopt;
  if (!it->is_string()) return invalid_mapping(where + "." + key, "must be a string");
  out = it->get<std::string>();
  if (out.empty()) return invalid_mapping(where + "." + key, "must not be empty");
  return std::nullopt;
}

}  // namespace

// Builds a CategoryMapper's tables from a parsed document; a friend, so it may fill them.
class CategoryMappingParser {
 public:
  static Result<CategoryMapper> parse(std::string_view text) {
    json doc;
    try {
      doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      return invalid_mapping("",
                             "invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const json::exception& e) {  // out_of_range: a number beyond a double (1e999)
      return invalid_mapping("", std::string("invalid JSON: ") + e.what());
    }
    if (!doc.is_object()) return invalid_mapping("", "the document must be a JSON object");
    if (auto err =
            reject_unknown_keys(doc, "",
                                {"version", "description", "default_category", "app_categories",
                                 "income_categories", "transfer_categories", "rules"})) {
      return *err;
    }

    CategoryMapper::Tables t;
    const auto version = doc.find("version");
    if (version == doc.end()) return invalid_mapping("version", "missing");
    if (!version->is_number_integer() || version->get<int>() != 1) {
      return invalid_mapping("version", "must be 1, found " + version->dump());
    }
    t.version = 1;
    if (const auto d = doc.find("description"); d != doc.end() && !d->is_string()) {
      return invalid_mapping("description", "must be a string");
    }

    // app_categories: unique, non-empty names.
    const auto cats = doc.find("app_categories");
    if (cats == doc.end()) return invalid_mapping("app_categories", "missing");
    if (!cats->is_array() || cats->empty()) {
      return invalid_mapping("app_categories", "must be a non-empty array of names");
    }
    CategoryMapper::Index index_of;
    for (std::size_t i = 0; i < cats->size(); ++i) {
      const std::string where = "app_categories[" + std::to_string(i) + "]";
      const json& c = (*cats)[i];
      if (!c.is_string() || c.get<std::string>().empty()) {
        return invalid_mapping(where, "must be a non-empty string");
      }
      const std::string name = c.get<std::string>();
      if (index_of.count(name) != 0)
        return invalid_mapping(where, json_quoted(name) + " is listed twice");
      index_of.emplace(name, t.app_categories.size());
      t.app_categories.push_back(name);
    }
    t.natures.assign(t.app_categories.size(), AppCategoryNature::kExpense);

    // A name that must be one of app_categories.
    const auto lookup = [&index_of](const std::string& where, const json& value,
                                    std::size_t& out) -> std::optional<Error> {
      if (!value.is_string()) return invalid_mapping(where, "must be a string");
      const auto it = index_of.find(value.get<std::string>());
      if (it == index_of.end()) {
        return invalid_mapping(where, value.dump() + " is not in app_categories");
      }
      out = it->second;
      return std::nullopt;
    };

    const auto def = doc.find("default_category");
    if (def == doc.end()) return invalid_mapping("default_category", "missing");
    if (auto err = lookup("default_category", *def, t.default_index)) return *err;

    // income_categories, transfer_categories: optional subsets; a category has one nature.
    std::vector<bool> natured(t.app_categories.size(), false);
    constexpr std::array<std::pair<const char*, AppCategoryNature>, 2> kNatureLists{{
        {"income_categories", AppCategoryNature::kIncome},
        {"transfer_categories", AppCategoryNature::kTransfer},
    }};
    for (const auto& [key, nature] : kNatureLists) {
      const auto list = doc.find(key);
      if (list == doc.end()) continue;
      if (!list->is_array()) return invalid_mapping(key, "must be an array of app categories");
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
        std::size_t index = 0;
        if (auto err = lookup(where, (*list)[i], index)) return *err;
        if (natured[index]) {
          return invalid_mapping(where,
                                 json_quoted(t.app_categories[index]) + " already has a nature");
        }
        natured[index] = true;
        t.natures[index] = nature;
      }
    }

    // rules
    const auto rules = doc.find("rules");
    if (rules == doc.end()) return invalid_mapping("rules", "missing");
    if (!rules->is_array()) return invalid_mapping("rules", "must be an array");
    // Where each key was first defined, to name both rules of a duplicate.
    std::map<std::string, std::string> first_seen;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const std::string where = "rules[" + std::to_string(i) + "]";
      const json& rule = (*rules)[i];
      if (!rule.is_object()) return invalid_mapping(where, "must be an object");
      if (auto err = reject_unknown_keys(
              rule, where, {"mx_category", "mx_top_level_category", "app_category", "note"})) {
        return *err;
      }
      std::string category;
      std::string top_level;
      bool has_category = false;
      bool has_top_level = false;
      if (auto err = read_name(rule, where, "mx_category", category, has_category)) return *err;
      if (auto err = read_name(rule, where, "mx_top_level_category", top_level, has_top_level)) {
        return *err;
      }
      if (!has_category && !has_top_level) {
        return invalid_mapping(where, "needs mx_category, mx_top_level_category or both");
      }
      if (const auto note = rule.find("note"); note != rule.end() && !note->is_string()) {
        return invalid_mapping(where + ".note", "must be a string");
      }
      const auto app = rule.find("app_category");
      if (app == rule.end()) return invalid_mapping(where + ".app_category", "missing");
      std::size_t index = 0;
      if (auto err = lookup(where + ".app_category", *app, index)) return *err;

      std::string key;
      if (has_category && has_top_level) {
        key = "mx_top_level_category " + json_quoted(top_level) + " + mx_category " +
              json_quoted(category);
        t.pair_rules[top_level].emplace(category, index);
      } else if (has_category) {
        key = "mx_category " + json_quoted(category);
        t.category_rules.emplace(category, index);
      } else {
        key = "mx_top_level_category " + json_quoted(top_level);
        t.top_level_rules.emplace(top_level, index);
      }
      if (const auto [it, fresh] = first_seen.emplace(key, where); !fresh) {
        return invalid_mapping(where, "repeats " + it->second + " (" + key + ")");
      }
    }
    return CategoryMapper(std::move(t));
  }
};

Result<CategoryMapper> CategoryMapper::from_json(std::string_view json_text) {
  return CategoryMappingParser::parse(json_text);
}

Result<CategoryMapper> CategoryMapper::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::kInvalidInput, path + ": cannot open the category mapping");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(ErrorKind::kInvalidInput, path + ": cannot read it");
  auto mapper = from_json(text.str());
  if (!mapper.ok())
    return make_error(ErrorKind::kInvalidInput, path + ": " + mapper.error().message);
  return mapper;
}

CategoryMapper CategoryMapper::default_mapper() {
  static const CategoryMapper* const kPrototype = [] {
    auto parsed = from_json(default_mapping_json());
    if (!parsed.ok()) {
      // The embedded file is checked by the tests; reaching this is a build defect.
      std::fprintf(stderr, "mxclient: the embedded default category mapping is invalid: %s\n",
                   parsed.error().message.c_str());
      std::abort();
    }
    return new CategoryMapper(std::move(parsed).value());  // never freed: no exit-time order
  }();
  return *kPrototype;
}

CategoryMapper::CategoryMapper(const CategoryMapper& other) : tables_(other.tables_) {
  const std::lock_guard<std::mutex> lock(other.unmapped_mutex_);
  unmapped_ = other.unmapped_;
}

CategoryMapper::CategoryMapper(CategoryMapper&& other) noexcept
    : tables_(std::move(other.tables_)) {
  const std::lock_guard<std::mutex> lock(other.unmapped_mutex_);
  unmapped_ = std::move(other.unmapped_);
}

CategoryMapper& CategoryMapper::operator=(const CategoryMapper& other) {
  if (this != &other) {
    const std::scoped_lock lock(unmapped_mutex_, other.unmapped_mutex_);
    tables_ = other.tables_;
    unmapped_ = other.unmapped_;
  }
  return *this;
}

CategoryMapper& CategoryMapper::operator=(CategoryMapper&& other) noexcept {
  if (this != &other) {
    const std::scoped_lock lock(unmapped_mutex_, other.unmapped_mutex_);
    tables_ = std::move(other.tables_);
    unmapped_ = std::move(other.unmapped_);
  }
  return *this;
}

std::optional<std::string_view> CategoryMapper::lookup(std::string_view top_level_category,
                                                       std::string_view category) const {
  const auto app = [this](std::size_t index) -> std::string_view {
    return tables_.app_categories[index];
  };
  if (const auto family = tables_.pair_rules.find(top_level_category);
      family != tables_.pair_rules.end()) {
    if (const auto it = family->second.find(category); it != family->second.end()) {
      return app(it->second);
    }
  }
  if (const auto it = tables_.category_rules.find(category); it != tables_.category_rules.end()) {
    return app(it->second);
  }
  if (const auto it = tables_.top_level_rules.find(top_level_category);
      it != tables_.top_level_rules.end()) {
    return app(it->second);
  }
  if (const auto it = tables_.top_level_rules.find(category); it != tables_.top_level_rules.end()) {
    return app(it->second);
  }
  return std::nullopt;
}

std::string_view CategoryMapper::map(std::string_view top_level_category,
                                     std::string_view category) const {
  if (const auto ruled = lookup(top_level_category, category)) return *ruled;
  {
    const std::lock_guard<std::mutex> lock(unmapped_mutex_);
    ++unmapped_[{std::string(top_level_category), std::string(category)}];
  }
  return default_category();
}

std::string_view CategoryMapper::map(const MxTransaction& transaction) const {
  // transaction.type is deliberately unused: direction does not change a category.
  return map(transaction.top_level_category, transaction.category);
}

std::vector<UnmappedCategory> CategoryMapper::unmapped() const {
  std::vector<UnmappedCategory> out;
  {
    const std::lock_guard<std::mutex> lock(unmapped_mutex_);
    out.reserve(unmapped_.size());
    for (const auto& [pair, count] : unmapped_) out.push_back({pair.first, pair.second, count});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.count > b.count;  // the map already ordered equal counts by name
  });
  return out;
}

void CategoryMapper::clear_unmapped() {
  const std::lock_guard<std::mutex> lock(unmapped_mutex_);
  unmapped_.clear();
}

std::vector<CategoryCoverage> coverage(const CategoryMapper& mapper,
                                       const std::vector<MxCategory>& categories) {
  std::map<std::string, const MxCategory*, std::less<>> by_guid;
  for (const auto& c : categories) by_guid.emplace(c.guid, &c);
  std::vector<CategoryCoverage> out;
  out.reserve(categories.size());
  for (const auto& c : categories) {
    CategoryCoverage entry;
    entry.category = c;
    if (!c.parent_guid) {
      entry.top_level_category = c.name;
    } else if (const auto parent = by_guid.find(*c.parent_guid); parent != by_guid.end()) {
      entry.top_level_category = parent->second->name;
    }
    if (const auto ruled = mapper.lookup(entry.top_level_category, c.name)) {
      entry.app_category = std::string(*ruled);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

AppCategoryNature CategoryMapper::nature(std::string_view app_category) const {
  const auto& names = tables_.app_categories;
  const auto it = std::find(names.begin(), names.end(), app_category);
  if (it == names.end()) return AppCategoryNature::kExpense;
  return tables_.natures[static_cast<std::size_t>(it - names.begin())];
}

std::string_view to_string(AppCategoryNature nature) {
  switch (nature) {
    case AppCategoryNature::kExpense:
      return "expense";
    case AppCategoryNature::kIncome:
      return "income";
    case AppCategoryNature::kTransfer:
      return "transfer";
  }
  return "expense";
}

}  // namespace mxclient
