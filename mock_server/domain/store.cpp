#include "domain/store.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

using IndexEntry = Store::IndexEntry;

template <class T>
void erase_value(std::vector<T>& v, const T& value) {
  v.erase(std::remove(v.begin(), v.end(), value), v.end());
}

template <class Map>
const typename Map::mapped_type& find_or_empty(const Map& m, std::string_view key) {
  static const typename Map::mapped_type kEmpty{};
  auto it = m.find(std::string(key));
  return it == m.end() ? kEmpty : it->second;
}

}  // namespace

// ---------------------------------------------------------------- users

User& Store::add_user(User user) {
  const std::string guid = user.guid;
  if (user.id) user_by_id_[*user.id] = guid;
  user_order_.push_back(guid);
  return users_.emplace(guid, std::move(user)).first->second;
}

User* Store::find_user(std::string_view guid) {
  auto it = users_.find(std::string(guid));
  return it == users_.end() ? nullptr : &it->second;
}

User* Store::find_user_by_id(std::string_view partner_id) {
  auto it = user_by_id_.find(std::string(partner_id));
  return it == user_by_id_.end() ? nullptr : find_user(it->second);
}

void Store::rename_user_id(User& user, std::optional<std::string> new_id) {
  if (user.id) user_by_id_.erase(*user.id);
  user.id = std::move(new_id);
  if (user.id) user_by_id_[*user.id] = user.guid;
}

void Store::remove_user(const std::string& guid) {
  auto it = users_.find(guid);
  if (it == users_.end()) return;
  const std::vector<std::string> member_guids = members_by_user_[guid];
  for (const auto& m : member_guids) remove_member(m);
  // Manual accounts hang off the user with no member.
  if (auto acc = accounts_by_member_.find(""); acc != accounts_by_member_.end()) {
    const std::vector<std::string> manual = acc->second;
    for (const auto& a : manual) {
      if (auto* account = find_account(a); account != nullptr && account->user_guid == guid) {
        remove_account(a);
      }
    }
  }
  members_by_user_.erase(guid);
  categories_.erase_user(guid);
  tags_.erase_user(guid);
  taggings_.erase_user(guid);
  rules_.erase_user(guid);
  for (const auto& m : microdeposits_of(guid)) microdeposit_owner_.erase(m.guid);
  microdeposits_.erase_user(guid);
  drop_processor_access(&ProcessorScope::user_guid, guid);
  txn_by_user_.erase(guid);
  if (it->second.id) user_by_id_.erase(*it->second.id);
  erase_value(user_order_, guid);
  users_.erase(it);
}

// ---------------------------------------------------------------- members

Member& Store::add_member(Member member) {
  const std::string guid = member.guid;
  members_by_user_[member.user_guid].push_back(guid);
  return members_.emplace(guid, std::move(member)).first->second;
}

Member* Store::find_member(std::string_view guid) {
  auto it = members_.find(std::string(guid));
  return it == members_.end() ? nullptr : &it->second;
}

std::vector<Member*> Store::members_of(std::string_view user_guid) {
  std::vector<Member*> out;
  for (const auto& g : find_or_empty(members_by_user_, user_guid)) out.push_back(find_member(g));
  return out;
}

std::size_t Store::member_count(std::string_view user_guid) const {
  return find_or_empty(members_by_user_, user_guid).size();
}

std::vector<std::string> Store::all_member_guids() const {
  std::vector<std::string> out;
  for (const auto& guid : user_order_) {
    const auto& ms = find_or_empty(members_by_user_, guid);
    out.insert(out.end(), ms.begin(), ms.end());
  }
  return out;
}

void Store::remove_member(const std::string& guid) {
  auto it = members_.find(guid);
  if (it == members_.end()) return;
  const std::vector<std::string> account_guids = accounts_by_member_[guid];
  for (const auto& a : account_guids) remove_account(a);
  accounts_by_member_.erase(guid);
  txn_by_member_.erase(guid);
  holdings_.erase(guid);
  account_numbers_.erase(guid);
  account_owners_.erase(guid);
  statements_.erase(guid);
  rewards_.erase(guid);
  drop_processor_access(&ProcessorScope::member_guid, guid);
  for (auto m = merged_accounts_.begin(); m != merged_accounts_.end();) {
    m = m->second == guid ? merged_accounts_.erase(m) : std::next(m);
  }
  erase_value(members_by_user_[it->second.user_guid], guid);
  members_.erase(it);
}

// ---------------------------------------------------------------- accounts

void Store::upsert_accounts(const std::vector<Account>& accounts) {
  for (const auto& a : accounts) {
    auto [it, inserted] = accounts_.insert_or_assign(a.guid, a);
    if (inserted) accounts_by_member_[a.member_guid].push_back(a.guid);
  }
}

Account* Store::find_account(std::string_view guid) {
  auto it = accounts_.find(std::string(guid));
  return it == accounts_.end() ? nullptr : &it->second;
}

std::vector<const Account*> Store::accounts_of_member(std::string_view member_guid) const {
  std::vector<const Account*> out;
  for (const auto& g : find_or_empty(accounts_by_member_, member_guid)) {
    out.push_back(&accounts_.at(g));
  }
  return out;
}

std::vector<const Account*> Store::accounts_of_user(std::string_view user_guid) const {
  std::vector<const Account*> out;
  for (const auto& m : find_or_empty(members_by_user_, user_guid)) {
    auto accounts = accounts_of_member(m);
    out.insert(out.end(), accounts.begin(), accounts.end());
  }
  for (const auto* a : accounts_of_member("")) {
    if (a->user_guid == user_guid) out.push_back(a);
  }
  return out;
}

void Store::remove_account(const std::string& guid) {
  auto it = accounts_.find(guid);
  if (it == accounts_.end()) return;
  if (auto idx = txn_by_account_.find(guid); idx != txn_by_account_.end()) {
    std::vector<std::string> txn_guids;
    txn_guids.reserve(idx->second.size());
    for (const auto& e : idx->second) txn_guids.push_back(transactions_.guid(e.row));
    for (const auto& t : txn_guids) remove_transaction(t);
    txn_by_account_.erase(guid);
    drop_dangling_taggings(it->second.user_guid);
  }
  const std::string& member = it->second.member_guid;
  auto drop = [&](auto& per_member) {
    const auto list = per_member.find(member);
    if (list == per_member.end()) return;
    auto& v = list->second;
    v.erase(
        std::remove_if(v.begin(), v.end(), [&](const auto& r) { return r.account_guid == guid; }),
        v.end());
  };
  drop(holdings_);
  drop(account_numbers_);
  drop(account_owners_);
  drop(statements_);
  drop(rewards_);
  drop_processor_access(&ProcessorScope::account_guid, guid);
  erase_value(accounts_by_member_[member], guid);
  accounts_.erase(it);
}

// ---------------------------------------------------------------- transactions

Store::Index* Store::index_for(TransactionScope scope, const std::string& key) {
  switch (scope) {
    case TransactionScope::kUser:
      return &txn_by_user_[key];
    case TransactionScope::kMember:
      return &txn_by_member_[key];
    case TransactionScope::kAccount:
      return &txn_by_account_[key];
  }
  return nullptr;
}

const Store::Index* Store::index_for(TransactionScope scope, const std::string& key) const {
  const std::unordered_map<std::string, Index>* map = &txn_by_user_;
  if (scope == TransactionScope::kMember) map = &txn_by_member_;
  if (scope == TransactionScope::kAccount) map = &txn_by_account_;
  auto it = map->find(key);
  return it == map->end() ? nullptr : &it->second;
}

bool Store::entry_before(const IndexEntry& a, const IndexEntry& b) const {
  return a.day != b.day ? a.day < b.day : transactions_.guid_less(a.row, b.row);
}

void Store::index_insert(const std::vector<TransactionTable::RowId>& added) {
  if (added.empty()) return;
  // Group the batch per index, sort it, then merge it in: O(n + k log k) per index.
  auto before = [this](const IndexEntry& a, const IndexEntry& b) { return entry_before(a, b); };
  std::unordered_map<Index*, Index> batches;
  for (const auto row : added) {
    const IndexEntry e{transactions_.day(row), row};
    touch_transactions(transactions_.user_guid(row));
    batches[index_for(TransactionScope::kUser, transactions_.user_guid(row))].push_back(e);
    batches[index_for(TransactionScope::kMember, transactions_.member_guid(row))].push_back(e);
    batches[index_for(TransactionScope::kAccount, transactions_.account_guid(row))].push_back(e);
  }
  for (auto& [index, batch] : batches) {
    std::sort(batch.begin(), batch.end(), before);
    const auto middle = static_cast<std::ptrdiff_t>(index->size());
    index->insert(index->end(), batch.begin(), batch.end());
    std::inplace_merge(index->begin(), index->begin() + middle, index->end(), before);
  }
}

void Store::touch_transactions(const std::string& user_guid) {
  txn_revision_by_user_[user_guid] = ++txn_revisions_;
}

std::uint64_t Store::transactions_revision(std::string_view user_guid) const {
  const auto it = txn_revision_by_user_.find(std::string(user_guid));
  return it == txn_revision_by_user_.end() ? 0 : it->second;
}

std::vector<Transaction> Store::transactions_of_user(std::string_view user_guid) const {
  std::vector<Transaction> out;
  if (const Index* index = index_for(TransactionScope::kUser, std::string(user_guid))) {
    out.reserve(index->size());
    for (const auto& entry : *index) out.push_back(transactions_.get(entry.row));
  }
  return out;
}

void Store::index_erase(TransactionTable::RowId row) {
  auto before = [this](const IndexEntry& a, const IndexEntry& b) { return entry_before(a, b); };
  const IndexEntry e{transactions_.day(row), row};
  touch_transactions(transactions_.user_guid(row));
  for (auto [scope, key] :
       {std::pair{TransactionScope::kUser, &transactions_.user_guid(row)},
        std::pair{TransactionScope::kMember, &transactions_.member_guid(row)},
        std::pair{TransactionScope::kAccount, &transactions_.account_guid(row)}}) {
    Index* index = index_for(scope, *key);
    auto range = std::equal_range(index->begin(), index->end(), e, before);
    index->erase(range.first, range.second);
  }
}

UpsertCounts Store::upsert_transactions(std::vector<Transaction> txns) {
  UpsertCounts counts;
  std::vector<TransactionTable::RowId> added;
  for (auto& t : txns) {
    const auto row = transactions_.find(t.guid);
    if (!row) {
      added.push_back(transactions_.insert(t));
      ++counts.created;
      continue;
    }
    // Re-aggregation owns what the institution reports (status, dates, amount); what the user
    // edited through the API (description, memo, category, metadata) is kept.
    Transaction existing = transactions_.get(*row);
    const bool changed = existing.status != t.status || existing.amount != t.amount ||
                         existing.date != t.date || existing.posted_at != t.posted_at;
    if (!changed) continue;
    const bool moved = existing.date != t.date;  // a pending row can post on another day
    if (moved) index_erase(*row);
    existing.status = std::move(t.status);
    existing.amount = t.amount;
    existing.date = std::move(t.date);
    existing.posted_at = t.posted_at;
    existing.transacted_at = t.transacted_at;
    existing.updated_at = t.updated_at;
    touch_transactions(existing.user_guid);
    transactions_.assign(*row, existing);
    if (moved) added.push_back(*row);
    ++counts.updated;
  }
  index_insert(added);
  return counts;
}

std::optional<Transaction> Store::find_transaction(std::string_view guid) const {
  const auto row = transactions_.find(guid);
  if (!row) return std::nullopt;
  return transactions_.get(*row);
}

bool Store::update_transaction(const Transaction& txn) {
  const auto row = transactions_.find(txn.guid);
  if (!row) return false;
  const Transaction stored = transactions_.get(*row);
  // The indexes key on these; an edit that changed them would leave a row where it is not.
  assert(stored.user_guid == txn.user_guid && stored.member_guid == txn.member_guid &&
         stored.account_guid == txn.account_guid && stored.date == txn.date);
  touch_transactions(txn.user_guid);
  transactions_.assign(*row, txn);
  return true;
}

Page<Transaction> Store::list_transactions(const TransactionFilter& filter,
                                           const PageRequest& page) const {
  const Index* index = index_for(filter.scope, filter.key);
  static const Index kEmpty;
  if (index == nullptr) index = &kEmpty;
  auto none = [](std::size_t) { return Transaction{}; };
  // Date bounds by binary search on the date-sorted index.
  auto first = index->begin();
  auto last = index->end();
  if (filter.from_date) {
    const auto day = parse_day(*filter.from_date);
    if (!day) return slice_page<Transaction>(0, page, none);
    first = std::lower_bound(first, last, *day,
                             [](const IndexEntry& e, DayNumber d) { return e.day < d; });
  }
  if (filter.to_date) {
    const auto day = parse_day(*filter.to_date);
    if (!day) return slice_page<Transaction>(0, page, none);
    last = std::upper_bound(first, last, *day,
                            [](DayNumber d, const IndexEntry& e) { return d < e.day; });
  }
  if (!filter.from_updated_on && !filter.to_updated_on) {
    const auto count = static_cast<std::size_t>(last - first);
    return slice_page<Transaction>(count, page, [&](std::size_t i) {
      return transactions_.get(first[static_cast<std::ptrdiff_t>(i)].row);
    });
  }
  // updated_at filters are rare: a linear pass over the date range.
  std::vector<TransactionTable::RowId> hits;
  for (auto it = first; it != last; ++it) {
    const std::string day = format_date(transactions_.updated_at(it->row));
    if (filter.from_updated_on && day < *filter.from_updated_on) continue;
    if (filter.to_updated_on && day > *filter.to_updated_on) continue;
    hits.push_back(it->row);
  }
  return slice_page<Transaction>(hits.size(), page,
                                 [&](std::size_t i) { return transactions_.get(hits[i]); });
}

void Store::remove_transaction(const std::string& guid) {
  const auto row = transactions_.find(guid);
  if (!row) return;
  index_erase(*row);
  transactions_.erase(*row);
}

// ---------------------------------------------------------------- premium-job data

void Store::set_holdings(const std::string& member_guid, std::vector<Holding> holdings) {
  holdings_[member_guid] = std::move(holdings);
}
void Store::set_account_numbers(const std::string& member_guid,
                                std::vector<AccountNumber> numbers) {
  account_numbers_[member_guid] = std::move(numbers);
}
void Store::set_account_owners(const std::string& member_guid, std::vector<AccountOwner> owners) {
  account_owners_[member_guid] = std::move(owners);
}
void Store::set_statements(const std::string& member_guid, std::vector<Statement> statements) {
  statements_[member_guid] = std::move(statements);
}
void Store::set_rewards(const std::string& member_guid, std::vector<Reward> rewards) {
  rewards_[member_guid] = std::move(rewards);
}
const std::vector<Holding>& Store::holdings_of_member(std::string_view member_guid) const {
  return find_or_empty(holdings_, member_guid);
}
const std::vector<AccountNumber>& Store::account_numbers_of_member(
    std::string_view member_guid) const {
  return find_or_empty(account_numbers_, member_guid);
}
const std::vector<AccountOwner>& Store::account_owners_of_member(
    std::string_view member_guid) const {
  return find_or_empty(account_owners_, member_guid);
}
const std::vector<Statement>& Store::statements_of_member(std::string_view member_guid) const {
  return find_or_empty(statements_, member_guid);
}
const std::vector<Reward>& Store::rewards_of_member(std::string_view member_guid) const {
  return find_or_empty(rewards_, member_guid);
}

void Store::clear() {
  users_.clear();
  user_order_.clear();
  user_by_id_.clear();
  members_.clear();
  members_by_user_.clear();
  accounts_.clear();
  accounts_by_member_.clear();
  transactions_.clear();
  txn_by_user_.clear();
  txn_by_member_.clear();
  txn_by_account_.clear();
  txn_revision_by_user_.clear();  // txn_revisions_ goes on: a revision is never reused
  categories_.clear();
  tags_.clear();
  taggings_.clear();
  rules_.clear();
  microdeposits_.clear();
  microdeposit_owner_.clear();
  authorization_codes_.clear();
  processor_tokens_.clear();
  merged_accounts_.clear();
  holdings_.clear();
  account_numbers_.clear();
  account_owners_.clear();
  statements_.clear();
  rewards_.clear();
}

}  // namespace mxemu::domain
