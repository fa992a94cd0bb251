// Day planning: every row an account gets on one day (purchases, bills, paychecks, transfers,
// fees, interest, loan payments, contributions, dividends). The month-closing balancing rows
// are data_generator_balances.cpp's.
#include <array>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {
namespace {

std::string loan_category_for_payer(const AccountPlan& loan) {
  if (loan.type == "MORTGAGE") return "Mortgage & Rent";
  if (loan.subtype == "AUTO") return "Auto Payment";
  if (loan.subtype == "STUDENT") return "Student Loan";
  return "Transfer";
}

// Whether loan `p` has a payment on `day`, i.e. a month in (start, start + term].
bool loan_payment_on(const AccountPlan& p, DayNumber day) {
  const MonthIndex m = month_of(day);
  return m > p.start_month && m <= p.start_month + p.term_months &&
         day == day_in_month(m, p.payment_day);
}

}  // namespace

Row transfer_row(double amount, bool credit, int seconds, std::string category,
                 std::string description, std::string original) {
  Row r;
  r.seconds = seconds;
  r.amount = round2(amount);
  r.credit = credit;
  r.category = std::move(category);
  r.description = std::move(description);
  r.original = upper(std::move(original));
  return r;
}

void Generator::add_purchases(int a, DayNumber day, Rng& rng, const Pool& pool, RowDetail detail,
                              std::vector<Row>& rows) {
  static constexpr std::array<double, 7> kWeekdayFactor{1.05, 0.85, 0.9, 0.95, 1.0, 1.15, 1.1};
  if (pool.empty()) return;
  const double mean =
      plan(a).purchases_per_day * kWeekdayFactor[static_cast<std::size_t>(weekday(day))];
  const int n = rng.poisson(mean);
  for (int i = 0; i < n; ++i) {
    const Merchant* m = pool.pick(rng);
    const double u = rng.uniform();
    const double amount = m->amount_min + (m->amount_max - m->amount_min) * u * u;
    const int seconds = rng.between(7 * kHour, 22 * kHour);
    rows.push_back(merchant_row(*m, amount, false, seconds, nullptr, rng, day, a, detail));
  }
}

void Generator::add_bills(int a, DayNumber day, RowDetail detail, std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  for (const Bill& b : bills_) {
    if (b.account != a || day_in_month(m, b.day) != day) continue;
    Rng rng(hash_of(ctx_.seed, kSaltMonth, hash_text(b.merchant->guid), as_key(m)));
    double amount = b.amount;
    if (b.varies) amount *= rng.uniform(0.8, 1.25);
    Row r = merchant_row(*b.merchant, amount, false, 10 * kHour + rng.below(3600), &b, rng, day, a,
                         detail);
    r.recurring = true;
    r.subscription = b.merchant->is_subscription;
    r.bill_pay = !b.merchant->is_subscription && plan(a).type == "CHECKING";
    rows.push_back(std::move(r));
  }
}

void Generator::plan_checking(int a, DayNumber day, Rng& rng, RowDetail detail,
                              std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  const bool primary = a == checking_;
  const std::string bank = upper(inst_.name);
  Rng mrng(hash_of(ctx_.seed, kSaltMonth, as_key(a), as_key(m)));
  const bool service_fee = mrng.chance(0.08);
  const bool overdraft = mrng.chance(0.03);
  const int overdraft_day = mrng.between(5, 25);

  if (primary) {
    if (service_fee && day == day_in_month(m, 3)) {
      Row r = transfer_row(12, false, 5 * kHour, "Service Fee", "Monthly Maintenance Fee",
                           "MONTHLY MAINTENANCE FEE");
      r.fee = true;
      rows.push_back(std::move(r));
    }
    if (overdraft && day == day_in_month(m, overdraft_day)) {
      Row r = transfer_row(35, false, 5 * kHour + 600, "Banking Fee", "Overdraft Fee",
                           "OVERDRAFT ITEM FEE");
      r.fee = true;
      r.overdraft = true;
      rows.push_back(std::move(r));
    }
    const bool payday = day == business_day_on_or_before(day_in_month(m, 15)) ||
                        day == business_day_on_or_before(last_day(m));
    if (payday && employer_ != nullptr && paycheck_ > 0) {
      Row r = merchant_row(*employer_, paycheck_, true, 6 * kHour, nullptr, rng, day, a, detail);
      if (detail == RowDetail::kFull) {
        r.original = render_descriptor(*employer_, 0, ref_for(*employer_), 0, day, a);
      }
      r.direct_deposit = true;
      r.recurring = true;
      rows.push_back(std::move(r));
    }
    if (savings_ >= 0 && day == first_day(m)) {
      const AccountPlan& s = plan(savings_);
      if (s.monthly_deposit > 0) {
        rows.push_back(transfer_row(s.monthly_deposit, false, 8 * kHour, "Transfer",
                                    "Transfer to " + s.name,
                                    "ONLINE TRANSFER TO SAV XXXXXX" + s.last4));
        rows.back().recurring = true;
      }
    }
    add_bills(a, day, detail, rows);
    for (int i = 0; i < account_count(); ++i) {
      const AccountPlan& p = plan(i);
      if ((p.type == "LOAN" || p.type == "MORTGAGE") && loan_payment_on(p, day)) {
        Row r = transfer_row(p.payment, false, 10 * kHour, loan_category_for_payer(p),
                             p.name + " Payment",
                             "ONLINE PMT " + bank + (p.type == "MORTGAGE" ? " MORTGAGE" : " LOAN") +
                                 " XXXXXX" + p.last4);
        r.bill_pay = true;
        r.recurring = true;
        rows.push_back(std::move(r));
      }
      if (p.type == "INVESTMENT" && p.contribution_from_checking &&
          day == day_in_month(m, p.payment_day)) {
        rows.push_back(transfer_row(p.contribution, false, 9 * kHour, "Transfer",
                                    "Transfer to " + p.name,
                                    "ONLINE TRANSFER TO BROKERAGE XXXXXX" + p.last4));
        rows.back().recurring = true;
      }
    }
  }

  add_purchases(a, day, rng, checking_pool_, detail, rows);
  if (primary) {
    if (rng.chance(0.04)) {
      const double amount = 20.0 * rng.between(1, 10);
      rows.push_back(transfer_row(
          amount, false, rng.between(8 * kHour, 21 * kHour), "Cash", "ATM Withdrawal",
          "ATM WITHDRAWAL #" + rng.digits(6) + " " + metro_->city + " " + metro_->state));
      const int seconds = rows.back().seconds + 1;
      if (rng.chance(0.4)) {
        Row fee = transfer_row(rng.chance(0.5) ? 2.5 : 3.0, false, seconds, "ATM Fee", "ATM Fee",
                               "NON-" + bank + " ATM FEE");
        fee.fee = true;
        rows.push_back(std::move(fee));
      }
    }
    if (rng.chance(0.01)) {
      const std::string number = std::to_string(1000 + rng.below(9000));
      rows.push_back(transfer_row(round2(rng.uniform(50, 600)), false, 12 * kHour, "Check",
                                  "Check #" + number, "CHECK #" + number));
    }
  }

  if (day == last_day(m)) {
    const AccountPlan& p = plan(a);
    const double interest = round2(month_opening(a, m) * p.rate / 1200.0);
    if (interest >= 0.01) {
      rows.push_back(transfer_row(interest, true, 23 * kHour, "Interest Income", "Interest Payment",
                                  "INTEREST PAYMENT"));
    }
    if (primary) {
      for (int c : cards_) {
        const double pay = card_autopay(c, m);
        if (pay <= 0) continue;
        rows.push_back(transfer_row(pay, false, 23 * kHour + 40 * 60, "Credit Card Payment",
                                    plan(c).name + " Payment",
                                    bank + " CARD AUTOPAY XXXXXX" + plan(c).last4));
        rows.back().recurring = true;
      }
    }
  }
}

void Generator::plan_savings(int a, DayNumber day, std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  const AccountPlan& p = plan(a);
  if (day == first_day(m) && p.monthly_deposit > 0) {
    if (a == savings_ && checking_ >= 0) {
      rows.push_back(transfer_row(p.monthly_deposit, true, 8 * kHour, "Transfer",
                                  "Transfer from " + plan(checking_).name,
                                  "ONLINE TRANSFER FROM CHK XXXXXX" + plan(checking_).last4));
    } else {
      rows.push_back(transfer_row(p.monthly_deposit, true, 8 * kHour, "Transfer",
                                  "Transfer from External Account",
                                  "ACH DEPOSIT EXT TRANSFER XXXXXX" + external_last4_));
    }
    rows.back().recurring = true;
  }
  if (day == last_day(m)) {
    const double interest = round2(month_opening(a, m) * p.rate / 1200.0);
    if (interest >= 0.01) {
      rows.push_back(transfer_row(interest, true, 23 * kHour, "Interest Income", "Interest Payment",
                                  "INTEREST PAID"));
    }
  }
}

void Generator::plan_card(int a, DayNumber day, Rng& rng, RowDetail detail,
                          std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  add_bills(a, day, detail, rows);
  add_purchases(a, day, rng, card_pool_, detail, rows);
  if (!refund_pool_.empty() && rng.chance(0.03)) {
    const Merchant* mm = refund_pool_.pick(rng);
    const double u = rng.uniform();
    Row r = merchant_row(*mm, mm->amount_min + (mm->amount_max - mm->amount_min) * u * u, true,
                         rng.between(9 * kHour, 20 * kHour), nullptr, rng, day, a, detail);
    if (detail == RowDetail::kFull) {
      r.category = "Returned Purchase";
      r.original = "RETURN " + r.original;
    }
    rows.push_back(std::move(r));
  }
  if (day == last_day(m)) {
    const double interest = round2(month_opening(a, m) * plan(a).rate / 1200.0);
    if (interest >= 0.01) {
      Row r = transfer_row(interest, false, 23 * kHour, "Finance Charge", "Interest Charge",
                           "INTEREST CHARGE ON PURCHASES");
      r.fee = true;
      rows.push_back(std::move(r));
    }
  }
}

void Generator::plan_loan(int a, DayNumber day, std::vector<Row>& rows) const {
  const AccountPlan& p = plan(a);
  if (!loan_payment_on(p, day)) return;
  const bool from_checking = checking_ >= 0;
  Row r = transfer_row(p.payment, true, 10 * kHour,
                       p.type == "MORTGAGE" ? "Mortgage Payment" : "Transfer",
                       from_checking ? "Payment from " + plan(checking_).name : "Payment Received",
                       from_checking ? "PAYMENT FROM CHK XXXXXX" + plan(checking_).last4
                                     : "PAYMENT RECEIVED - THANK YOU");
  r.recurring = true;
  rows.push_back(std::move(r));
}

void Generator::plan_line_of_credit(int a, DayNumber day, std::vector<Row>& rows) const {
  const MonthIndex m = month_of(day);
  if (day != last_day(m)) return;
  const AccountPlan& p = plan(a);
  const double interest = round2(p.base * p.rate / 1200.0);
  if (interest < 0.01) return;
  Row charge = transfer_row(interest, false, 23 * kHour, "Finance Charge", "Interest Charge",
                            "INTEREST CHARGE");
  charge.fee = true;
  rows.push_back(std::move(charge));
  Row pay = transfer_row(interest, true, 23 * kHour + 50 * 60, "Transfer", "Payment Received",
                         "PAYMENT RECEIVED - THANK YOU");
  pay.recurring = true;
  rows.push_back(std::move(pay));
}

void Generator::plan_investment(int a, DayNumber day, std::vector<Row>& rows) const {
  const MonthIndex m = month_of(day);
  const AccountPlan& p = plan(a);
  const std::vector<HoldingPlan> hs = holdings(a);
  if (p.contribution > 0 && day == day_in_month(m, p.payment_day)) {
    const bool k401 = !p.contribution_from_checking && p.subtype.rfind("PLAN_", 0) == 0;
    Row r = transfer_row(p.contribution, true, 9 * kHour, "Deposit",
                         k401 ? "Employee Contribution" : "Contribution",
                         k401 ? "EMPLOYEE CONTRIBUTION PAYROLL"
                              : (p.contribution_from_checking
                                     ? "ACH CONTRIBUTION FROM CHK XXXXXX" + plan(checking_).last4
                                     : "ACH CONTRIBUTION"));
    r.recurring = true;
    rows.push_back(std::move(r));
  }
  if (p.contribution > 0 && !hs.empty() && day == day_in_month(m, p.payment_day + 2)) {
    const Security& s = *hs.front().security;
    const double price = price_on(s, day);
    std::array<char, 96> buf{};
    std::snprintf(buf.data(), buf.size(), "YOU BOUGHT %s %.3f SH @ %.2f", s.symbol,
                  p.contribution / price, price);
    rows.push_back(transfer_row(p.contribution, false, 14 * kHour, "Buy",
                                std::string("Buy ") + s.symbol, buf.data()));
  }
  const Ymd c = civil(day);
  if (c.month % 3 == 0 && day == business_day_on_or_before(last_day(m))) {
    int offset = 0;
    for (const HoldingPlan& h : hs) {
      const double amount = round2(h.shares * price_on(*h.security, day) * h.security->yield / 4);
      if (amount < 0.01) continue;
      rows.push_back(transfer_row(amount, true, 12 * kHour + offset++, "Dividend & Cap Gains",
                                  std::string("Dividend ") + h.security->symbol,
                                  std::string("DIVIDEND RECEIVED ") + h.security->symbol));
    }
  }
}

std::vector<Row> Generator::plan_day(int a, DayNumber day, bool with_balancing, RowDetail detail) {
  std::vector<Row> rows;
  if (a < 0 || a >= account_count()) return rows;
  Rng rng(hash_of(ctx_.seed, kSaltDay, as_key(a), as_key(day)));
  const std::string& type = plan(a).type;
  if (type == "CHECKING") {
    plan_checking(a, day, rng, detail, rows);
  } else if (type == "SAVINGS") {
    plan_savings(a, day, rows);
  } else if (type == "CREDIT_CARD") {
    plan_card(a, day, rng, detail, rows);
  } else if (type == "LOAN" || type == "MORTGAGE") {
    plan_loan(a, day, rows);
  } else if (type == "LINE_OF_CREDIT") {
    plan_line_of_credit(a, day, rows);
  } else if (type == "INVESTMENT") {
    plan_investment(a, day, rows);
  }
  const MonthIndex m = month_of(day);
  if (with_balancing && day == last_day(m)) add_balancing_row(a, m, rows);
  return rows;
}

}  // namespace mxemu::domain::generator_detail
