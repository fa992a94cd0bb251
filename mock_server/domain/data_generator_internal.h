#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/catalog.h"
#include "domain/data_generator.h"
#include "domain/ids.h"
#include "domain/institution.h"
#include "domain/records.h"
#include "domain/timestamps.h"

// Shared by the data generator's translation units; nothing else includes it. Where each part
// of data_generator.h's implementation lives (all mock_server/domain/):
//   data_generator.cpp              entry points for accounts and transactions; Row → Transaction
//   data_generator_calendar.cpp     civil dates and month indexes
//   data_generator_profile.cpp      Generator::build_profile: what is decided once per member
//   data_generator_planner.cpp      Generator::plan_day: the rows of one account on one day
//   data_generator_descriptors.cpp  merchant rows: statement descriptors, stores, locations
//   data_generator_balances.cpp     the money model: month openings, balancing rows, balance_at
//   data_generator_holdings.cpp     securities, prices, holdings, generate_holdings
//   data_generator_identity.cpp     routing and account numbers, account owners
//   data_generator_statements.cpp   generate_statements
//
// Determinism is the contract behind data_generator.h: every value is a function of its keys.
// The number and order of Rng draws is part of the output, so reordering or adding a draw
// changes every member's data (and the guids clients have stored).
namespace mxemu::domain::generator_detail {

// ---------------------------------------------------------------------------------------------
// Randomness. Every stream is keyed by what it describes (seed, purpose, account, day...), never
// by call order, which is what makes generation independent of how a range is split.

// Purposes. derived_guid() does not mix its prefix in, so each kind of guid gets its own salt.
// The values are frozen: changing one changes every member's data.
enum Salt : std::uint64_t {
  kSaltAccount = 0x4143540000000001ULL,
  kSaltTransaction = 0x54524e0000000002ULL,
  kSaltHolding = 0x484f4c0000000003ULL,
  kSaltAccountNumber = 0x41434e0000000004ULL,
  kSaltOwner = 0x41434f0000000005ULL,
  kSaltStatement = 0x5354410000000006ULL,
  kSaltProfile = 0x50524f0000000007ULL,
  kSaltDay = 0x4441590000000008ULL,
  kSaltMonth = 0x4d4f4e0000000009ULL,
  kSaltStore = 0x53544f000000000aULL,
  kSaltPrice = 0x505243000000000bULL,
  kSaltBalance = 0x42414c000000000cULL,
  kSaltReward = 0x525744000000000dULL,
  kSaltLocation = 0x4d434c000000000eULL,
};

// A merchant's store in a metro (data_generator_locations.cpp): index of the merchant in the
// catalog, of the metro in the metro table, and the store number.
struct StoreKey {
  std::size_t merchant = 0;
  std::size_t metro = 0;
  int store = 0;
};
std::string location_guid(const StoreKey& key);
MerchantLocation location_of(const DataCatalog& catalog, const StoreKey& key);

// A key from one or more words, in order (hash_of(a, b) and hash_of(b, a) differ).
inline std::uint64_t hash_of(std::uint64_t a) { return mix64(a); }
template <class... Rest>
std::uint64_t hash_of(std::uint64_t a, std::uint64_t b, Rest... rest) {
  return hash_of(mix64(a) ^ (b * 0xff51afd7ed558ccdULL + 0x2545f4914f6cdd1dULL), rest...);
}
// FNV-1a of `s`: how guids, codes and symbols become keys.
inline std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}
// Signed values (days, months, indexes) as key words, two's complement.
inline std::uint64_t as_key(std::int64_t v) { return static_cast<std::uint64_t>(v); }

// A stream of draws from one key (SplitMix64). Each call takes one word from the stream,
// except digits(n) (n words) and poisson() (one or more; none when mean <= 0).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  double uniform() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // REQUIRES: n > 0.
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }  // inclusive
  bool chance(double p) { return uniform() < p; }
  // Knuth's method; fine for the small means used here.
  int poisson(double mean) {
    if (mean <= 0) return 0;
    const double limit = std::exp(-mean);
    int k = 0;
    double p = uniform();
    while (p > limit) {
      ++k;
      p *= uniform();
    }
    return k;
  }
  // `n` decimal digits.
  std::string digits(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>('0' + below(10));
    return out;
  }

 private:
  std::uint64_t state_;
};

// The first uniform() draw of the stream `key`: one number per key.
inline double uniform_of(std::uint64_t key) { return Rng(key).uniform(); }
// To the cent (half away from zero). Every stored amount goes through it.
inline double round2(double v) { return std::round(v * 100.0) / 100.0; }

// Bank-statement text is upper case (ASCII).
inline std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Calendar (UTC). Months are indexed as year * 12 + (month - 1).

using MonthIndex = std::int64_t;

inline constexpr int kHour = 3600;

using Ymd = CivilDate;  // timestamps.h

// Howard Hinnant's civil_from_days / days_from_civil (public-domain algorithms).
Ymd civil(DayNumber z);
DayNumber from_civil(std::int64_t y, int m, int d);

MonthIndex month_of(DayNumber d);
DayNumber first_day(MonthIndex m);
inline DayNumber last_day(MonthIndex m) { return first_day(m + 1) - 1; }
// 0 = Sunday. 1970-01-01 was a Thursday.
inline int weekday(DayNumber d) { return static_cast<int>(((d % 7) + 11) % 7); }
// Saturday and Sunday move back to Friday (payroll, dividends).
inline DayNumber business_day_on_or_before(DayNumber d) {
  const int w = weekday(d);
  return w == 6 ? d - 1 : (w == 0 ? d - 2 : d);
}
// `seconds` after the start of `day`.
inline TimePoint at(DayNumber day, int seconds) { return start_of_day(day) + Seconds{seconds}; }
// Day `dom` (1-based) of month `m`, clamped to the month's last day (the 31st of April is the
// 30th).
inline DayNumber day_in_month(MonthIndex m, int dom) {
  return std::min(first_day(m) + dom - 1, last_day(m));
}

// ---------------------------------------------------------------------------------------------
// Reference data shared between parts. The tables themselves live with their one user:
// metros in data_generator_profile.cpp, securities in data_generator_holdings.cpp.

// Where a user lives (real metros; the tables are static, so pointers to them never dangle).
struct Metro {
  const char* city;
  const char* state;
  const char* postal_code;
  const char* area_code;
  double latitude;
  double longitude;
};
// The metro's place in the metro table, and the metro at a place (nullptr past its end)
// (data_generator_profile.cpp).
std::size_t metro_index(const Metro& metro);
const Metro* metro_at(std::size_t index);

struct Security {
  const char* symbol;
  const char* description;
  const char* holding_type;
  const char* cusip;  // "" when none
  double price;       // around 2024-01-02
  double yield;       // annual dividend yield
};

// The security's closing price on `day`, to the cent: a trend, a yearly wave and daily noise,
// all keyed by the symbol and the day. CASH is always 1.
double price_on(const Security& s, DayNumber day);

// ---------------------------------------------------------------------------------------------
// The member's profile: everything decided once per member (who pays them, what they subscribe
// to, where they live), derived from the seed and the institution.

struct AccountPlan {
  std::string type;
  std::string subtype;
  std::string name;
  std::string last4;
  double purchases_per_day = 0;
  double base = 0;  // CHECKING, CREDIT_CARD: typical month opening; SAVINGS: 2020-01 opening;
                    // LOAN, MORTGAGE: principal; LINE_OF_CREDIT: drawn amount
  double rate = 0;  // annual percent: APY, APR or note rate
  double monthly_deposit = 0;  // SAVINGS
  double credit_limit = 0;     // CREDIT_CARD, LINE_OF_CREDIT
  MonthIndex start_month = 0;  // LOAN, MORTGAGE: origination; first payment the month after
  int term_months = 0;
  double payment = 0;
  int payment_day = 1;
  double contribution = 0;  // INVESTMENT: monthly
  bool contribution_from_checking = false;
  double target_value = 0;  // INVESTMENT: value at the price reference day
};

// A recurring charge: one row a month on `day` of account `account`.
struct Bill {
  const Merchant* merchant = nullptr;  // into the catalog
  int account = -1;
  int day = 1;  // day of month
  double amount = 0;
  bool varies = false;  // utilities: the amount changes month to month
  std::string ref;      // stable reference in the descriptor (an account number at the payee)
  std::size_t descriptor = 0;
};

// Merchants drawn by weight. Holds pointers into a catalog that must outlive it.
class Pool {
 public:
  void add(const Merchant* m) {
    total_ += m->weight;
    merchants_.push_back(m);
    cumulative_.push_back(total_);
  }
  bool empty() const { return merchants_.empty() || total_ <= 0; }
  // One draw from `rng`. REQUIRES: !empty().
  const Merchant* pick(Rng& rng) const {
    const double x = rng.uniform() * total_;
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return merchants_[std::min<std::size_t>(it - cumulative_.begin(), merchants_.size() - 1)];
  }
  // The weighted mean of a draw's amount (amounts are skewed low: min + (max - min) u²).
  double mean_amount() const {
    if (empty()) return 0;
    double sum = 0;
    for (const Merchant* m : merchants_) {
      sum += m->weight * (m->amount_min + (m->amount_max - m->amount_min) / 3.0);
    }
    return sum / total_;
  }

 private:
  std::vector<const Merchant*> merchants_;
  std::vector<double> cumulative_;
  double total_ = 0;
};

struct HoldingPlan {
  const Security* security = nullptr;  // into a static table
  double shares = 0;
  double purchase_price = 0;
};

// How much of a row plan_day fills in. kAmounts rows have the same seconds, amount and credit
// as the kFull rows, in the same order; their other fields may be empty. Balances need no more,
// and a merchant row's descriptor and location are most of a day's cost.
enum class RowDetail { kFull, kAmounts };

// One generated row before it becomes a Transaction.
struct Row {
  int seconds = 0;  // since the start of the day
  double amount = 0;
  bool credit = false;
  std::string category;
  const Merchant* merchant = nullptr;
  std::string original;
  std::string description;
  bool bill_pay = false;
  bool direct_deposit = false;
  bool fee = false;
  bool overdraft = false;
  bool recurring = false;
  bool subscription = false;
  bool located = false;
  double latitude = 0;
  double longitude = 0;
  std::string location_guid;  // the merchant's store, for in-person merchants
  // Asset view: + for money in. Debt accounts invert it.
  double asset_delta() const { return credit ? amount : -amount; }
};

// A row with no merchant (transfers, fees, interest). `amount` is rounded to the cent and
// `original` upper-cased.
Row transfer_row(double amount, bool credit, int seconds, std::string category,
                 std::string description, std::string original);

// One member's data at one institution. Building it decides the profile; everything else is
// computed on demand from the profile and the keys. Holds references to its arguments, which
// must outlive it. Not thread-safe (month nets are cached); cheap enough to build per call.
// Account indexes `a` are positions in institution.accounts; methods other than plan_day
// REQUIRE 0 <= a < account_count().
class Generator {
 public:
  Generator(const Institution& inst, const DataCatalog& catalog, const MemberDataContext& ctx)
      : inst_(inst), catalog_(catalog), ctx_(ctx) {
    build_profile();
  }

  int account_count() const { return static_cast<int>(plans_.size()); }
  const AccountPlan& plan(int i) const { return plans_[static_cast<std::size_t>(i)]; }

  std::string account_guid(int i) const {
    return derived_guid("ACT", hash_of(ctx_.seed, kSaltAccount), static_cast<std::uint64_t>(i));
  }

  // Every row of account `a` on `day`, in creation order (the order fixes the guids). The
  // balancing row (checking sweep, card autopay) is included only with `with_balancing`; the
  // other rows do not depend on it. `detail` says how much of each row is filled in. No rows
  // for an out-of-range `a`.
  std::vector<Row> plan_day(int a, DayNumber day, bool with_balancing,
                            RowDetail detail = RowDetail::kFull);

  // Opening balance of month `m` (in the account's own sign: debt positive).
  double month_opening(int a, MonthIndex m) const;
  // The account's balance after every row transacted at or before `t`, in its own sign.
  double balance_at(int a, TimePoint t);
  // {balance_at(a, earlier), balance_at(a, later)}, the same to the bit, planning each day of
  // the month once when both fall in one month. REQUIRES: earlier <= later.
  std::pair<double, double> balances_at(int a, TimePoint earlier, TimePoint later);

  // The Transaction for `row`, the `seq`-th row plan_day made for account `a` on `day`, with
  // its status as seen at `now`.
  Transaction render(const Row& row, const Account& account, int a, DayNumber day, int seq,
                     TimePoint now) const;

  // The holdings of an INVESTMENT account, cash last; empty for other types. They depend on
  // the profile only, never on a day.
  std::vector<HoldingPlan> holdings(int a) const;
  // Market value of holdings(a) at `day`'s prices.
  double investment_value(int a, DayNumber day) const;

  const Metro& metro() const { return *metro_; }

 private:
  // data_generator_profile.cpp
  void build_profile();

  // data_generator_planner.cpp: each appends account `a`'s rows for `day` to `rows`.
  void plan_checking(int a, DayNumber day, Rng& rng, RowDetail detail, std::vector<Row>& rows);
  void plan_savings(int a, DayNumber day, std::vector<Row>& rows);
  void plan_card(int a, DayNumber day, Rng& rng, RowDetail detail, std::vector<Row>& rows);
  void plan_loan(int a, DayNumber day, std::vector<Row>& rows) const;
  void plan_line_of_credit(int a, DayNumber day, std::vector<Row>& rows) const;
  void plan_investment(int a, DayNumber day, std::vector<Row>& rows) const;
  void add_purchases(int a, DayNumber day, Rng& rng, const Pool& pool, RowDetail detail,
                     std::vector<Row>& rows);
  void add_bills(int a, DayNumber day, RowDetail detail, std::vector<Row>& rows);

  // data_generator_descriptors.cpp
  // A row at merchant `m`; draws from `rng` in a fixed order whatever the merchant and the
  // detail. A bill's descriptor and reference replace the drawn ones.
  Row merchant_row(const Merchant& m, double amount, bool credit, int seconds, const Bill* bill,
                   Rng& rng, DayNumber day, int a, RowDetail detail) const;
  // `m`'s descriptor template `which` (modulo their number) with its placeholders filled in,
  // upper-cased; the merchant's name when it has none.
  std::string render_descriptor(const Merchant& m, std::size_t which, const std::string& ref,
                                int store, DayNumber day, int a) const;
  // The member's `k`-th store of `m`: a 4-digit number.
  int store_number(const Merchant& m, int k) const;
  // The member's stable 9-digit reference at `m` (an account number at the payee).
  std::string ref_for(const Merchant& m) const;

  // data_generator_balances.cpp
  // Appends the month-closing row of account `a` (CHECKING sweep, CREDIT_CARD autopay) for
  // month `m`, if it is not zero. REQUIRES: called for the month's last day, after every other
  // row of that day.
  void add_balancing_row(int a, MonthIndex m, std::vector<Row>& rows);
  // Net of the month's rows other than the balancing one, in the account's own sign.
  double month_net_before_balancing(int a, MonthIndex m);
  // The card's autopay for month m (positive: a payment; negative: the card refunds).
  double card_autopay(int card, MonthIndex m);
  // The month-based balances (checking, savings, cards, lines of credit) at `earlier` and
  // `later`, from the opening of `later`'s month. REQUIRES: earlier <= later, same month.
  std::pair<double, double> month_to_date(int a, TimePoint earlier, TimePoint later);

  const Institution& inst_;
  const DataCatalog& catalog_;
  const MemberDataContext& ctx_;
  const Metro* metro_ = nullptr;  // set by build_profile
  std::vector<AccountPlan> plans_;
  int checking_ = -1;  // the primary (first) checking account
  int savings_ = -1;   // the primary savings account (receives the monthly transfer)
  std::vector<int> cards_;
  const Merchant* employer_ = nullptr;
  double paycheck_ = 0;
  std::vector<Bill> bills_;
  Pool checking_pool_;
  Pool card_pool_;
  Pool refund_pool_;
  std::string external_last4_;
  std::map<std::pair<int, MonthIndex>, double> net_cache_;
};

}  // namespace mxemu::domain::generator_detail
