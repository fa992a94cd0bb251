// The member's profile: what is decided once per member (where they live, who pays them, which
// bills they have, each account's terms), from the seed, the institution and the catalog.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {
namespace {

// Real metros; the people living there are fictional.
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

constexpr double kDaysPerMonth = 30.44;

}  // namespace

std::size_t metro_index(const Metro& metro) {
  return static_cast<std::size_t>(&metro - kMetros.data());
}
const Metro* metro_at(std::size_t index) {
  return index < kMetros.size() ? &kMetros[index] : nullptr;
}

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

}  // namespace mxemu::domain::generator_detail
