#include "domain/credit_card_product.h"

#include "domain/ids.h"

namespace mxemu::domain {
namespace {

constexpr int kProductsPerInstitution = 3;

std::string product_guid(std::string_view institution_code, int variant) {
  return derived_guid("CCA", stable_digest(institution_code),
                      0x4343410000000000ULL + static_cast<std::uint64_t>(variant));
}

// The institution's `variant`-th card: a cashback card with introductory rates, a travel card
// whose first year's fee is waived, a small-business card.
CreditCardProduct product(const Institution& institution, int variant) {
  CreditCardProduct p;
  p.guid = product_guid(institution.code, variant);
  switch (variant) {
    case 0:
      p.name = institution.name + " Cash Rewards Visa";
      p.has_cashback_rewards = true;
      p.has_zero_percent_introductory_rate = true;
      p.has_zero_percent_introductory_rate_on_balance_transfer = true;
      p.duration_of_introductory_rate_on_purchases = 15;
      p.duration_of_introductory_rate_on_balance_transfer = 15;
      break;
    case 1:
      p.name = institution.name + " Travel Rewards World Mastercard";
      p.annual_fee = 95;
      p.has_travel_rewards = true;
      p.has_zero_introductory_annual_fee = true;
      break;
    default:
      p.name = institution.name + " Business Platinum";
      p.annual_fee = 45;
      p.has_other_rewards = true;
      p.is_small_business_card = true;
      p.has_zero_percent_introductory_rate = true;
      p.duration_of_introductory_rate_on_purchases = 12;
      break;
  }
  return p;
}

}  // namespace

std::optional<std::string> credit_card_product_guid(const Account& account) {
  if (account.type != "CREDIT_CARD" || account.is_manual || account.institution_code.empty()) {
    return std::nullopt;
  }
  const auto variant = static_cast<int>(stable_digest(account.guid) % kProductsPerInstitution);
  return product_guid(account.institution_code, variant);
}

std::optional<CreditCardProduct> find_credit_card_product(
    const std::vector<Institution>& institutions, std::string_view guid) {
  if (guid.substr(0, 4) != "CCA-") return std::nullopt;
  for (const Institution& institution : institutions) {
    for (int variant = 0; variant < kProductsPerInstitution; ++variant) {
      if (product_guid(institution.code, variant) == guid) return product(institution, variant);
    }
  }
  return std::nullopt;
}

}  // namespace mxemu::domain
