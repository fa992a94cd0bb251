// The Store as a StoreSnapshot value and back, in the canonical orders emulator_snapshot.h lists.
#include <algorithm>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/emulator_snapshot.h"
#include "domain/store.h"

namespace mxemu::domain {

namespace {

template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// Hands `set` each member's records of `all`, keeping each member's order.
template <class T, class Set>
void set_per_member(const std::vector<T>& all, Set set) {
  std::unordered_map<std::string, std::vector<T>> grouped;
  for (const auto& item : all) grouped[item.member_guid].push_back(item);
  for (auto& [member, list] : grouped) set(member, std::move(list));
}

}  // namespace

StoreSnapshot Store::snapshot(bool with_transactions) const {
  StoreSnapshot s;
  const std::vector<std::string> member_guids = all_member_guids();
  for (const auto& guid : user_order_) {
    s.users.push_back(users_.at(guid));
    append(s.categories, categories_of(guid));
    append(s.tags, tags_of(guid));
    append(s.taggings, taggings_of(guid));
    append(s.rules, rules_of(guid));
    append(s.microdeposits, microdeposits_of(guid));
    if (!with_transactions) continue;
    if (const Index* index = index_for(TransactionScope::kUser, guid)) {
      for (const auto& entry : *index) s.transactions.push_back(transactions_.get(entry.row));
    }
  }
  for (const auto& guid : member_guids) {
    s.members.push_back(members_.at(guid));
    for (const auto* a : accounts_of_member(guid)) s.accounts.push_back(*a);
    append(s.holdings, holdings_of_member(guid));
    append(s.account_numbers, account_numbers_of_member(guid));
    append(s.account_owners, account_owners_of_member(guid));
    append(s.statements, statements_of_member(guid));
    append(s.rewards, rewards_of_member(guid));
  }
  for (const auto* a : accounts_of_member("")) s.accounts.push_back(*a);
  s.merged_accounts = {merged_accounts_.begin(), merged_accounts_.end()};
  for_each_authorization_code(
      [&s](const AuthorizationCode& c) { s.authorization_codes.push_back(c); });
  for_each_processor_token([&s](const ProcessorToken& t) { s.processor_tokens.push_back(t); });
  std::sort(s.authorization_codes.begin(), s.authorization_codes.end(),
            [](const AuthorizationCode& a, const AuthorizationCode& b) {
              return std::tie(a.created_at, a.code) < std::tie(b.created_at, b.code);
            });
  std::sort(s.processor_tokens.begin(), s.processor_tokens.end(),
            [](const ProcessorToken& a, const ProcessorToken& b) {
              return std::tie(a.created_at, a.access_token) <
                     std::tie(b.created_at, b.access_token);
            });
  return s;
}

void Store::restore(const StoreSnapshot& s) {
  clear();
  for (const auto& u : s.users) add_user(u);
  for (const auto& m : s.members) add_member(m);
  for (const auto& c : s.categories) add_category(c);
  for (const auto& t : s.tags) add_tag(t);
  for (const auto& r : s.rules) add_rule(r);
  for (const auto& m : s.microdeposits) add_microdeposit(m);
  merged_accounts_ = {s.merged_accounts.begin(), s.merged_accounts.end()};
  for (const auto& c : s.authorization_codes) add_authorization_code(c);
  for (const auto& t : s.processor_tokens) add_processor_token(t);
  upsert_accounts(s.accounts);
  upsert_transactions(s.transactions);
  for (const auto& g : s.taggings) add_tagging(g);
  set_per_member(s.holdings,
                 [this](const std::string& m, auto list) { set_holdings(m, std::move(list)); });
  set_per_member(s.account_numbers, [this](const std::string& m, auto list) {
    set_account_numbers(m, std::move(list));
  });
  set_per_member(s.account_owners, [this](const std::string& m, auto list) {
    set_account_owners(m, std::move(list));
  });
  set_per_member(s.statements,
                 [this](const std::string& m, auto list) { set_statements(m, std::move(list)); });
  set_per_member(s.rewards,
                 [this](const std::string& m, auto list) { set_rewards(m, std::move(list)); });
}

}  // namespace mxemu::domain
