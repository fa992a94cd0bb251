// What each job type produces, from the deterministic generator (data_generator.h).
#include <algorithm>

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

Emulator::JobYield Emulator::produce_data(Member& member, const Institution& institution,
                                          JobType type) {
  const MemberDataContext ctx{member.user_guid, member.guid, member.data_seed};
  std::vector<Account> accounts = generate_accounts(institution, catalog_, ctx, now_);
  upsert_accounts(store_, accounts);
  member.has_processed_accounts = true;
  const DayNumber today = day_of(now_);
  JobYield yield;

  switch (type) {
    case JobType::kAggregate: {
      // First pull: the institution's usual history. Later pulls: from a little before the
      // last pull, so rows that were PENDING then come back POSTED (same guid).
      const DayNumber from = member.data_pulled_through ? day_of(*member.data_pulled_through) - 3
                                                        : today - options_.initial_history_days + 1;
      yield.counts = store_.upsert_transactions(stamped(
          generate_member_transactions(institution, catalog_, ctx, accounts, from, today, now_),
          now_));
      if (!member.history_pulled_from || from < day_of(*member.history_pulled_from)) {
        member.history_pulled_from = start_of_day(from);
      }
      member.data_pulled_through = now_;
      member.has_processed_transactions = true;
      if (institution.supports_investments) {
        store_.set_holdings(member.guid, generate_holdings(institution, ctx, accounts, now_));
        member.has_processed_holdings = true;
      }
      break;
    }
    case JobType::kBalance:
      break;  // balances came with the accounts
    case JobType::kHistory: {
      const DayNumber oldest = today - options_.extended_history_days + 1;
      const DayNumber until =
          member.history_pulled_from ? day_of(*member.history_pulled_from) - 1 : today;
      yield.counts = store_.upsert_transactions(stamped(
          generate_member_transactions(institution, catalog_, ctx, accounts, oldest, until, now_),
          now_));
      member.history_pulled_from = start_of_day(std::min(oldest, until + 1));
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
