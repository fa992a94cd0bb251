// The money model: month opening balances, the rows that close each month at the next month's
// opening (so balances and transactions agree), and an account's balance at any moment.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {
namespace {

bool is_debt(std::string_view type) {
  return type == "CREDIT_CARD" || type == "LOAN" || type == "MORTGAGE" || type == "LINE_OF_CREDIT";
}

constexpr MonthIndex kSavingsReferenceMonth =
    MonthIndex{2020} * 12;  // 2020-01: savings balances start here

}  // namespace

void Generator::add_balancing_row(int a, MonthIndex m, std::vector<Row>& rows) {
  const std::string& type = plan(a).type;
  if (type == "CHECKING") {
    // Closes the month at the next month's opening balance.
    const double target = month_opening(a, m + 1) - month_opening(a, m);
    const double sweep = round2(target - month_net_before_balancing(a, m));
    if (std::fabs(sweep) >= 0.01) {
      rows.push_back(transfer_row(
          std::fabs(sweep), sweep > 0, 23 * kHour + 55 * 60, "Transfer",
          sweep > 0 ? "Transfer from External Account" : "Transfer to External Account",
          std::string(sweep > 0 ? "ONLINE TRANSFER FROM" : "ONLINE TRANSFER TO") + " XXXXXX" +
              external_last4_));
    }
  } else if (type == "CREDIT_CARD") {
    const double pay = card_autopay(a, m);
    if (std::fabs(pay) >= 0.01) {
      const bool internal = checking_ >= 0;
      Row r = transfer_row(
          std::fabs(pay), pay > 0, 23 * kHour + 40 * 60, "Credit Card Payment",
          pay > 0 ? (internal ? "Payment from " + plan(checking_).name : "Payment - Thank You")
                  : "Credit Balance Refund",
          pay > 0 ? (internal ? "AUTOPAY PAYMENT FROM CHK XXXXXX" + plan(checking_).last4
                              : "PAYMENT - THANK YOU")
                  : "CREDIT BALANCE REFUND");
      r.recurring = pay > 0;
      rows.push_back(std::move(r));
    }
  }
}

double Generator::month_net_before_balancing(int a, MonthIndex m) {
  const auto key = std::make_pair(a, m);
  if (const auto it = net_cache_.find(key); it != net_cache_.end()) return it->second;
  const bool debt = is_debt(plan(a).type);
  double net = 0;
  for (DayNumber d = first_day(m); d <= last_day(m); ++d) {
    for (const Row& r : plan_day(a, d, false, RowDetail::kAmounts)) {
      net += debt ? -r.asset_delta() : r.asset_delta();
    }
  }
  net_cache_[key] = net;
  return net;
}

double Generator::card_autopay(int card, MonthIndex m) {
  // The card's debt must move from this month's opening to the next month's.
  const double change = month_opening(card, m + 1) - month_opening(card, m);
  return round2(month_net_before_balancing(card, m) - change);
}

double Generator::month_opening(int a, MonthIndex m) const {
  const AccountPlan& p = plan(a);
  if (p.type == "CHECKING" || p.type == "CREDIT_CARD") {
    // Varies month to month around the account's base, so months do not all end alike.
    const double u = uniform_of(hash_of(ctx_.seed, kSaltBalance, as_key(a), as_key(m)));
    return round2(p.type == "CHECKING" ? p.base * (0.85 + 0.3 * u) : p.base * (0.6 + 0.8 * u));
  }
  if (p.type == "SAVINGS") {
    double balance = p.base;
    for (MonthIndex i = kSavingsReferenceMonth; i < m; ++i) {
      balance = round2(balance + p.monthly_deposit + round2(balance * p.rate / 1200.0));
    }
    return balance;
  }
  if (p.type == "LINE_OF_CREDIT") return p.base;
  return 0;
}

double Generator::balance_at(int a, TimePoint t) {
  const AccountPlan& p = plan(a);
  const DayNumber day = day_of(t);
  if (p.type == "LOAN" || p.type == "MORTGAGE") {
    // Payments made so far, then the amortisation schedule.
    const MonthIndex m = month_of(day);
    std::int64_t k = m - p.start_month;
    if (k > 0 && at(day_in_month(m, p.payment_day), 10 * kHour) > t) --k;
    k = std::clamp<std::int64_t>(k, 0, p.term_months);
    if (k >= p.term_months) return 0;
    const double r = p.rate / 1200.0;
    const double growth = std::pow(1.0 + r, static_cast<double>(k));
    return std::max(0.0, round2(p.base * growth - p.payment * (growth - 1.0) / r));
  }
  if (p.type == "INVESTMENT") return investment_value(a, day);
  return month_to_date(a, t, t).second;
}

std::pair<double, double> Generator::balances_at(int a, TimePoint earlier, TimePoint later) {
  const AccountPlan& p = plan(a);
  const MonthIndex m = month_of(day_of(later));
  if (p.type == "LOAN" || p.type == "MORTGAGE" || p.type == "INVESTMENT" ||
      month_of(day_of(earlier)) != m) {
    return {balance_at(a, earlier), balance_at(a, later)};
  }
  return month_to_date(a, earlier, later);
}

std::pair<double, double> Generator::month_to_date(int a, TimePoint earlier, TimePoint later) {
  const DayNumber last = day_of(later);
  const MonthIndex m = month_of(last);
  const bool debt = is_debt(plan(a).type);
  const double opening = month_opening(a, m);
  // Each sum adds the same rows in the same order as a pass of its own would.
  double at_earlier = opening;
  double at_later = opening;
  for (DayNumber d = first_day(m); d <= last; ++d) {
    for (const Row& r : plan_day(a, d, true, RowDetail::kAmounts)) {
      const TimePoint when = at(d, r.seconds);
      const double delta = debt ? -r.asset_delta() : r.asset_delta();
      if (when <= earlier) at_earlier += delta;
      if (when <= later) at_later += delta;
    }
  }
  return {round2(at_earlier), round2(at_later)};
}

}  // namespace mxemu::domain::generator_detail
