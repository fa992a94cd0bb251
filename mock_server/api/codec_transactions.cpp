// TransactionResponse (the same 44 fields in both versions; mx-behavior.md §10).
#include <optional>
#include <string>

#include "api/codec.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using codec_detail::iso_or_null;
using codec_detail::or_null;
using codec_detail::text_or_null;

// The spec types merchant_category_code as an integer; the record keeps the MCC's digits.
json mcc_or_null(const std::optional<std::string>& mcc) {
  if (!mcc || mcc->empty() || mcc->size() > 9) return nullptr;
  for (const char c : *mcc) {
    if (c < '0' || c > '9') return nullptr;
  }
  return std::stoi(*mcc);
}

}  // namespace

json transaction_json(const domain::Transaction& t, ApiVersion /*version: same shape in both*/,
                      const std::optional<std::string>& user_id,
                      const std::optional<std::string>& account_id) {
  return json{
      {"account_guid", t.account_guid},
      {"account_id", or_null(account_id)},
      {"amount", t.amount},
      {"category", text_or_null(t.category)},
      {"category_guid", text_or_null(t.category_guid)},
      {"check_number_string", nullptr},
      {"created_at", domain::format_iso8601(t.created_at)},
      {"currency_code", t.currency_code},
      {"date", t.date},
      {"description", text_or_null(t.description)},
      {"extended_transaction_type", nullptr},
      {"guid", t.guid},
      {"has_been_split", t.has_been_split},
      {"id", or_null(t.id)},
      {"is_bill_pay", t.is_bill_pay},
      {"is_direct_deposit", t.is_direct_deposit},
      {"is_expense", t.is_expense},
      {"is_fee", t.is_fee},
      {"is_income", t.is_income},
      {"is_international", false},

      {"is_manual", t.is_manual},
      {"is_overdraft_fee", t.is_overdraft_fee},
      {"is_payroll_advance", t.is_payroll_advance},
      {"is_recurring", t.is_recurring},
      {"is_subscription", t.is_subscription},
      {"latitude", or_null(t.latitude)},
      {"localized_description", nullptr},
      {"localized_memo", nullptr},
      {"longitude", or_null(t.longitude)},
      {"member_guid", t.member_guid},
      {"member_is_managed_by_user", false},
      {"memo", or_null(t.memo)},
      {"merchant_category_code", mcc_or_null(t.merchant_category_code)},
      {"merchant_guid", or_null(t.merchant_guid)},
      {"merchant_location_guid", or_null(t.merchant_location_guid)},
      {"metadata", or_null(t.metadata)},
      {"original_description", text_or_null(t.original_description)},
      {"parent_guid", or_null(t.parent_guid)},
      {"posted_at", iso_or_null(t.posted_at)},
      {"status", t.status},
      {"top_level_category", text_or_null(t.top_level_category)},
      {"transacted_at", domain::format_iso8601(t.transacted_at)},
      {"type", t.type},
      {"updated_at", domain::format_iso8601(t.updated_at)},
      {"user_guid", t.user_guid},
      {"user_id", or_null(user_id)},
  };
}

json transaction_merchant_json(const domain::Merchant* merchant) {
  if (merchant == nullptr) return nullptr;
  return json{
      {"guid", merchant->guid},
      {"logo_url", merchant->logo_url},
      {"name", merchant->name},
      {"website_url", merchant->website_url},
  };
}

}  // namespace mxemu::api
