#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/institution.h"
#include "domain/records.h"

namespace mxemu::domain {

// MX's credit_card_product: what a credit card offers (fees, introductory rates, the kind of
// rewards). MX names it on a credit card account (`credit_card_product_guid`, in its rewards
// guide's account fields) and serves it by guid (creditCard). The emulator gives each
// institution three products, made from its code and name alone, so they need no storage.
struct CreditCardProduct {
  std::string guid;  // "CCA-…"
  std::string name;
  double annual_fee = 0;
  std::optional<int> duration_of_introductory_rate_on_balance_transfer;  // months
  std::optional<int> duration_of_introductory_rate_on_purchases;         // months
  bool has_cashback_rewards = false;
  bool has_other_rewards = false;
  bool has_travel_rewards = false;
  bool has_zero_introductory_annual_fee = false;
  bool has_zero_percent_introductory_rate = false;
  bool has_zero_percent_introductory_rate_on_balance_transfer = false;
  bool is_accepting_applicants = true;
  bool is_active_credit_card_product = true;
  bool is_small_business_card = false;
};

// The guid of the product of a credit card account (one of its institution's three, chosen by
// the account's guid); nullopt for any other account, and for manual ones.
std::optional<std::string> credit_card_product_guid(const Account& account);
// The product with this guid at one of `institutions`, or nullopt.
std::optional<CreditCardProduct> find_credit_card_product(
    const std::vector<Institution>& institutions, std::string_view guid);

}  // namespace mxemu::domain
