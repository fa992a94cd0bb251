#include "domain/data_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/fixture_loader.h"
#include "domain/data_generator_internal.h"
#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

bool has_guid_shape(const std::string& guid, const std::string& prefix) {
  static const std::regex kShape(
      "^[A-Z]{3}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return guid.rfind(prefix + "-", 0) == 0 && std::regex_match(guid, kShape);
}

// Field-by-field equality (the records have no operator==).
void expect_same(const Transaction& a, const Transaction& b) {
  EXPECT_EQ(a.guid, b.guid);
  EXPECT_EQ(a.account_guid, b.account_guid);
  EXPECT_EQ(a.amount, b.amount) << a.guid;
  EXPECT_EQ(a.type, b.type) << a.guid;
  EXPECT_EQ(a.status, b.status) << a.guid;
  EXPECT_EQ(a.date, b.date) << a.guid;
  EXPECT_EQ(a.transacted_at, b.transacted_at) << a.guid;
  EXPECT_EQ(a.posted_at, b.posted_at) << a.guid;
  EXPECT_EQ(a.original_description, b.original_description) << a.guid;
  EXPECT_EQ(a.description, b.description) << a.guid;
  EXPECT_EQ(a.category_guid, b.category_guid) << a.guid;
  EXPECT_EQ(a.merchant_guid, b.merchant_guid) << a.guid;
  EXPECT_EQ(a.latitude, b.latitude) << a.guid;
  EXPECT_EQ(a.is_recurring, b.is_recurring) << a.guid;
}

// The account's balance change a row causes (debt accounts grow on DEBIT).
double delta(const Transaction& t, const Account& a) {
  const bool debt = a.type == "CREDIT_CARD" || a.type == "LOAN" || a.type == "MORTGAGE" ||
                    a.type == "LINE_OF_CREDIT";
  const double asset = t.type == "CREDIT" ? t.amount : -t.amount;
  return debt ? -asset : asset;
}

class DataGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixtures = api::load_embedded_fixtures();
    ASSERT_TRUE(fixtures.ok()) << mxemu::api::message_of(fixtures.error());
    institutions_ = *fixtures->institutions;
    catalog_ = *fixtures->catalog;
    ctx_ = {"USR-11111111-2222-3333-4444-555555555555", "MBR-11111111-2222-3333-4444-555555555555",
            0x5eedULL};
  }

  const Institution& inst(const std::string& code) const {
    for (const auto& i : institutions_) {
      if (i.code == code) return i;
    }
    throw std::runtime_error("no institution " + code);
  }

  std::vector<Account> accounts(const Institution& i, TimePoint at) const {
    return generate_accounts(i, catalog_, ctx_, at);
  }

  std::vector<Transaction> member_rows(const Institution& i, DayNumber from, DayNumber to,
                                       TimePoint at) const {
    return generate_member_transactions(i, catalog_, ctx_, accounts(i, at), from, to, at);
  }

  std::vector<Institution> institutions_;
  DataCatalog catalog_;
  MemberDataContext ctx_;
  // A Monday afternoon in mid-May: the last 90 days cross three month ends.
  TimePoint now_ = *parse_iso8601("2024-05-20T15:30:00Z");
  DayNumber today_ = day_of(now_);
};

TEST_F(DataGeneratorTest, AccountsFollowTheInstitutionsTemplates) {
  const Institution& mx = inst("mxbank");
  const auto accts = accounts(mx, now_);
  ASSERT_EQ(accts.size(), mx.accounts.size());
  std::set<std::string> guids;
  std::set<std::string> masks;
  for (std::size_t i = 0; i < accts.size(); ++i) {
    const Account& a = accts[i];
    EXPECT_TRUE(has_guid_shape(a.guid, "ACT")) << a.guid;
    EXPECT_EQ(a.type, mx.accounts[i].type);
    EXPECT_EQ(a.name, mx.accounts[i].name);
    EXPECT_EQ(a.user_guid, ctx_.user_guid);
    EXPECT_EQ(a.member_guid, ctx_.member_guid);
    EXPECT_EQ(a.institution_code, "mxbank");
    EXPECT_TRUE(std::regex_match(a.account_number_masked, std::regex(R"(\*{4}\d{4})")))
        << a.account_number_masked;
    EXPECT_GT(a.balance, 0) << a.type;  // debt accounts report positive balances too
    guids.insert(a.guid);
    masks.insert(a.account_number_masked);
  }
  EXPECT_EQ(guids.size(), accts.size());
  EXPECT_EQ(masks.size(), accts.size());
  EXPECT_EQ(accts[0].name, "MX Bank Checking");

  const Account& card = accts[2];
  ASSERT_EQ(card.type, "CREDIT_CARD");
  ASSERT_TRUE(card.credit_limit && card.apr && card.payment_due_at && card.payment_due_amount);
  EXPECT_LT(card.balance, *card.credit_limit);
  EXPECT_EQ(*card.payment_due_at, "2024-05-31");
  for (std::size_t i : {3U, 4U}) {  // LOAN, MORTGAGE
    const Account& loan = accts[i];
    ASSERT_TRUE(loan.original_balance && loan.apr && loan.payment_due_at);
    EXPECT_LE(loan.balance, *loan.original_balance);
    EXPECT_GT(*loan.payment_due_at, format_day(today_));
  }
}

TEST_F(DataGeneratorTest, SameInputsGiveTheSameData) {
  const Institution& mx = inst("mxbank");
  const auto a = member_rows(mx, today_ - 89, today_, now_);
  const auto b = member_rows(mx, today_ - 89, today_, now_);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) expect_same(a[i], b[i]);
  const auto acc_a = accounts(mx, now_);
  const auto acc_b = accounts(mx, now_);
  for (std::size_t i = 0; i < acc_a.size(); ++i) {
    EXPECT_EQ(acc_a[i].guid, acc_b[i].guid);
    EXPECT_EQ(acc_a[i].balance, acc_b[i].balance);
    EXPECT_EQ(acc_a[i].available_balance, acc_b[i].available_balance);
  }
}

TEST_F(DataGeneratorTest, DifferentSeedsGiveDifferentData) {
  const Institution& mx = inst("mxbank");
  MemberDataContext other = ctx_;
  other.seed = ctx_.seed + 1;
  const auto mine = accounts(mx, now_);
  const auto theirs = generate_accounts(mx, catalog_, other, now_);
  EXPECT_NE(mine[0].guid, theirs[0].guid);
  EXPECT_NE(mine[0].balance, theirs[0].balance);
}

TEST_F(DataGeneratorTest, SplittingARangeChangesNothing) {
  for (const char* code : {"mxbank", "cascade_national_bank", "keystone_card"}) {
    const Institution& i = inst(code);
    const auto accts = accounts(i, now_);
    for (std::size_t a = 0; a < accts.size(); ++a) {
      const int index = static_cast<int>(a);
      const auto whole =
          generate_transactions(i, catalog_, ctx_, accts[a], index, today_ - 89, today_, now_);
      std::vector<Transaction> pieces;
      // Cuts inside months and right at month ends.
      const std::vector<DayNumber> cuts{today_ - 89, today_ - 51, today_ - 50,
                                        today_ - 19, today_ - 3,  today_ + 1};
      for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
        const auto part = generate_transactions(i, catalog_, ctx_, accts[a], index, cuts[c],
                                                cuts[c + 1] - 1, now_);
        pieces.insert(pieces.end(), part.begin(), part.end());
      }
      ASSERT_EQ(whole.size(), pieces.size()) << code << " account " << a;
      for (std::size_t k = 0; k < whole.size(); ++k) expect_same(whole[k], pieces[k]);
    }
  }
}

// Balances plan their days with RowDetail::kAmounts and transactions with kFull: they agree
// only if both plans make the same rows, whatever the account type, day or month end.
TEST_F(DataGeneratorTest, AmountOnlyPlansMakeTheSameRows) {
  for (const auto& i : institutions_) {
    generator_detail::Generator gen(i, catalog_, ctx_);
    for (int a = 0; a < gen.account_count(); ++a) {
      for (DayNumber d = today_ - 400; d <= today_; ++d) {
        for (const bool balancing : {false, true}) {
          const auto full = gen.plan_day(a, d, balancing, generator_detail::RowDetail::kFull);
          const auto lean = gen.plan_day(a, d, balancing, generator_detail::RowDetail::kAmounts);
          ASSERT_EQ(full.size(), lean.size()) << i.code << " account " << a << " day " << d;
          for (std::size_t k = 0; k < full.size(); ++k) {
            EXPECT_EQ(full[k].seconds, lean[k].seconds) << i.code << " " << a << " " << d;
            EXPECT_EQ(full[k].amount, lean[k].amount) << i.code << " " << a << " " << d;
            EXPECT_EQ(full[k].credit, lean[k].credit) << i.code << " " << a << " " << d;
          }
        }
      }
    }
  }
}

// generate_accounts takes both of an account's balances from one pass over its month.
TEST_F(DataGeneratorTest, BalancesInOnePassEqualSeparateOnes) {
  for (const char* code : {"mxbank", "cascade_national_bank", "keystone_card", "pioneer_fcu"}) {
    generator_detail::Generator gen(inst(code), catalog_, ctx_);
    for (int a = 0; a < gen.account_count(); ++a) {
      // Every 11 hours for 35 days: times inside a month and pairs across a month end.
      for (TimePoint later = now_ - Seconds{35 * 86400}; later <= now_;
           later += Seconds{11 * 3600}) {
        for (const Seconds gap : {Seconds{0}, kPendingWindow, Seconds{10 * 86400}}) {
          const TimePoint earlier = later - gap;
          const auto [e, l] = gen.balances_at(a, earlier, later);
          EXPECT_EQ(e, gen.balance_at(a, earlier)) << code << " " << a;
          EXPECT_EQ(l, gen.balance_at(a, later)) << code << " " << a;
        }
      }
    }
  }
}

TEST_F(DataGeneratorTest, MxBankHasAboutTenTransactionsADay) {
  const auto rows = member_rows(inst("mxbank"), today_ - 89, today_, now_);
  EXPECT_GE(rows.size(), 910 * 85 / 100);
  EXPECT_LE(rows.size(), 910 * 115 / 100);
}

TEST_F(DataGeneratorTest, RecentRowsArePendingThenPostWithTheSameGuid) {
  const Institution& mx = inst("mxbank");
  const auto before = member_rows(mx, today_ - 10, today_, now_);
  std::map<std::string, Transaction> pending;
  for (const auto& t : before) {
    const bool recent = now_ - t.transacted_at < kPendingWindow;
    EXPECT_EQ(t.status, recent ? "PENDING" : "POSTED") << t.guid;
    EXPECT_EQ(t.posted_at.has_value(), !recent) << t.guid;
    if (t.posted_at) {
      EXPECT_LE(*t.posted_at, now_);
    }
    EXPECT_LE(t.transacted_at, now_);
    if (recent) pending.emplace(t.guid, t);
  }
  ASSERT_FALSE(pending.empty());

  const TimePoint later = now_ + Seconds{3 * 86400};
  const auto after = member_rows(mx, today_ - 10, today_, later);
  std::size_t found = 0;
  for (const auto& t : after) {
    const auto it = pending.find(t.guid);
    if (it == pending.end()) continue;
    ++found;
    EXPECT_EQ(t.status, "POSTED");
    ASSERT_TRUE(t.posted_at.has_value());
    EXPECT_GT(*t.posted_at, t.transacted_at);
    EXPECT_EQ(t.amount, it->second.amount);
    EXPECT_EQ(t.transacted_at, it->second.transacted_at);
  }
  EXPECT_EQ(found, pending.size());
}

TEST_F(DataGeneratorTest, NothingIsGeneratedAfterNow) {
  const auto rows = member_rows(inst("mxbank"), today_ - 2, today_ + 10, now_);
  ASSERT_FALSE(rows.empty());
  for (const auto& t : rows) EXPECT_LE(t.transacted_at, now_) << t.guid;
  EXPECT_TRUE(member_rows(inst("mxbank"), today_, today_ - 1, now_).empty());
}

TEST_F(DataGeneratorTest, RowsAreWellFormed) {
  for (const auto& i : institutions_) {
    const auto accts = accounts(i, now_);
    const auto rows =
        generate_member_transactions(i, catalog_, ctx_, accts, today_ - 89, today_, now_);
    ASSERT_FALSE(rows.empty()) << i.code;
    std::set<std::string> guids;
    for (const auto& t : rows) {
      EXPECT_TRUE(has_guid_shape(t.guid, "TRN")) << t.guid;
      EXPECT_TRUE(guids.insert(t.guid).second) << "duplicate " << t.guid;
      EXPECT_GT(t.amount, 0) << t.guid;
      EXPECT_EQ(std::round(t.amount * 100) / 100, t.amount) << t.guid;
      EXPECT_TRUE(t.type == "CREDIT" || t.type == "DEBIT") << t.guid;
      EXPECT_EQ(t.date, format_date(t.transacted_at)) << t.guid;
      EXPECT_FALSE(t.original_description.empty()) << t.guid;
      EXPECT_FALSE(t.description.empty()) << t.guid;
      EXPECT_EQ(t.user_guid, ctx_.user_guid);
      EXPECT_EQ(t.member_guid, ctx_.member_guid);
      for (char c : t.original_description) {
        EXPECT_FALSE(std::islower(static_cast<unsigned char>(c))) << t.original_description;
      }
      EXPECT_EQ(t.original_description.find('{'), std::string::npos) << t.original_description;
    }
  }
}

TEST_F(DataGeneratorTest, EveryCategoryAndMerchantComesFromTheCatalog) {
  std::set<std::string> used;
  for (const auto& i : institutions_) {
    for (const auto& t : member_rows(i, today_ - 89, today_, now_)) {
      const Category* c = catalog_.find_category(t.category);
      ASSERT_NE(c, nullptr) << t.category;
      EXPECT_EQ(t.category_guid, c->guid);
      EXPECT_EQ(t.top_level_category, c->top_level_name);
      used.insert(t.category);
      if (t.merchant_guid) {
        const Merchant* m = catalog_.find_merchant_by_guid(*t.merchant_guid);
        ASSERT_NE(m, nullptr) << *t.merchant_guid;
        EXPECT_EQ(t.description, m->name);
        if (t.category != "Returned Purchase") {
          EXPECT_EQ(t.category, m->category);
        }
      }
      if (t.is_income) {
        EXPECT_EQ(t.type, "CREDIT");
        EXPECT_TRUE(c->is_income()) << t.category;
      }
      if (t.is_expense) {
        EXPECT_EQ(t.type, "DEBIT");
      }
    }
  }
  EXPECT_EQ(used.count("Uncategorized"), 0U) << "every row should find its own category";
  for (const char* expected : {"Paycheck", "Groceries", "Credit Card Payment", "Mortgage & Rent",
                               "Mortgage Payment", "Transfer", "Interest Income", "Gas"}) {
    EXPECT_EQ(used.count(expected), 1U) << expected;
  }
}

TEST_F(DataGeneratorTest, CheckingGetsPaidTwiceAMonthAndPaysTheCard) {
  const Institution& mx = inst("mxbank");
  const auto accts = accounts(mx, now_);
  const DayNumber april1 = *parse_day("2024-04-01");
  const DayNumber april30 = *parse_day("2024-04-30");
  const auto checking =
      generate_transactions(mx, catalog_, ctx_, accts[0], 0, april1, april30, now_);
  const auto card = generate_transactions(mx, catalog_, ctx_, accts[2], 2, april1, april30, now_);
  int paychecks = 0;
  std::vector<double> payments_out;
  for (const auto& t : checking) {
    if (t.category == "Paycheck") {
      ++paychecks;
      EXPECT_TRUE(t.is_income && t.is_direct_deposit && t.is_recurring);
      EXPECT_EQ(t.type, "CREDIT");
    }
    if (t.category == "Credit Card Payment") payments_out.push_back(t.amount);
  }
  EXPECT_EQ(paychecks, 2);
  std::vector<double> payments_in;
  for (const auto& t : card) {
    if (t.category == "Credit Card Payment" && t.type == "CREDIT") payments_in.push_back(t.amount);
  }
  ASSERT_EQ(payments_in.size(), 1U);
  EXPECT_EQ(payments_out, payments_in);
  bool subscription = false;
  for (const auto& t : card) subscription = subscription || t.is_subscription;
  for (const auto& t : checking) subscription = subscription || t.is_subscription;
  EXPECT_TRUE(subscription);
}

TEST_F(DataGeneratorTest, BalancesMoveByTheRowsThatPost) {
  for (const char* code : {"mxbank", "cascade_national_bank", "keystone_card", "pioneer_fcu"}) {
    const Institution& i = inst(code);
    const TimePoint t1 = now_ - Seconds{40 * 86400};
    const TimePoint t2 = now_;
    const auto at1 = accounts(i, t1);
    const auto at2 = accounts(i, t2);
    for (std::size_t a = 0; a < at2.size(); ++a) {
      const std::string& type = at2[a].type;
      if (type != "CHECKING" && type != "SAVINGS" && type != "CREDIT_CARD" &&
          type != "LINE_OF_CREDIT") {
        continue;
      }
      const auto rows = generate_transactions(i, catalog_, ctx_, at2[a], static_cast<int>(a),
                                              day_of(t1) - 3, day_of(t2), t2);
      double moved = 0;
      for (const auto& t : rows) {
        if (t.transacted_at > t1 - kPendingWindow && t.transacted_at <= t2 - kPendingWindow) {
          moved += delta(t, at2[a]);
        }
      }
      EXPECT_NEAR(at2[a].balance - at1[a].balance, moved, 0.011) << code << " " << type;
    }
  }
}

TEST_F(DataGeneratorTest, DataStaysPlausibleYearsLater) {
  const TimePoint later = *parse_iso8601("2035-01-15T12:00:00Z");
  for (const auto& i : institutions_) {
    const auto accts = accounts(i, later);
    for (const auto& a : accts) {
      EXPECT_TRUE(std::isfinite(a.balance)) << i.code << " " << a.name;
      // Rare small overdrafts (and card credit balances after a refund) are realistic.
      EXPECT_GT(a.balance, -1000) << i.code << " " << a.name;
      EXPECT_LT(a.balance, 1000000) << i.code << " " << a.name;
      if (a.type == "LOAN") {  // every auto, student and personal loan is paid off by 2035
        EXPECT_EQ(a.balance, 0) << i.code << " " << a.name;
        EXPECT_FALSE(a.payment_due_at.has_value()) << i.code << " " << a.name;
      }
    }
    const DayNumber day = day_of(later);
    EXPECT_FALSE(
        generate_member_transactions(i, catalog_, ctx_, accts, day - 30, day, later).empty());
  }
}

TEST_F(DataGeneratorTest, HoldingsBelongToInvestmentAccountsAndSumToTheirBalance) {
  for (const auto& i : institutions_) {
    const auto accts = accounts(i, now_);
    const auto holdings = generate_holdings(i, ctx_, accts, now_);
    std::map<std::string, double> value;
    for (const auto& h : holdings) {
      EXPECT_TRUE(has_guid_shape(h.guid, "HOL")) << h.guid;
      EXPECT_GT(h.shares, 0);
      EXPECT_GT(h.market_value, 0);
      EXPECT_FALSE(h.symbol.empty());
      value[h.account_guid] += h.market_value;
    }
    for (const auto& a : accts) {
      if (a.type == "INVESTMENT") {
        ASSERT_EQ(value.count(a.guid), 1U) << a.name;
        EXPECT_NEAR(value[a.guid], a.balance, 0.011);
      } else {
        EXPECT_EQ(value.count(a.guid), 0U) << a.name;
      }
    }
  }
}

TEST_F(DataGeneratorTest, AccountNumbersCarryValidRoutingNumbers) {
  EXPECT_TRUE(is_valid_aba_routing_number("021000021"));
  EXPECT_TRUE(is_valid_aba_routing_number("011000015"));
  EXPECT_FALSE(is_valid_aba_routing_number("021000022"));
  EXPECT_FALSE(is_valid_aba_routing_number("02100002"));
  EXPECT_FALSE(is_valid_aba_routing_number("02100002x"));
  for (const auto& i : institutions_) {
    const std::string routing = routing_number_for(i);
    EXPECT_TRUE(is_valid_aba_routing_number(routing)) << i.code << " " << routing;
    const auto accts = accounts(i, now_);
    const auto numbers = generate_account_numbers(i, ctx_, accts);
    std::size_t deposit_accounts = 0;
    for (const auto& a : accts) {
      if (a.type == "CHECKING" || a.type == "SAVINGS") ++deposit_accounts;
    }
    EXPECT_EQ(numbers.size(), deposit_accounts) << i.code;
    for (const auto& n : numbers) {
      EXPECT_TRUE(has_guid_shape(n.guid, "ACN")) << n.guid;
      EXPECT_EQ(n.routing_number, routing);
      EXPECT_TRUE(n.passed_validation);
      const auto it = std::find_if(accts.begin(), accts.end(),
                                   [&](const Account& a) { return a.guid == n.account_guid; });
      ASSERT_NE(it, accts.end());
      EXPECT_EQ(n.account_number.size(), 10U);
      EXPECT_EQ(n.account_number.substr(6), it->account_number_masked.substr(4));
    }
  }
}

TEST_F(DataGeneratorTest, OwnersAreOneOrTwoPerAccount) {
  const Institution& mx = inst("mxbank");
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    MemberDataContext ctx = ctx_;
    ctx.seed = seed;
    const auto accts = generate_accounts(mx, catalog_, ctx, now_);
    const auto owners = generate_account_owners(mx, ctx, accts);
    std::map<std::string, int> per_account;
    for (const auto& o : owners) {
      EXPECT_TRUE(has_guid_shape(o.guid, "ACO")) << o.guid;
      EXPECT_EQ(o.owner_name, o.first_name + " " + o.last_name);
      EXPECT_FALSE(o.address.empty());
      EXPECT_EQ(o.country, "US");
      EXPECT_NE(o.email.find("@example.com"), std::string::npos);
      ++per_account[o.account_guid];
    }
    for (const auto& a : accts) {
      EXPECT_GE(per_account[a.guid], 1);
      EXPECT_LE(per_account[a.guid], 2);
      if (a.type == "CREDIT_CARD" || a.type == "INVESTMENT") {
        EXPECT_EQ(per_account[a.guid], 1);
      }
    }
  }
}

TEST_F(DataGeneratorTest, StatementsCoverCompleteMonths) {
  const Institution& mx = inst("mxbank");
  const auto accts = accounts(mx, now_);
  const auto statements = generate_statements(mx, ctx_, accts, now_, 3);
  ASSERT_EQ(statements.size(), accts.size() * 3);
  EXPECT_EQ(statements[0].period_end, "2024-04-30");
  EXPECT_EQ(statements[1].period_end, "2024-03-31");
  EXPECT_EQ(statements[2].period_end, "2024-02-29");
  std::set<std::string> hashes;
  for (const auto& s : statements) {
    EXPECT_TRUE(has_guid_shape(s.guid, "STA")) << s.guid;
    EXPECT_TRUE(std::regex_match(s.content_hash, std::regex("[0-9a-f]{64}"))) << s.content_hash;
    EXPECT_LE(s.created_at, now_);
    hashes.insert(s.content_hash);
  }
  EXPECT_EQ(hashes.size(), statements.size());
  const auto again = generate_statements(mx, ctx_, accts, now_ + Seconds{86400}, 3);
  EXPECT_EQ(again[0].guid, statements[0].guid);
  EXPECT_EQ(again[0].content_hash, statements[0].content_hash);
}

}  // namespace
}  // namespace mxemu::domain
