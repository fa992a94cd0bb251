#include "domain/data_generator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "domain/ids.h"

namespace mxemu::domain {
namespace {

// ---------------------------------------------------------------------------------------------
// Randomness. Every stream is keyed by what it describes (seed, purpose, account, day...), never
// by call order, which is what makes generation independent of how a range is split.

// Purposes. derived_guid() does not mix its prefix in, so each kind of guid gets its own salt.
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
};

std::uint64_t hash_of(std::uint64_t a) { return mix64(a); }
template <class... Rest>
std::uint64_t hash_of(std::uint64_t a, std::uint64_t b, Rest... rest) {
  return hash_of(mix64(a) ^ (b * 0xff51afd7ed558ccdULL + 0x2545f4914f6cdd1dULL), rest...);
}
std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}
std::uint64_t as_key(std::int64_t v) { return static_cast<std::uint64_t>(v); }

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  double uniform() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
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
  std::string digits(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>('0' + below(10));
    return out;
  }

 private:
  std::uint64_t state_;
};

double uniform_of(std::uint64_t key) { return Rng(key).uniform(); }
double round2(double v) { return std::round(v * 100.0) / 100.0; }

// ---------------------------------------------------------------------------------------------
// Calendar (UTC). Months are indexed as year * 12 + (month - 1).

using MonthIndex = std::int64_t;

struct Ymd {
  std::int64_t year;
  int month;
  int day;
};

// Howard Hinnant's civil_from_days / days_from_civil (public-domain algorithms).
Ymd civil(DayNumber z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

DayNumber from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mu = static_cast<unsigned>(m);
  const unsigned doy = (153 * (mu > 2 ? mu - 3 : mu + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

MonthIndex month_of(DayNumber d) {
  const Ymd c = civil(d);
  return c.year * 12 + (c.month - 1);
}
DayNumber first_day(MonthIndex m) {
  const std::int64_t y = m >= 0 ? m / 12 : (m - 11) / 12;
  return from_civil(y, static_cast<int>(m - y * 12) + 1, 1);
}
DayNumber last_day(MonthIndex m) { return first_day(m + 1) - 1; }
// 0 = Sunday. 1970-01-01 was a Thursday.
int weekday(DayNumber d) { return static_cast<int>(((d % 7) + 11) % 7); }
// Saturday and Sunday move back to Friday (payroll, dividends).
DayNumber business_day_on_or_before(DayNumber d) {
  const int w = weekday(d);
  return w == 6 ? d - 1 : (w == 0 ? d - 2 : d);
}
TimePoint at(DayNumber day, int seconds) { return start_of_day(day) + Seconds{seconds}; }
DayNumber day_in_month(MonthIndex m, int dom) {
  return std::min(first_day(m) + dom - 1, last_day(m));
}

constexpr MonthIndex kSavingsReferenceMonth = 2020 * 12;  // 2020-01: savings balances start here
constexpr int kHour = 3600;

// ---------------------------------------------------------------------------------------------
// Static reference tables: places, people and securities. Fictional people; real metros.

struct Metro {
  const char* city;
  const char* state;
  const char* postal_code;
  const char* area_code;
  double latitude;
  double longitude;
};
constexpr std::array<Metro, 10> kMetros{{
    {"Austin", "TX", "78704", "512", 30.2672, -97.7431},
    {"Lehi", "UT", "84043", "801", 40.3916, -111.8508},
    {"Denver", "CO", "80205", "303", 39.7392, -104.9903},
    {"Seattle", "WA", "98103", "206", 47.6062, -122.3321},
    {"Chicago", "IL", "60614", "312", 41.8781, -87.6298},
    {"Atlanta", "GA", "30309", "404", 33.7490, -84.3880},
    {"Phoenix", "AZ", "85004", "602", 33.4484, -112.0740},
    {"Raleigh", "NC", "27601", "919", 35.7796, -78.6382},
    {"Columbus", "OH", "43215", "614", 39.9612, -82.9988},
    {"Nashville", "TN", "37203", "615", 36.1627, -86.7816},
}};

constexpr std::array<const char*, 24> kFirstNames{
    "Olivia",   "Liam",    "Emma",    "Noah",  "Ava",    "Elijah", "Sophia", "James",
    "Isabella", "Lucas",   "Mia",     "Mason", "Amelia", "Ethan",  "Harper", "Logan",
    "Evelyn",   "Jackson", "Abigail", "Aiden", "Emily",  "Carter", "Ella",   "Owen"};
constexpr std::array<const char*, 20> kLastNames{
    "Anderson", "Bennett", "Carter", "Delgado",  "Ellison",  "Fischer", "Garcia",
    "Hughes",   "Iverson", "Jensen", "Kowalski", "Larsen",   "Morales", "Nakamura",
    "Okafor",   "Patel",   "Quinn",  "Romero",   "Sullivan", "Thompson"};
constexpr std::array<const char*, 12> kStreets{
    "Oak St",      "Maple Ave",    "Cedar Ln",    "Pine St",  "Elm Dr",   "Willow Way",
    "Lakeview Dr", "Highland Ave", "Sunset Blvd", "River Rd", "Aspen Ct", "Meadow Ln"};

struct Security {
  const char* symbol;
  const char* description;
  const char* holding_type;
  const char* cusip;  // "" when none
  double price;       // around 2024-01-02
  double yield;       // annual dividend yield
};
constexpr std::array<Security, 12> kSecurities{{
    {"VTI", "Vanguard Total Stock Market ETF", "ETF", "922908769", 237.0, 0.014},
    {"VOO", "Vanguard S&P 500 ETF", "ETF", "922908363", 435.0, 0.014},
    {"VXUS", "Vanguard Total International Stock ETF", "ETF", "921909768", 58.0, 0.030},
    {"BND", "Vanguard Total Bond Market ETF", "ETF", "921937835", 73.0, 0.033},
    {"AAPL", "Apple Inc.", "EQUITY", "037833100", 185.0, 0.005},
    {"MSFT", "Microsoft Corporation", "EQUITY", "594918104", 370.0, 0.008},
    {"AMZN", "Amazon.com, Inc.", "EQUITY", "023135106", 150.0, 0.0},
    {"GOOGL", "Alphabet Inc. Class A", "EQUITY", "02079K305", 138.0, 0.0},
    {"VFIAX", "Vanguard 500 Index Fund Admiral Shares", "MUTUAL_FUND", "922908710", 430.0, 0.014},
    {"VTSAX", "Vanguard Total Stock Market Index Fund Admiral Shares", "MUTUAL_FUND", "922908728",
     112.0, 0.014},
    {"FXAIX", "Fidelity 500 Index Fund", "MUTUAL_FUND", "315911750", 165.0, 0.013},
    {"SWPPX", "Schwab S&P 500 Index Fund", "MUTUAL_FUND", "808509855", 72.0, 0.013},
}};
constexpr Security kCash{"CASH", "Cash & Sweep Funds", "CASH", "", 1.0, 0.0};
const DayNumber kPriceReferenceDay = from_civil(2024, 1, 2);

double price_on(const Security& s, DayNumber day) {
  if (std::string_view(s.holding_type) == "CASH") return 1.0;
  const std::uint64_t sym = hash_text(s.symbol);
  const double years = static_cast<double>(day - kPriceReferenceDay) / 365.25;
  const double phase = uniform_of(hash_of(sym, kSaltPrice)) * 6.283185307179586;
  const double wave = 0.05 * std::sin(years * 6.283185307179586 * 1.7 + phase);
  const double noise = 0.012 * (uniform_of(hash_of(sym, kSaltPrice, as_key(day))) - 0.5);
  return round2(s.price * std::exp(0.07 * years) * (1.0 + wave + noise));
}

// ---------------------------------------------------------------------------------------------
// Account kinds.

bool is_debt(std::string_view type) {
  return type == "CREDIT_CARD" || type == "LOAN" || type == "MORTGAGE" || type == "LINE_OF_CREDIT";
}
std::string pretty_type(std::string_view type) {
  if (type == "CHECKING") return "Checking";
  if (type == "SAVINGS") return "Savings";
  if (type == "CREDIT_CARD") return "Credit Card";
  if (type == "LOAN") return "Loan";
  if (type == "MORTGAGE") return "Mortgage";
  if (type == "INVESTMENT") return "Investment";
  if (type == "LINE_OF_CREDIT") return "Line of Credit";
  return std::string(type);
}
std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

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

struct Bill {
  const Merchant* merchant = nullptr;
  int account = -1;
  int day = 1;  // day of month
  double amount = 0;
  bool varies = false;  // utilities: the amount changes month to month
  std::string ref;      // stable reference in the descriptor (an account number at the payee)
  std::size_t descriptor = 0;
};

class Pool {
 public:
  void add(const Merchant* m) {
    total_ += m->weight;
    merchants_.push_back(m);
    cumulative_.push_back(total_);
  }
  bool empty() const { return merchants_.empty() || total_ <= 0; }
  const Merchant* pick(Rng& rng) const {
    const double x = rng.uniform() * total_;
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return merchants_[std::min<std::size_t>(it - cumulative_.begin(), merchants_.size() - 1)];
  }
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
  const Security* security = nullptr;
  double shares = 0;
  double purchase_price = 0;
};

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
  // Asset view: + for money in. Debt accounts invert it.
  double asset_delta() const { return credit ? amount : -amount; }
};

constexpr double kDaysPerMonth = 30.44;

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

  // Every row of account `a` on `day`. The balancing row (checking sweep, card autopay) is
  // included only with `with_balancing`; the other rows do not depend on it.
  std::vector<Row> plan_day(int a, DayNumber day, bool with_balancing);

  // Opening balance of month `m` (in the account's own sign: debt positive).
  double month_opening(int a, MonthIndex m);
  // The account's balance after every row transacted at or before `t`, in its own sign.
  double balance_at(int a, TimePoint t);

  Transaction render(const Row& row, const Account& account, int a, DayNumber day, int seq,
                     TimePoint now) const;

  std::vector<HoldingPlan> holdings(int a) const;
  double investment_value(int a, DayNumber day) const;

  const Metro& metro() const { return *metro_; }

 private:
  void build_profile();
  void plan_checking(int a, DayNumber day, Rng& rng, std::vector<Row>& rows);
  void plan_savings(int a, DayNumber day, std::vector<Row>& rows);
  void plan_card(int a, DayNumber day, Rng& rng, std::vector<Row>& rows);
  void plan_loan(int a, DayNumber day, std::vector<Row>& rows);
  void plan_line_of_credit(int a, DayNumber day, std::vector<Row>& rows);
  void plan_investment(int a, DayNumber day, std::vector<Row>& rows);
  void add_purchases(int a, DayNumber day, Rng& rng, const Pool& pool, std::vector<Row>& rows);
  void add_bills(int a, DayNumber day, std::vector<Row>& rows);
  Row merchant_row(const Merchant& m, double amount, bool credit, int seconds, const Bill* bill,
                   Rng& rng, DayNumber day, int a) const;
  std::string render_descriptor(const Merchant& m, std::size_t which, const std::string& ref,
                                int store, DayNumber day, int a) const;
  int store_number(const Merchant& m, int k) const;
  // Net of the month's rows other than the balancing one, in the account's own sign.
  double month_net_before_balancing(int a, MonthIndex m);
  // The card's autopay for month m (positive: a payment; negative: the card refunds).
  double card_autopay(int card, MonthIndex m);
  std::string ref_for(const Merchant& m) const {
    return Rng(hash_of(ctx_.seed, kSaltStore, hash_text(m.guid), 7)).digits(9);
  }

  const Institution& inst_;
  const DataCatalog& catalog_;
  const MemberDataContext& ctx_;
  const Metro* metro_ = &kMetros[0];
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

void Generator::build_profile() {
  // Where the user lives depends on the user, not the member: all their banks agree.
  metro_ = &kMetros[hash_of(hash_text(ctx_.user_guid), kSaltOwner) % kMetros.size()];
  Rng rng(hash_of(ctx_.seed, kSaltProfile, hash_text(inst_.code)));
  external_last4_ = rng.digits(4);

  bool has_mortgage = false;
  for (std::size_t i = 0; i < inst_.accounts.size(); ++i) {
    const AccountTemplate& t = inst_.accounts[i];
    AccountPlan p;
    p.type = t.type;
    p.subtype = t.subtype.empty() ? "NONE" : t.subtype;
    p.name = t.name.empty() ? inst_.name + " " + pretty_type(t.type) : t.name;
    const int idx = static_cast<int>(i);
    if (t.type == "CHECKING" && checking_ < 0) checking_ = idx;
    if (t.type == "SAVINGS" && savings_ < 0 && p.subtype != "CERTIFICATE_OF_DEPOSIT") {
      savings_ = idx;
    }
    if (t.type == "CREDIT_CARD") cards_.push_back(idx);
    if (t.type == "MORTGAGE") has_mortgage = true;
    plans_.push_back(std::move(p));
  }
  // Distinct last four digits per member.
  for (auto& p : plans_) {
    for (;;) {
      p.last4 = rng.digits(4);
      const auto same = std::count_if(plans_.begin(), plans_.end(),
                                      [&](const AccountPlan& o) { return o.last4 == p.last4; });
      if (same == 1) break;
    }
  }

  for (const Merchant& m : catalog_.merchants) {
    if (m.recurrence != Recurrence::kNone || m.weight <= 0) continue;
    if (m.used_by("CHECKING")) checking_pool_.add(&m);
    if (m.used_by("CREDIT_CARD")) card_pool_.add(&m);
    if (m.category == "Shopping" || m.category == "Clothing" ||
        m.category == "Electronics & Software" || m.category == "Sporting Goods") {
      refund_pool_.add(&m);
    }
  }

  // Recurring merchants: at most one per category, chosen by weight.
  std::vector<std::string> groups;
  for (const Merchant& m : catalog_.merchants) {
    if (m.recurrence == Recurrence::kNone) continue;
    if (std::find(groups.begin(), groups.end(), m.category) == groups.end()) {
      groups.push_back(m.category);
    }
  }
  const int card = cards_.empty() ? -1 : cards_.front();
  for (const std::string& group : groups) {
    std::vector<const Merchant*> members;
    double total = 0;
    for (const Merchant& m : catalog_.merchants) {
      if (m.recurrence != Recurrence::kNone && m.category == group && m.weight > 0) {
        members.push_back(&m);
        total += m.weight;
      }
    }
    if (members.empty()) continue;
    const bool payroll = members.front()->recurrence == Recurrence::kSemiMonthly;
    const bool housing = group == "Mortgage & Rent";
    double p = std::min(1.0, total);
    if (payroll || housing) p = 1;  // everyone is paid, and renters pay rent
    const double roll = rng.uniform();
    double x = rng.uniform() * total;
    const Merchant* chosen = members.back();
    for (const Merchant* m : members) {
      if (x < m->weight) {
        chosen = m;
        break;
      }
      x -= m->weight;
    }
    const double card_roll = rng.uniform();
    const int bill_day = rng.between(1, 28);
    const double amount_roll = rng.uniform();
    if (roll >= p) continue;
    if (payroll) {
      if (checking_ >= 0) employer_ = chosen;
      continue;
    }
    if (housing && has_mortgage) continue;
    Bill b;
    b.merchant = chosen;
    const bool card_ok = card >= 0 && chosen->used_by("CREDIT_CARD");
    const bool checking_ok = checking_ >= 0 && chosen->used_by("CHECKING");
    if (card_ok && (!checking_ok || card_roll < 0.7)) {
      b.account = card;
    } else if (checking_ok) {
      b.account = checking_;
    } else {
      continue;
    }
    b.day = housing ? 1 : bill_day;
    double amount = chosen->amount_min + (chosen->amount_max - chosen->amount_min) * amount_roll;
    if (chosen->is_subscription && chosen->amount_max > chosen->amount_min) {
      amount = std::floor(amount) + 0.99;  // subscriptions are priced x.99
      amount = std::min(std::max(amount, chosen->amount_min), chosen->amount_max);
    }
    b.amount = round2(amount);
    b.varies = group == "Utilities";
    b.ref = ref_for(*chosen);
    b.descriptor = chosen->descriptors.empty()
                       ? 0
                       : static_cast<std::size_t>(hash_of(ctx_.seed, hash_text(chosen->guid)) %
                                                  chosen->descriptors.size());
    bills_.push_back(std::move(b));
  }

  // Per-account parameters.
  const double tpd = std::max(0.0, inst_.transactions_per_day);
  double card_monthly = 0;
  double checking_monthly = 0;
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    AccountPlan& p = plans_[i];
    const int idx = static_cast<int>(i);
    Rng arng(hash_of(ctx_.seed, kSaltProfile, hash_text(inst_.code), as_key(idx)));
    if (p.type == "CHECKING") {
      p.purchases_per_day = idx == checking_ ? tpd : tpd / 4;
      p.rate = round2(arng.uniform(0.01, 0.10));
    } else if (p.type == "CREDIT_CARD") {
      p.purchases_per_day = idx == card ? tpd : tpd / 3;
      p.rate = std::floor(arng.uniform(17, 30)) + 0.99;
      p.base = round2(arng.uniform(150, 2500));
      double spend = p.purchases_per_day * kDaysPerMonth * card_pool_.mean_amount();
      for (const Bill& b : bills_) {
        if (b.account == idx) spend += b.amount;
      }
      card_monthly += spend;
      const double wanted = (p.base * 1.4 + spend * 1.6) / 500.0;
      p.credit_limit = 500.0 * std::max(std::ceil(wanted), std::floor(arng.uniform(4, 50)));
    } else if (p.type == "SAVINGS") {
      const bool cd = p.subtype == "CERTIFICATE_OF_DEPOSIT";
      p.rate = round2(cd ? arng.uniform(3.5, 5.0) : arng.uniform(0.5, 4.5));
      p.base = round2(cd ? 1000.0 * arng.between(5, 50) : arng.uniform(1500, 20000));
      p.monthly_deposit = cd ? 0 : 25.0 * arng.between(2, 20);
      if (idx == savings_ && checking_ >= 0) checking_monthly += p.monthly_deposit;
    } else if (p.type == "LOAN" || p.type == "MORTGAGE") {
      const bool mortgage = p.type == "MORTGAGE";
      const bool student = p.subtype == "STUDENT";
      p.term_months = mortgage ? 360 : (student ? 120 : 72);
      p.base = mortgage ? 1000.0 * arng.between(180, 650)
                        : (student ? 500.0 * arng.between(20, 90) : 500.0 * arng.between(30, 90));
      p.rate = round2(mortgage ? arng.uniform(2.75, 7.25) : arng.uniform(3.9, 9.5));
      p.start_month = mortgage ? 2012 * 12 + arng.between(0, 131) : 2020 * 12 + arng.between(0, 47);
      p.payment_day = arng.between(1, 28);
      const double r = p.rate / 1200.0;
      p.payment = round2(p.base * r / (1.0 - std::pow(1.0 + r, -p.term_months)));
      if (checking_ >= 0) checking_monthly += p.payment;
    } else if (p.type == "LINE_OF_CREDIT") {
      p.base = round2(arng.uniform(500, 9000));
      p.rate = std::floor(arng.uniform(9, 18)) + 0.75;
      p.credit_limit = 1000.0 * std::ceil(p.base * arng.uniform(1.5, 3.0) / 1000.0);
    } else if (p.type == "INVESTMENT") {
      const bool k401 = p.subtype.rfind("PLAN_", 0) == 0;
      p.target_value = round2(k401 ? arng.uniform(20000, 300000) : arng.uniform(4000, 120000));
      p.contribution = 50.0 * arng.between(k401 ? 6 : 2, k401 ? 30 : 20);
      p.contribution_from_checking = !k401 && checking_ >= 0;
      p.payment_day = 5;
      if (p.contribution_from_checking) checking_monthly += p.contribution;
    }
  }

  if (checking_ >= 0) {
    const AccountPlan& ck = plans_[static_cast<std::size_t>(checking_)];
    checking_monthly += ck.purchases_per_day * kDaysPerMonth * checking_pool_.mean_amount();
    checking_monthly += kDaysPerMonth * (0.04 * 110 + 0.01 * 325);  // ATM, checks
    for (const Bill& b : bills_) {
      if (b.account == checking_) checking_monthly += b.amount;
    }
    const double outflow = checking_monthly + card_monthly;
    Rng prng(hash_of(ctx_.seed, kSaltProfile, hash_text(inst_.code), 99));
    if (employer_ != nullptr) {
      const double wanted = outflow * prng.uniform(1.04, 1.2) / 2.0;
      paycheck_ = round2(std::clamp(wanted, employer_->amount_min, employer_->amount_max));
    }
    for (std::size_t i = 0; i < plans_.size(); ++i) {
      AccountPlan& p = plans_[i];
      if (p.type != "CHECKING") continue;
      // The month's low point comes before the mid-month paycheck, after rent and bills: an
      // opening near a month's outflow keeps the account out of overdraft.
      const double scale = static_cast<int>(i) == checking_ ? std::max(2500.0, 0.9 * outflow)
                                                            : prng.uniform(2000, 6000);
      p.base = round2(scale * prng.uniform(1.0, 1.5));
    }
  }
}

int Generator::store_number(const Merchant& m, int k) const {
  return 1000 + static_cast<int>(hash_of(ctx_.seed, kSaltStore, hash_text(m.guid),
                                         static_cast<std::uint64_t>(k)) %
                                 9000);
}

std::string Generator::render_descriptor(const Merchant& m, std::size_t which,
                                         const std::string& ref, int store, DayNumber day,
                                         int a) const {
  if (m.descriptors.empty()) return upper(m.name);
  const std::string& tmpl = m.descriptors[which % m.descriptors.size()];
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == '{') {
      const std::size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        const std::string_view key(tmpl.data() + i + 1, close - i - 1);
        if (key == "store") {
          out += std::to_string(store);
        } else if (key == "city") {
          out += metro_->city;
        } else if (key == "state") {
          out += metro_->state;
        } else if (key == "ref") {
          out += ref;
        } else if (key == "mmdd") {
          const Ymd c = civil(day);
          char buf[8];
          std::snprintf(buf, sizeof buf, "%02d/%02d", c.month, c.day);
          out += buf;
        } else if (key == "last4") {
          out += plans_[static_cast<std::size_t>(a)].last4;
        } else {
          out.append(tmpl, i, close - i + 1);  // unknown placeholders stay as written
        }
        i = close + 1;
        continue;
      }
    }
    out += tmpl[i++];
  }
  return upper(out);
}

Row Generator::merchant_row(const Merchant& m, double amount, bool credit, int seconds,
                            const Bill* bill, Rng& rng, DayNumber day, int a) const {
  Row r;
  r.seconds = seconds;
  r.amount = round2(amount);
  r.credit = credit;
  r.category = m.category;
  r.merchant = &m;
  r.description = m.name;
  // Draw in a fixed order whatever the merchant, so later rows keep their randomness.
  const double store_roll = rng.uniform();
  const std::string ref = rng.digits(9);
  const std::size_t which = static_cast<std::size_t>(rng.below(8));
  const int k = store_roll < 0.6 ? 0 : (store_roll < 0.9 ? 1 : 2);
  const int store = store_number(m, k);
  r.original = render_descriptor(m, bill != nullptr ? bill->descriptor : which,
                                 bill != nullptr ? bill->ref : ref, store, day, a);
  if (!m.is_online) {
    const std::uint64_t s = hash_of(ctx_.seed, kSaltStore, hash_text(m.guid), as_key(store));
    r.located = true;
    r.latitude = std::round((metro_->latitude + (uniform_of(s) - 0.5) * 0.16) * 1e6) / 1e6;
    r.longitude = std::round((metro_->longitude + (uniform_of(s + 1) - 0.5) * 0.16) * 1e6) / 1e6;
  }
  return r;
}

void Generator::add_purchases(int a, DayNumber day, Rng& rng, const Pool& pool,
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
    rows.push_back(merchant_row(*m, amount, false, seconds, nullptr, rng, day, a));
  }
}

void Generator::add_bills(int a, DayNumber day, std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  for (const Bill& b : bills_) {
    if (b.account != a || day_in_month(m, b.day) != day) continue;
    Rng rng(hash_of(ctx_.seed, kSaltMonth, hash_text(b.merchant->guid), as_key(m)));
    double amount = b.amount;
    if (b.varies) amount *= rng.uniform(0.8, 1.25);
    Row r = merchant_row(*b.merchant, amount, false, 10 * kHour + rng.below(3600), &b, rng, day, a);
    r.recurring = true;
    r.subscription = b.merchant->is_subscription;
    r.bill_pay = !b.merchant->is_subscription && plan(a).type == "CHECKING";
    rows.push_back(std::move(r));
  }
}

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

void Generator::plan_checking(int a, DayNumber day, Rng& rng, std::vector<Row>& rows) {
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
      Row r = merchant_row(*employer_, paycheck_, true, 6 * kHour, nullptr, rng, day, a);
      r.original = render_descriptor(*employer_, 0, ref_for(*employer_), 0, day, a);
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
    add_bills(a, day, rows);
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

  add_purchases(a, day, rng, checking_pool_, rows);
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

void Generator::plan_card(int a, DayNumber day, Rng& rng, std::vector<Row>& rows) {
  const MonthIndex m = month_of(day);
  add_bills(a, day, rows);
  add_purchases(a, day, rng, card_pool_, rows);
  if (!refund_pool_.empty() && rng.chance(0.03)) {
    const Merchant* mm = refund_pool_.pick(rng);
    const double u = rng.uniform();
    Row r = merchant_row(*mm, mm->amount_min + (mm->amount_max - mm->amount_min) * u * u, true,
                         rng.between(9 * kHour, 20 * kHour), nullptr, rng, day, a);
    r.category = "Returned Purchase";
    r.original = "RETURN " + r.original;
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

void Generator::plan_loan(int a, DayNumber day, std::vector<Row>& rows) {
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

void Generator::plan_line_of_credit(int a, DayNumber day, std::vector<Row>& rows) {
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

void Generator::plan_investment(int a, DayNumber day, std::vector<Row>& rows) {
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
    char buf[96];
    std::snprintf(buf, sizeof buf, "YOU BOUGHT %s %.3f SH @ %.2f", s.symbol, p.contribution / price,
                  price);
    rows.push_back(transfer_row(p.contribution, false, 14 * kHour, "Buy",
                                std::string("Buy ") + s.symbol, buf));
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

std::vector<Row> Generator::plan_day(int a, DayNumber day, bool with_balancing) {
  std::vector<Row> rows;
  if (a < 0 || a >= account_count()) return rows;
  Rng rng(hash_of(ctx_.seed, kSaltDay, as_key(a), as_key(day)));
  const std::string& type = plan(a).type;
  if (type == "CHECKING") {
    plan_checking(a, day, rng, rows);
  } else if (type == "SAVINGS") {
    plan_savings(a, day, rows);
  } else if (type == "CREDIT_CARD") {
    plan_card(a, day, rng, rows);
  } else if (type == "LOAN" || type == "MORTGAGE") {
    plan_loan(a, day, rows);
  } else if (type == "LINE_OF_CREDIT") {
    plan_line_of_credit(a, day, rows);
  } else if (type == "INVESTMENT") {
    plan_investment(a, day, rows);
  }
  const MonthIndex m = month_of(day);
  if (with_balancing && day == last_day(m)) {
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
  return rows;
}

double Generator::month_net_before_balancing(int a, MonthIndex m) {
  const auto key = std::make_pair(a, m);
  if (const auto it = net_cache_.find(key); it != net_cache_.end()) return it->second;
  const bool debt = is_debt(plan(a).type);
  double net = 0;
  for (DayNumber d = first_day(m); d <= last_day(m); ++d) {
    for (const Row& r : plan_day(a, d, false)) net += debt ? -r.asset_delta() : r.asset_delta();
  }
  net_cache_[key] = net;
  return net;
}

double Generator::card_autopay(int card, MonthIndex m) {
  // The card's debt must move from this month's opening to the next month's.
  const double change = month_opening(card, m + 1) - month_opening(card, m);
  return round2(month_net_before_balancing(card, m) - change);
}

double Generator::month_opening(int a, MonthIndex m) {
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
  const MonthIndex m = month_of(day);
  const bool debt = is_debt(p.type);
  double balance = month_opening(a, m);
  for (DayNumber d = first_day(m); d <= day; ++d) {
    for (const Row& r : plan_day(a, d, true)) {
      if (at(d, r.seconds) > t) continue;
      balance += debt ? -r.asset_delta() : r.asset_delta();
    }
  }
  return round2(balance);
}

std::vector<HoldingPlan> Generator::holdings(int a) const {
  const AccountPlan& p = plan(a);
  std::vector<HoldingPlan> out;
  if (p.type != "INVESTMENT") return out;
  Rng rng(hash_of(ctx_.seed, kSaltHolding, as_key(a)));
  const bool k401 = p.subtype.rfind("PLAN_", 0) == 0;
  const int count = rng.between(3, 6);
  std::vector<std::size_t> picks;
  while (static_cast<int>(picks.size()) < count) {
    std::size_t i = static_cast<std::size_t>(rng.below(static_cast<int>(kSecurities.size())));
    // Retirement plans hold funds, not single stocks.
    if (k401 && std::string_view(kSecurities[i].holding_type) == "EQUITY") continue;
    if (std::find(picks.begin(), picks.end(), i) == picks.end()) picks.push_back(i);
  }
  const double cash_share = rng.uniform(0.02, 0.08);
  std::vector<double> weights;
  double total = 0;
  for (std::size_t i = 0; i < picks.size(); ++i) {
    weights.push_back(rng.uniform(0.5, 2.0));
    total += weights.back();
  }
  for (std::size_t i = 0; i < picks.size(); ++i) {
    const Security& s = kSecurities[picks[i]];
    HoldingPlan h;
    h.security = &s;
    const double value = p.target_value * (1 - cash_share) * weights[i] / total;
    h.shares = std::round(value / s.price * 1000.0) / 1000.0;
    h.purchase_price = round2(s.price * rng.uniform(0.55, 1.0));
    out.push_back(h);
  }
  out.push_back({&kCash, round2(p.target_value * cash_share), 1.0});
  return out;
}

double Generator::investment_value(int a, DayNumber day) const {
  double total = 0;
  for (const HoldingPlan& h : holdings(a)) total += round2(h.shares * price_on(*h.security, day));
  return round2(total);
}

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
        6 * kHour +
        static_cast<int>(hash_of(as_key(day), as_key(seq), hash_text(t.guid)) % (34 * kHour));
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

std::string hex64(std::uint64_t a, std::uint64_t b) {
  std::string out;
  std::uint64_t w = hash_of(a, b);
  for (int i = 0; i < 4; ++i) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(w));
    out += buf;
    w = mix64(w + static_cast<std::uint64_t>(i));
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
    const double with_pending = gen.balance_at(i, now);
    // Investments are valued at today's prices; nothing about them is pending.
    acc.balance = p.type == "INVESTMENT" ? with_pending : gen.balance_at(i, posted_cutoff);
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

std::vector<Holding> generate_holdings(const Institution& institution, const MemberDataContext& ctx,
                                       const std::vector<Account>& accounts, TimePoint now) {
  static const DataCatalog kNoCatalog;  // holdings need no categories or merchants
  Generator gen(institution, kNoCatalog, ctx);
  std::vector<Holding> out;
  const DayNumber today = day_of(now);
  const int n = std::min(gen.account_count(), static_cast<int>(accounts.size()));
  for (int a = 0; a < n; ++a) {
    int index = 0;
    for (const HoldingPlan& h : gen.holdings(a)) {
      Holding hold;
      hold.guid = derived_guid("HOL", hash_of(ctx.seed, kSaltHolding, as_key(a)),
                               static_cast<std::uint64_t>(index++));
      hold.user_guid = ctx.user_guid;
      hold.member_guid = ctx.member_guid;
      hold.account_guid = accounts[static_cast<std::size_t>(a)].guid;
      hold.symbol = h.security->symbol;
      hold.description = h.security->description;
      hold.holding_type = h.security->holding_type;
      hold.shares = h.shares;
      hold.purchase_price = h.purchase_price;
      hold.cost_basis = round2(h.shares * h.purchase_price);
      hold.market_value = round2(h.shares * price_on(*h.security, today));
      if (*h.security->cusip != '\0') hold.cusip = h.security->cusip;
      hold.created_at = now;
      hold.updated_at = now;
      out.push_back(std::move(hold));
    }
  }
  return out;
}

std::string routing_number_for(const Institution& institution) {
  Rng rng(hash_of(hash_text(institution.code), kSaltAccountNumber));
  // Federal Reserve district prefixes: 01-12 (banks) and 21-32 (thrifts).
  const int district = rng.between(1, 12) + (rng.chance(0.5) ? 20 : 0);
  char prefix[3];
  std::snprintf(prefix, sizeof prefix, "%02d", district);
  std::string digits = std::string(prefix) + rng.digits(6);
  static constexpr std::array<int, 8> kWeights{3, 7, 1, 3, 7, 1, 3, 7};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += kWeights[i] * (digits[i] - '0');
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

bool is_valid_aba_routing_number(std::string_view digits) {
  if (digits.size() != 9) return false;
  static constexpr std::array<int, 9> kWeights{3, 7, 1, 3, 7, 1, 3, 7, 1};
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (digits[i] < '0' || digits[i] > '9') return false;
    sum += kWeights[i] * (digits[i] - '0');
  }
  return sum % 10 == 0;
}

std::vector<AccountNumber> generate_account_numbers(const Institution& institution,
                                                    const MemberDataContext& ctx,
                                                    const std::vector<Account>& accounts) {
  std::vector<AccountNumber> out;
  const std::string routing = routing_number_for(institution);
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const Account& acc = accounts[i];
    if (acc.type != "CHECKING" && acc.type != "SAVINGS") continue;
    Rng rng(hash_of(ctx.seed, kSaltAccountNumber, i));
    AccountNumber n;
    n.guid = derived_guid("ACN", hash_of(ctx.seed, kSaltAccountNumber), i);
    n.user_guid = ctx.user_guid;
    n.member_guid = ctx.member_guid;
    n.account_guid = acc.guid;
    const std::string& masked = acc.account_number_masked;
    const std::string last4 = masked.size() >= 4 ? masked.substr(masked.size() - 4) : rng.digits(4);
    n.account_number = std::to_string(rng.between(1, 9)) + rng.digits(5) + last4;
    n.routing_number = routing;
    n.passed_validation = true;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<AccountOwner> generate_account_owners(const Institution& institution,
                                                  const MemberDataContext& ctx,
                                                  const std::vector<Account>& accounts) {
  static const DataCatalog kNoCatalog;
  const Generator gen(institution, kNoCatalog, ctx);
  const Metro& metro = gen.metro();
  // The people are the user's (the same at every bank); whether there is a joint owner is the
  // member's.
  Rng rng(hash_of(hash_text(ctx.user_guid), kSaltOwner, 1));
  const std::string last = kLastNames[static_cast<std::size_t>(rng.below(kLastNames.size()))];
  const std::size_t first_index = static_cast<std::size_t>(rng.below(kFirstNames.size()));
  std::size_t joint_index = static_cast<std::size_t>(rng.below(kFirstNames.size() - 1));
  if (joint_index >= first_index) ++joint_index;
  const bool joint = Rng(hash_of(ctx.seed, kSaltOwner)).chance(0.4);
  const std::string address = std::to_string(rng.between(100, 9899)) + " " +
                              kStreets[static_cast<std::size_t>(rng.below(kStreets.size()))];
  const int phone_a = rng.between(0, 99);
  const int phone_b = rng.between(0, 99);
  const std::string email_suffix = std::to_string(rng.between(1, 99));

  auto make = [&](std::size_t account, int owner, const std::string& first, int phone) {
    AccountOwner o;
    o.guid = derived_guid("ACO", hash_of(ctx.seed, kSaltOwner, account),
                          static_cast<std::uint64_t>(owner));
    o.user_guid = ctx.user_guid;
    o.member_guid = ctx.member_guid;
    o.account_guid = accounts[account].guid;
    o.first_name = first;
    o.last_name = last;
    o.owner_name = first + " " + last;
    o.address = address;
    o.city = metro.city;
    o.state = metro.state;
    o.postal_code = metro.postal_code;
    o.country = "US";
    std::string email = first + "." + last + email_suffix + "@example.com";
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    o.email = std::move(email);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s-555-01%02d", metro.area_code, phone);
    o.phone = buf;
    return o;
  };
  std::vector<AccountOwner> out;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const std::string& type = accounts[i].type;
    out.push_back(make(i, 0, kFirstNames[first_index], phone_a));
    if (joint && (type == "CHECKING" || type == "SAVINGS" || type == "MORTGAGE")) {
      out.push_back(make(i, 1, kFirstNames[joint_index], phone_b));
    }
  }
  return out;
}

std::vector<Statement> generate_statements(const Institution& institution,
                                           const MemberDataContext& ctx,
                                           const std::vector<Account>& accounts, TimePoint now,
                                           int months) {
  (void)institution;
  std::vector<Statement> out;
  const MonthIndex current = month_of(day_of(now));
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    for (int k = 1; k <= months; ++k) {
      const MonthIndex m = current - k;
      const DayNumber end = last_day(m);
      Statement s;
      const std::uint64_t key = hash_of(ctx.seed, kSaltStatement, i);
      s.guid = derived_guid("STA", key, as_key(m));
      s.user_guid = ctx.user_guid;
      s.member_guid = ctx.member_guid;
      s.account_guid = accounts[i].guid;
      s.content_hash = hex64(key, as_key(m));
      s.period_end = format_day(end);
      s.created_at = at(end + 1, 6 * kHour);
      s.updated_at = s.created_at;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace mxemu::domain
