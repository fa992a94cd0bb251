// What each job type produces, from the deterministic generator (data_generator.h).
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/data_generator.h"
#include "domain/emulator.h"
#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

constexpr int kStatementMonths = 12;

// Refreshes accounts from the institution while keeping what belongs to the emulator's records:
// creation time and the user's own edits (name, hidden flag, metadata).
void upsert_accounts(Store& store, std::vector<Account> fresh) {
  for (auto& a : fresh) {
    if (const Account* old = store.find_account(a.guid)) {
      a.created_at = old->created_at;
      a.name = old->name;
      a.is_hidden = old->is_hidden;
      a.metadata = old->metadata;
    }
  }
  store.upsert_accounts(fresh);
}

// MX's created_at/updated_at say when MX recorded a row, not when it happened.
std::vector<Transaction> stamped(std::vector<Transaction> rows, TimePoint now) {
  for (auto& t : rows) t.created_at = t.updated_at = now;
  return rows;
}

}  // namespace

TransactionDays Emulator::transaction_days(const Member& member, JobType type,
                                           DayNumber today) const {
  switch (type) {
    case JobType::kAggregate:
    case JobType::kRewards:  // MX: it gathers "account and transaction information" too
      // First pull: the institution's usual history. Later pulls: from a little before the
      // last pull, so rows that were PENDING then come back POSTED (same guid).
      return {member.data_pulled_through ? day_of(*member.data_pulled_through) - 3
                                         : today - options_.initial_history_days + 1,
              today};
    case JobType::kHistory:
      // Extended history: the days before the oldest pulled so far, back to the extended limit.
      return {today - options_.extended_history_days + 1,
              member.history_pulled_from ? day_of(*member.history_pulled_from) - 1 : today};
    case JobType::kBalance:
    case JobType::kIdentify:
    case JobType::kVerify:
    case JobType::kStatements:
      break;
  }
  return {};
}

bool Emulator::pulls_data_at(const Member& member, TimePoint at) const {
  if (!member.job || member.job->phase != JobPhase::kPullingData || member.job->timer == 0) {
    return false;
  }
  const std::optional<TimePoint> due = timers_.due_of(member.job->timer);
  return due && *due == at;
}

std::vector<DataOrder> Emulator::data_orders() {
  for (auto it = prepared_.begin(); it != prepared_.end();) {
    const Member* m = store_.find_member(it->first);
    it = m != nullptr && pulls_data_at(*m, it->second.at) ? std::next(it) : prepared_.erase(it);
  }
  std::vector<DataOrder> orders;
  for (const std::string& guid : store_.all_member_guids()) {
    const Member* m = store_.find_member(guid);
    if (m == nullptr || !m->job || m->job->phase != JobPhase::kPullingData ||
        prepared_.count(guid) != 0) {
      continue;
    }
    const std::optional<TimePoint> due = timers_.due_of(m->job->timer);
    if (!due) continue;
    orders.push_back(DataOrder{institution_of(*m),
                               {m->user_guid, m->guid, m->data_seed},
                               m->job->type,
                               *due,
                               transaction_days(*m, m->job->type, day_of(*due))});
  }
  return orders;
}

void Emulator::stash_prepared(PreparedData data) {
  const Member* m = store_.find_member(data.member_guid);
  if (m == nullptr || !pulls_data_at(*m, data.at) || m->job->type != data.type ||
      !(transaction_days(*m, data.type, day_of(data.at)) == data.days)) {
    return;
  }
  std::string guid = data.member_guid;
  prepared_.insert_or_assign(std::move(guid), std::move(data));
}

Emulator::JobYield Emulator::produce_data(Member& member, const Institution& institution,
                                          JobType type) {
  const MemberDataContext ctx{member.user_guid, member.guid, member.data_seed};
  const DayNumber today = day_of(now_);
  const TransactionDays days = transaction_days(member, type, today);
  // Data the ticker made ahead for exactly this step (data_prefetch.h), or none.
  std::optional<PreparedData> ready;
  if (auto it = prepared_.find(member.guid); it != prepared_.end()) {
    if (it->second.at == now_ && it->second.type == type && it->second.days == days) {
      ready = std::move(it->second);
    }
    prepared_.erase(it);
  }
  // Accounts merged away stay away, with everything about them (mergeAccounts).
  const auto merged = [this](const auto& r) { return store_.merged_away(r.account_guid); };
  auto transactions = [&](const std::vector<Account>& accounts) {
    std::vector<Transaction> rows =
        ready ? std::move(ready->transactions)
              : generate_member_transactions(institution, *catalog_, ctx, accounts, days.from,
                                             days.to, now_);
    rows.erase(std::remove_if(rows.begin(), rows.end(), merged), rows.end());
    return rows;
  };
  std::vector<Account> accounts =
      ready ? std::move(ready->accounts) : generate_accounts(institution, *catalog_, ctx, now_);
  accounts.erase(std::remove_if(accounts.begin(), accounts.end(),
                                [this](const Account& a) { return store_.merged_away(a.guid); }),
                 accounts.end());
  upsert_accounts(store_, accounts);
  member.has_processed_accounts = true;
  JobYield yield;
  const auto pull_transactions = [&] {
    const DayNumber from = days.from;
    const UpsertCounts counts =
        store_pulled(member.user_guid, stamped(transactions(accounts), now_));
    if (!member.history_pulled_from || from < day_of(*member.history_pulled_from)) {
      member.history_pulled_from = start_of_day(from);
    }
    member.data_pulled_through = now_;
    member.has_processed_transactions = true;
    return counts;
  };
  // A reward already stored keeps its created_at, and its updated_at unless it changed.
  const auto pull_rewards = [&] {
    std::vector<Reward> rewards = generate_rewards(institution, ctx, accounts, now_);
    const std::vector<Reward>& before = store_.rewards_of_member(member.guid);
    UpsertCounts counts;
    for (Reward& r : rewards) {
      const auto old = std::find_if(before.begin(), before.end(),
                                    [&](const Reward& b) { return b.guid == r.guid; });
      if (old == before.end()) {
        ++counts.created;
        continue;
      }
      r.created_at = old->created_at;
      if (old->balance == r.balance && old->expires_on == r.expires_on) {
        r.updated_at = old->updated_at;
      } else {
        ++counts.updated;
      }
    }
    store_.set_rewards(member.guid, std::move(rewards));
    return counts;
  };

  switch (type) {
    case JobType::kAggregate: {
      yield.counts = pull_transactions();
      if (institution.supports_investments) {
        store_.set_holdings(member.guid, generate_holdings(institution, ctx, accounts, now_));
        member.has_processed_holdings = true;
      }
      // "Rewards data is also gathered with daily background aggregations" (MX).
      if (institution.supports_rewards) (void)pull_rewards();
      break;
    }
    case JobType::kRewards:
      (void)pull_transactions();
      yield.counts = pull_rewards();
      break;
    case JobType::kBalance:
      break;  // balances came with the accounts
    case JobType::kHistory: {
      yield.counts = store_pulled(member.user_guid, stamped(transactions(accounts), now_));
      member.history_pulled_from = start_of_day(std::min(days.from, days.to + 1));
      if (!member.data_pulled_through) member.data_pulled_through = now_;
      member.has_processed_transactions = true;
      break;
    }
    case JobType::kIdentify:
      store_.set_account_owners(member.guid, generate_account_owners(institution, ctx, accounts));
      member.has_processed_account_owners = true;
      break;
    case JobType::kVerify: {
      auto numbers = generate_account_numbers(institution, ctx, accounts);
      for (const auto& n : numbers) yield.account_guids.push_back(n.account_guid);
      store_.set_account_numbers(member.guid, std::move(numbers));
      member.has_processed_account_numbers = true;
      break;
    }
    case JobType::kStatements: {
      auto statements = generate_statements(institution, ctx, accounts, now_, kStatementMonths);
      const std::size_t before = store_.statements_of_member(member.guid).size();
      yield.counts.created =
          static_cast<int>(statements.size() > before ? statements.size() - before : 0);
      store_.set_statements(member.guid, std::move(statements));
      member.has_processed_statements = true;
      break;
    }
  }
  return yield;
}

}  // namespace mxemu::domain
