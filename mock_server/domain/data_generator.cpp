// The entry points for accounts and transactions, and how a planned row becomes a Transaction.
// The rest of data_generator.h is implemented next to the parts it uses (see
// data_generator_internal.h for the map).
#include "domain/data_generator.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain {
namespace generator_detail {

Transaction Generator::render(const Row& row, const Account& account, int a, DayNumber day, int seq,
                              TimePoint now) const {
  Transaction t;
  t.guid = derived_guid("TRN", hash_of(ctx_.seed, kSaltTransaction, as_key(a)),
                        (as_key(day) << 12U) + static_cast<std::uint64_t>(seq));
  t.user_guid = ctx_.user_guid;
  t.member_guid = ctx_.member_guid;
  t.account_guid = account.guid;
  t.amount = row.amount;
  t.type = row.credit ? "CREDIT" : "DEBIT";
  t.transacted_at = at(day, row.seconds);
  t.date = format_day(day);
  if (now - t.transacted_at < kPendingWindow) {
    t.status = "PENDING";
    t.updated_at = t.transacted_at;
  } else {
    t.status = "POSTED";
    // Posts 6 to 40 hours later: always before the pending window ends.
    const auto delay =
        6 * kHour + static_cast<int>(hash_of(as_key(day), as_key(seq), hash_text(t.guid)) %
                                     (std::uint64_t{34} * kHour));
    t.posted_at = t.transacted_at + Seconds{delay};
    t.updated_at = *t.posted_at;
  }
  t.created_at = t.transacted_at;
  t.original_description = row.original;
  t.description = row.description;
  const Category* cat = catalog_.find_category(row.category);
  if (cat == nullptr) cat = catalog_.find_category("Uncategorized");
  if (cat != nullptr) {
    t.category = cat->name;
    t.category_guid = cat->guid;
    t.top_level_category = cat->top_level_name.empty() ? cat->name : cat->top_level_name;
  } else {
    t.category = row.category;
  }
  if (row.merchant != nullptr) {
    t.merchant_guid = row.merchant->guid;
    if (!row.location_guid.empty()) t.merchant_location_guid = row.location_guid;
    if (row.merchant->merchant_category_code > 0) {
      t.merchant_category_code = std::to_string(row.merchant->merchant_category_code);
    }
  }
  const CategoryNature nature = cat != nullptr ? cat->nature : CategoryNature::kExpense;
  t.currency_code = account.currency_code.empty() ? "USD" : account.currency_code;
  t.is_bill_pay = row.bill_pay;
  t.is_direct_deposit = row.direct_deposit;
  t.is_expense = !row.credit && nature == CategoryNature::kExpense;
  t.is_income = row.credit && nature == CategoryNature::kIncome;
  t.is_fee = row.fee || t.top_level_category == "Fees & Charges";
  t.is_overdraft_fee = row.overdraft;
  t.is_recurring = row.recurring;
  t.is_subscription = row.subscription;
  if (row.located) {
    t.latitude = row.latitude;
    t.longitude = row.longitude;
  }
  return t;
}

}  // namespace generator_detail

using generator_detail::AccountPlan;
using generator_detail::at;
using generator_detail::day_in_month;
using generator_detail::Generator;
using generator_detail::kHour;
using generator_detail::last_day;
using generator_detail::month_of;
using generator_detail::MonthIndex;
using generator_detail::round2;
using generator_detail::Row;

namespace {

// generate_transactions with a Generator the caller may reuse across accounts (it caches the
// month nets that balancing needs).
std::vector<Transaction> transactions_for(Generator& gen, const Account& account, int a,
                                          DayNumber from_day, DayNumber to_day, TimePoint now) {
  std::vector<Transaction> out;
  if (a < 0 || a >= gen.account_count()) return out;
  const DayNumber last = std::min(to_day, day_of(now));
  for (DayNumber d = from_day; d <= last; ++d) {
    std::vector<Row> rows = gen.plan_day(a, d, true);
    std::vector<std::pair<int, int>> order;  // (seconds, seq): seq is the row's guid index
    for (std::size_t i = 0; i < rows.size(); ++i) {
      order.emplace_back(rows[i].seconds, static_cast<int>(i));
    }
    std::sort(order.begin(), order.end());
    for (const auto& [seconds, seq] : order) {
      if (at(d, seconds) > now) continue;
      out.push_back(gen.render(rows[static_cast<std::size_t>(seq)], account, a, d, seq, now));
    }
  }
  return out;
}

}  // namespace

std::vector<Account> generate_accounts(const Institution& institution, const DataCatalog& catalog,
                                       const MemberDataContext& ctx, TimePoint now) {
  Generator gen(institution, catalog, ctx);
  std::vector<Account> out;
  const TimePoint posted_cutoff = now - kPendingWindow;
  const DayNumber today = day_of(now);
  for (int i = 0; i < gen.account_count(); ++i) {
    const AccountPlan& p = gen.plan(i);
    Account acc;
    acc.guid = gen.account_guid(i);
    acc.user_guid = ctx.user_guid;
    acc.member_guid = ctx.member_guid;
    acc.institution_code = institution.code;
    acc.name = p.name;
    acc.type = p.type;
    acc.subtype = p.subtype;
    acc.account_number_masked = "****" + p.last4;
    acc.created_at = now;
    acc.updated_at = now;
    // `balance`: POSTED rows only. Available figures include PENDING rows too.
    // Investments are valued at today's prices; nothing about them is pending.
    double with_pending = 0;
    if (p.type == "INVESTMENT") {
      acc.balance = with_pending = gen.balance_at(i, now);
    } else {
      std::tie(acc.balance, with_pending) = gen.balances_at(i, posted_cutoff, now);
    }
    if (p.type == "CHECKING" || p.type == "SAVINGS") {
      acc.available_balance = with_pending;
      acc.interest_rate = p.rate;
    } else if (p.type == "CREDIT_CARD" || p.type == "LINE_OF_CREDIT") {
      acc.credit_limit = p.credit_limit;
      acc.available_balance = round2(std::max(0.0, p.credit_limit - with_pending));
      acc.apr = p.rate;
      const MonthIndex m = month_of(today);
      acc.payment_due_at = format_day(last_day(m));
      acc.payment_due_amount =
          acc.balance <= 0 ? 0.0
                           : round2(std::max(std::min(25.0, acc.balance), acc.balance * 0.03));
    } else if (p.type == "LOAN" || p.type == "MORTGAGE") {
      acc.apr = p.rate;
      acc.interest_rate = p.rate;
      acc.original_balance = p.base;
      const MonthIndex m = month_of(today);
      DayNumber due = day_in_month(m, p.payment_day);
      if (at(due, 10 * kHour) <= now) due = day_in_month(m + 1, p.payment_day);
      const MonthIndex due_month = month_of(due);
      if (due_month <= p.start_month) due = day_in_month(p.start_month + 1, p.payment_day);
      if (month_of(due) <= p.start_month + p.term_months && acc.balance > 0) {
        acc.payment_due_at = format_day(due);
        acc.payment_due_amount = p.payment;
      }
    }
    out.push_back(std::move(acc));
  }
  return out;
}

std::vector<Transaction> generate_transactions(const Institution& institution,
                                               const DataCatalog& catalog,
                                               const MemberDataContext& ctx, const Account& account,
                                               int account_index, DayNumber from_day,
                                               DayNumber to_day, TimePoint now) {
  Generator gen(institution, catalog, ctx);
  return transactions_for(gen, account, account_index, from_day, to_day, now);
}

std::vector<Transaction> generate_member_transactions(
    const Institution& institution, const DataCatalog& catalog, const MemberDataContext& ctx,
    const std::vector<Account>& accounts, DayNumber from_day, DayNumber to_day, TimePoint now) {
  Generator gen(institution, catalog, ctx);
  std::vector<Transaction> out;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    std::vector<Transaction> part =
        transactions_for(gen, accounts[i], static_cast<int>(i), from_day, to_day, now);
    out.insert(out.end(), std::make_move_iterator(part.begin()),
               std::make_move_iterator(part.end()));
  }
  return out;
}

}  // namespace mxemu::domain
