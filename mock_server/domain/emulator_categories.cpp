// Categories: MX's default taxonomy (the catalog) and the subcategories each user adds.
#include <algorithm>
#include <utility>

#include "domain/emulator.h"
#include "domain/names.h"

namespace mxemu::domain {
Status Emulator::check_category_name(const User& user, const std::string& name,
                                     std::string_view except_guid) const {
  if (is_blank(name)) return refuse(ErrorCode::kBadRequest, Reason::kCategoryNameRequired);
  const auto& own = store_.categories_of(user.guid);
  const bool taken = catalog_->find_category(name) != nullptr ||
                     std::any_of(own.begin(), own.end(), [&](const CustomCategory& c) {
                       return c.name == name && c.guid != except_guid;
                     });
  if (taken) return refuse(ErrorCode::kConflict, Reason::kCategoryNameTaken, {name});
  return ok_status();
}

Result<const CustomCategory*> Emulator::create_category(std::string_view user, IdentifierMode mode,
                                                        const CategoryFields& fields) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (!fields.name && !fields.parent_guid && !fields.metadata) {
    return refuse(ErrorCode::kBadRequest, Reason::kCategoryEmpty);
  }
  if (!fields.name) return refuse(ErrorCode::kBadRequest, Reason::kCategoryNameRequired);
  if (!fields.parent_guid) return refuse(ErrorCode::kBadRequest, Reason::kCategoryParentRequired);
  const Category* parent = catalog_->find_category_by_guid(*fields.parent_guid);
  if (parent == nullptr || !parent->is_top_level()) {
    return refuse(ErrorCode::kBadRequest, Reason::kCategoryParentInvalid, {*fields.parent_guid});
  }
  if (auto named = check_category_name(**u, *fields.name, {}); !named) return named.error();
  CustomCategory c;
  c.guid = guids_.next("CAT");
  c.user_guid = (*u)->guid;
  c.name = *fields.name;
  c.parent_guid = parent->guid;
  c.metadata = fields.metadata;
  c.created_at = now_;
  c.updated_at = now_;
  return &store_.add_category(std::move(c));
}

Result<const CustomCategory*> Emulator::update_category(std::string_view user,
                                                        std::string_view guid, IdentifierMode mode,
                                                        const CategoryFields& fields) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (catalog_->find_category_by_guid(guid) != nullptr) {
    return refuse(ErrorCode::kBadRequest, Reason::kCategoryIsDefault);
  }
  CustomCategory* c = store_.find_category((*u)->guid, guid);
  if (c == nullptr) return record_not_found();
  if (!fields.name && !fields.metadata) {
    return refuse(ErrorCode::kBadRequest, Reason::kCategoryEmpty);
  }
  if (fields.name) {
    if (auto named = check_category_name(**u, *fields.name, c->guid); !named) {
      return named.error();
    }
  }
  const bool renamed = fields.name && *fields.name != c->name;
  if (fields.name) c->name = *fields.name;
  if (fields.metadata) c->metadata = fields.metadata;
  c->updated_at = now_;
  if (renamed) refile_transactions(**u, c->guid, c->guid);
  return c;
}

Status Emulator::delete_category(std::string_view user, std::string_view guid,
                                 IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (catalog_->find_category_by_guid(guid) != nullptr) {
    return refuse(ErrorCode::kBadRequest, Reason::kCategoryIsDefault);
  }
  const CustomCategory* c = store_.find_category((*u)->guid, guid);
  if (c == nullptr) return record_not_found();
  const std::string own = c->guid;
  const std::string parent = c->parent_guid;
  // Refiled first: categorize() must still resolve the parent, and the category must not be
  // gone while its transactions name it.
  refile_transactions(**u, own, parent);
  for (const auto& rule : store_.rules_of((*u)->guid)) {
    if (rule.category_guid != own) continue;
    TransactionRule* r = store_.find_rule((*u)->guid, rule.guid);
    r->category_guid = parent;
    r->updated_at = now_;
  }
  store_.remove_category((*u)->guid, own);
  return ok_status();
}

Status Emulator::categorize(const User& user, std::string_view category_guid,
                            Transaction& t) const {
  if (const Category* c = catalog_->find_category_by_guid(category_guid)) {
    t.category = c->name;
    t.category_guid = c->guid;
    t.top_level_category = c->top_level_name;
    return ok_status();
  }
  for (const auto& c : store_.categories_of(user.guid)) {
    if (c.guid != category_guid) continue;
    const Category* parent = catalog_->find_category_by_guid(c.parent_guid);
    t.category = c.name;
    t.category_guid = c.guid;
    t.top_level_category = parent == nullptr ? c.name : parent->name;
    return ok_status();
  }
  return refuse(ErrorCode::kNotFound, Reason::kUnknownCategory);
}

void Emulator::refile_transactions(const User& user, const std::string& from_guid,
                                   const std::string& to_guid) {
  for (Transaction& t : store_.transactions_of_user(user.guid)) {
    if (t.category_guid != from_guid) continue;
    if (!categorize(user, to_guid, t)) continue;
    t.updated_at = now_;
    store_.update_transaction(t);
  }
}

}  // namespace mxemu::domain
