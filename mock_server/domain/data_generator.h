#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog.h"
#include "domain/clock.h"
#include "domain/institution.h"
#include "domain/records.h"
#include "domain/timestamps.h"

// Deterministic generation of a member's financial data: accounts, transactions, holdings,
// account numbers, owners and statements. Pure: no clock reads, no I/O, no JSON, no hidden
// state. Every output is a function of its arguments only, so a member's data can be
// regenerated at any time instead of being stored, and the same member always gets the same
// guids. Randomness comes from domain::mix64 seeded by MemberDataContext::seed.
//
// The money model (docs/institutions.md, "Generated data"):
// - Every account lives in calendar months. The transactions of account A on day D depend on
//   (institution, catalog, seed, A, D) only, never on the range requested, so any split of a
//   range yields the same rows and guids.
// - CHECKING and CREDIT_CARD close every month with one balancing row (a transfer to or from an
//   external account; the card's autopay), so a balance is the month's opening balance plus the
//   month's posted rows: balances and transactions agree, and balances stay bounded however far
//   time moves. SAVINGS grows by a monthly deposit plus interest from 2020-01 on (balances and
//   rows agree from then on).
//   LOAN and MORTGAGE balances follow their amortisation schedule (payments reduce them by the
//   principal part). INVESTMENT balances are the market value of the holdings.
// - A row is PENDING while `now - transacted_at < kPendingWindow` (posted_at empty) and POSTED
//   afterwards, with the same guid. Rows after `now` do not exist yet.
// - `balance` counts POSTED rows only; `available_balance` (deposits) and available credit
//   (cards: credit_limit - balance - pending) count PENDING ones too, as MX documents.
namespace mxemu::domain {

// Who the data belongs to, and the seed that makes it.
struct MemberDataContext {
  std::string user_guid;
  std::string member_guid;
  std::uint64_t seed = 0;  // Member::data_seed; different seeds give different data
};

// How long a transaction stays PENDING after it is transacted.
inline constexpr Seconds kPendingWindow{48 * 3600};

// The member's accounts, one per `institution.accounts` template, in template order (the
// position is the `account_index` the other functions take). Guids are derived from the seed
// and the index. Balances are as of `now` (see the money model above); debt accounts
// (CREDIT_CARD, LOAN, MORTGAGE, LINE_OF_CREDIT) carry positive balances. created_at and
// updated_at are `now`: callers that keep records across aggregations keep their own created_at.
std::vector<Account> generate_accounts(const Institution& institution, const DataCatalog& catalog,
                                       const MemberDataContext& ctx, TimePoint now);

// The transactions of one account on the UTC days [from_day, to_day] (both inclusive), as seen
// at `now`: days after day_of(now) and rows transacted after `now` are left out. Sorted by
// transacted_at, then guid order of creation. Empty when from_day > to_day.
// REQUIRES: 0 <= account_index < institution.accounts.size(), and `account` is
// generate_accounts(institution, catalog, ctx, ...)[account_index] (its guid is stamped on the
// rows; its type is not re-read: the template's is). Out-of-range indexes give no rows.
std::vector<Transaction> generate_transactions(const Institution& institution,
                                               const DataCatalog& catalog,
                                               const MemberDataContext& ctx, const Account& account,
                                               int account_index, DayNumber from_day,
                                               DayNumber to_day, TimePoint now);

// generate_transactions for every account in `accounts` (as generate_accounts returned them),
// concatenated in account order.
std::vector<Transaction> generate_member_transactions(
    const Institution& institution, const DataCatalog& catalog, const MemberDataContext& ctx,
    const std::vector<Account>& accounts, DayNumber from_day, DayNumber to_day, TimePoint now);

// Holdings of the INVESTMENT accounts among `accounts` (as generate_accounts returned them);
// nothing for other types. Share counts depend on the seed only; prices (and so market_value)
// on the day of `now`. The market values of an account's holdings sum to its balance.
std::vector<Holding> generate_holdings(const Institution& institution, const MemberDataContext& ctx,
                                       const std::vector<Account>& accounts, TimePoint now);

// The location behind `guid`, or nullopt when no store of the catalog's merchants has it.
std::optional<MerchantLocation> find_merchant_location(const DataCatalog& catalog,
                                                       std::string_view guid);

// Full account and routing numbers for the CHECKING and SAVINGS accounts among `accounts`.
// The account number ends with the masked number's last four digits; the routing number is the
// institution's (routing_number_for) and passes the ABA checksum.
std::vector<AccountNumber> generate_account_numbers(const Institution& institution,
                                                    const MemberDataContext& ctx,
                                                    const std::vector<Account>& accounts);

// One owner per account, plus a joint owner (same surname and address) on CHECKING, SAVINGS and
// MORTGAGE accounts for about 40 % of seeds. The people and their address depend on
// ctx.user_guid only, so a user's members at different institutions agree. Fictional names,
// 555-01xx phone numbers and example.com e-mail addresses.
std::vector<AccountOwner> generate_account_owners(const Institution& institution,
                                                  const MemberDataContext& ctx,
                                                  const std::vector<Account>& accounts);

// One statement per account per calendar month for the `months` complete months before the
// month of `now` (most recent first). period_end is the month's last day, created_at the next
// day at 06:00 UTC; content_hash is 64 hex digits derived from (seed, account, month).
// Whether the institution supports statements is the caller's business. REQUIRES: months >= 0.
std::vector<Statement> generate_statements(const Institution& institution,
                                           const MemberDataContext& ctx,
                                           const std::vector<Account>& accounts, TimePoint now,
                                           int months);

// The loyalty balance of each CREDIT_CARD account among `accounts`: the points its program lets
// expire at the end of the month of `now` (balance_type EXPIRING_BALANCE, unit_type POINTS, as
// MX's own example of a reward), a number between 500 and 9,999 that depends on the seed, the
// account and the month. The guid is the account's, stable across fetches; created_at and
// updated_at are `now` (the caller keeps a stored reward's created_at). Whether the institution
// supports rewards is the caller's business.
std::vector<Reward> generate_rewards(const Institution& institution, const MemberDataContext& ctx,
                                     const std::vector<Account>& accounts, TimePoint now);

// The institution's 9-digit ABA routing number, derived from its code (stable, checksum-valid,
// with a Federal Reserve prefix 01-12 or 21-32).
std::string routing_number_for(const Institution& institution);

// True for nine digits whose ABA checksum 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) is 0 mod 10.
bool is_valid_aba_routing_number(std::string_view digits);

}  // namespace mxemu::domain
