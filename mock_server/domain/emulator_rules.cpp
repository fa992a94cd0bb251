// Transaction rules: a user's automatic filing of transactions by their description.
#include <algorithm>
#include <cctype>
#include <utility>

#include "domain/emulator.h"
#include "domain/names.h"

namespace mxemu::domain {
namespace {

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  const auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), same) != text.end();
}

}  // namespace

bool Emulator::rule_matches(const TransactionRule& rule, const Transaction& t) {
  return contains_ignoring_case(t.description, rule.match_description) ||
         contains_ignoring_case(t.original_description, rule.match_description);
}

bool Emulator::apply_rule(const User& user, const TransactionRule& rule, Transaction& t) const {
  if (!rule_matches(rule, t)) return false;
  const Transaction before = t;
  if (!categorize(user, rule.category_guid, t)) return false;
  if (rule.description) t.description = *rule.description;
  return t.category_guid != before.category_guid || t.category != before.category ||
         t.description != before.description;
}

void Emulator::apply_rule_to_stored(const User& user, const TransactionRule& rule) {
  for (Transaction& t : store_.transactions_of_user(user.guid)) {
    if (!apply_rule(user, rule, t)) continue;
    t.updated_at = now_;
    store_.update_transaction(t);
  }
}

UpsertCounts Emulator::store_pulled(const std::string& user_guid, std::vector<Transaction> rows) {
  const auto& rules = store_.rules_of(user_guid);
  const User* user = store_.find_user(user_guid);
  if (!rules.empty() && user != nullptr) {
    for (Transaction& t : rows) {
      if (store_.find_transaction(t.guid)) continue;  // a known row keeps what it has
      for (const auto& rule : rules) (void)apply_rule(*user, rule, t);
    }
  }
  return store_.upsert_transactions(std::move(rows));
}

Result<const TransactionRule*> Emulator::create_rule(std::string_view user, IdentifierMode mode,
                                                     const RuleFields& fields) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (!fields.match_description && !fields.category_guid && !fields.description) {
    return refuse(ErrorCode::kBadRequest, Reason::kRuleEmpty);
  }
  if (!fields.match_description || is_blank(*fields.match_description)) {
    return refuse(ErrorCode::kBadRequest, Reason::kRuleMatchRequired);
  }
  if (!fields.category_guid) return refuse(ErrorCode::kBadRequest, Reason::kRuleCategoryRequired);
  Transaction probe;
  if (auto known = categorize(**u, *fields.category_guid, probe); !known) return known.error();
  TransactionRule rule;
  rule.guid = guids_.next("TXR");
  rule.user_guid = (*u)->guid;
  rule.match_description = *fields.match_description;
  rule.category_guid = *fields.category_guid;
  rule.description = fields.description;
  rule.created_at = now_;
  rule.updated_at = now_;
  const TransactionRule& added = store_.add_rule(std::move(rule));
  apply_rule_to_stored(**u, added);
  return &added;
}

Result<const TransactionRule*> Emulator::update_rule(std::string_view user, std::string_view guid,
                                                     IdentifierMode mode,
                                                     const RuleFields& fields) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  TransactionRule* rule = store_.find_rule((*u)->guid, guid);
  if (rule == nullptr) return record_not_found();
  if (!fields.match_description && !fields.category_guid && !fields.description) {
    return refuse(ErrorCode::kBadRequest, Reason::kRuleEmpty);
  }
  if (fields.match_description && is_blank(*fields.match_description)) {
    return refuse(ErrorCode::kBadRequest, Reason::kRuleMatchRequired);
  }
  if (fields.category_guid) {
    Transaction probe;
    if (auto known = categorize(**u, *fields.category_guid, probe); !known) {
      return known.error();
    }
    rule->category_guid = *fields.category_guid;
  }
  if (fields.match_description) rule->match_description = *fields.match_description;
  if (fields.description) rule->description = fields.description;
  rule->updated_at = now_;
  apply_rule_to_stored(**u, *rule);
  return rule;
}

Status Emulator::delete_rule(std::string_view user, std::string_view guid, IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (store_.find_rule((*u)->guid, guid) == nullptr) return record_not_found();
  store_.remove_rule((*u)->guid, guid);
  return ok_status();
}

}  // namespace mxemu::domain
