// Investments: the securities members hold, their prices over time, each INVESTMENT account's
// holdings, and generate_holdings.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain {
namespace generator_detail {
namespace {

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

}  // namespace

double price_on(const Security& s, DayNumber day) {
  if (std::string_view(s.holding_type) == "CASH") return 1.0;
  const std::uint64_t sym = hash_text(s.symbol);
  const double years = static_cast<double>(day - kPriceReferenceDay) / 365.25;
  const double phase = uniform_of(hash_of(sym, kSaltPrice)) * 6.283185307179586;
  const double wave = 0.05 * std::sin(years * 6.283185307179586 * 1.7 + phase);
  const double noise = 0.012 * (uniform_of(hash_of(sym, kSaltPrice, as_key(day))) - 0.5);
  return round2(s.price * std::exp(0.07 * years) * (1.0 + wave + noise));
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
    auto i = static_cast<std::size_t>(rng.below(static_cast<int>(kSecurities.size())));
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

}  // namespace generator_detail

using generator_detail::as_key;
using generator_detail::Generator;
using generator_detail::hash_of;
using generator_detail::HoldingPlan;
using generator_detail::kSaltHolding;
using generator_detail::price_on;
using generator_detail::round2;

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

}  // namespace mxemu::domain
