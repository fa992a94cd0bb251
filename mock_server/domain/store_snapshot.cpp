// The Store as a StoreSnapshot value and back, in the canonical orders emulator_snapshot.h lists.
#include <utility>

#include "domain/emulator_snapshot.h"
#include "domain/store.h"

namespace mxemu::domain {

StoreSnapshot Store::snapshot(bool with_transactions) const {
  StoreSnapshot s;
  const std::vector<std::string> member_guids = all_member_guids();
  for (const auto& guid : user_order_) {
    s.users.push_back(users_.at(guid));
    const auto& categories = categories_of(guid);
    s.categories.insert(s.categories.end(), categories.begin(), categories.end());
    const auto& tags = tags_of(guid);
    s.tags.insert(s.tags.end(), tags.begin(), tags.end());
    const auto& taggings = taggings_of(guid);
    s.taggings.insert(s.taggings.end(), taggings.begin(), taggings.end());
    const auto& rules = rules_of(guid);
    s.rules.insert(s.rules.end(), rules.begin(), rules.end());
    if (!with_transactions) continue;
    if (const Index* index = index_for(TransactionScope::kUser, guid)) {
      for (const auto& entry : *index) s.transactions.push_back(transactions_.get(entry.row));
    }
  }
  for (const auto& guid : member_guids) {
    s.members.push_back(members_.at(guid));
    for (const auto* a : accounts_of_member(guid)) s.accounts.push_back(*a);
    const auto& holdings = holdings_of_member(guid);
    s.holdings.insert(s.holdings.end(), holdings.begin(), holdings.end());
    const auto& numbers = account_numbers_of_member(guid);
    s.account_numbers.insert(s.account_numbers.end(), numbers.begin(), numbers.end());
    const auto& owners = account_owners_of_member(guid);
    s.account_owners.insert(s.account_owners.end(), owners.begin(), owners.end());
    const auto& statements = statements_of_member(guid);
    s.statements.insert(s.statements.end(), statements.begin(), statements.end());
    const auto& rewards = rewards_of_member(guid);
    s.rewards.insert(s.rewards.end(), rewards.begin(), rewards.end());
  }
  for (const auto* a : accounts_of_member("")) s.accounts.push_back(*a);
  return s;
}

void Store::restore(const StoreSnapshot& s) {
  clear();
  for (const auto& u : s.users) add_user(u);
  for (const auto& m : s.members) add_member(m);
  for (const auto& c : s.categories) add_category(c);
  for (const auto& t : s.tags) add_tag(t);
  for (const auto& r : s.rules) add_rule(r);
  upsert_accounts(s.accounts);
  upsert_transactions(s.transactions);
  for (const auto& g : s.taggings) add_tagging(g);
  // Grouped per member, keeping each member's order.
  std::unordered_map<std::string, std::vector<Holding>> holdings;
  for (const auto& h : s.holdings) holdings[h.member_guid].push_back(h);
  for (auto& [member, list] : holdings) set_holdings(member, std::move(list));
  std::unordered_map<std::string, std::vector<AccountNumber>> numbers;
  for (const auto& n : s.account_numbers) numbers[n.member_guid].push_back(n);
  for (auto& [member, list] : numbers) set_account_numbers(member, std::move(list));
  std::unordered_map<std::string, std::vector<AccountOwner>> owners;
  for (const auto& o : s.account_owners) owners[o.member_guid].push_back(o);
  for (auto& [member, list] : owners) set_account_owners(member, std::move(list));
  std::unordered_map<std::string, std::vector<Statement>> statements;
  for (const auto& st : s.statements) statements[st.member_guid].push_back(st);
  for (auto& [member, list] : statements) set_statements(member, std::move(list));
  std::unordered_map<std::string, std::vector<Reward>> rewards;
  for (const auto& r : s.rewards) rewards[r.member_guid].push_back(r);
  for (auto& [member, list] : rewards) set_rewards(member, std::move(list));
}

}  // namespace mxemu::domain
