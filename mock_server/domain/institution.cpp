#include "domain/institution.h"

namespace mxemu::domain {

std::vector<std::string> Institution::supported_products() const {
  std::vector<std::string> out;
  if (supports_account_verification) out.emplace_back("account_verification");
  if (supports_account_identification) out.emplace_back("identity_verification");
  if (supports_investments) out.emplace_back("investments");
  if (supports_rewards) out.emplace_back("rewards");
  if (supports_account_statement) out.emplace_back("statements");
  out.emplace_back("transactions");
  if (supports_transaction_history) out.emplace_back("transaction_history");
  return out;
}

}  // namespace mxemu::domain
