// AccountResponse (per version), AccountNumberResponse, AccountOwnerResponse.
#include <array>
#include <string>
#include <string_view>

#include "api/codec.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using codec_detail::or_null;
using codec_detail::text_or_null;

// v20111101's feed_<name> fields that mirror a field of the same name (29 of the 31; the
// other two, feed_account_type and feed_account_subtype, are MX-internal integer codes).
constexpr std::array<std::string_view, 29> kFeedMirrors{
    "account_number",
    "apr",
    "apy",
    "available_balance",
    "balance",
    "cash_balance",
    "cash_surrender_value",
    "credit_limit",
    "currency_code",
    "day_payment_is_due",
    "death_benefit",
    "holdings_value",
    "interest_rate",
    "is_closed",
    "last_payment",
    "last_payment_at",
    "loan_amount",
    "matures_on",
    "minimum_balance",
    "minimum_payment",
    "name",
    "nickname",
    "original_balance",
    "payment_due_at",
    "payoff_balance",
    "routing_number",
    "started_on",
    "statement_balance",
    "total_account_value",
};

// v20111101's <name>_set_by fields: who last set the value, an undocumented integer enum.
constexpr std::array<std::string_view, 31> kSetBy{
    "account_number",
    "apr",
    "apy",
    "available_balance",
    "available_credit",
    "balance",
    "cash_balance",
    "cash_surrender_value",
    "credit_limit",
    "currency_code",
    "day_payment_is_due",
    "death_benefit",
    "holdings_value",
    "interest_rate",
    "is_closed",
    "last_payment",
    "last_payment_at",
    "loan_amount",
    "matures_on",
    "minimum_balance",
    "minimum_payment",
    "name",
    "nickname",
    "original_balance",
    "payment_due_at",
    "payoff_balance",
    "started_on",
    "statement_balance",
    "subtype",
    "total_account_value",
    "type",
};

// The 58 fields both versions share.
json common_account_fields(const domain::Account& a, const OwnerIds& owners) {
  json due_at = nullptr;
  json due_day = nullptr;
  if (a.payment_due_at) {
    if (const auto day = domain::parse_day(*a.payment_due_at)) {
      due_at = domain::format_iso8601(domain::start_of_day(*day));
      due_day = std::stoi(a.payment_due_at->substr(8, 2));
    }
  }
  return json{
      {"account_number", text_or_null(a.account_number_masked)},
      {"account_ownership", nullptr},
      {"annuity_policy_to_date", nullptr},
      {"annuity_provider", nullptr},
      {"annuity_term_year", nullptr},
      {"apr", or_null(a.apr)},
      {"apy", nullptr},
      {"available_balance", or_null(a.available_balance)},
      {"available_credit", nullptr},
      {"balance", a.balance},
      {"cash_balance", nullptr},
      {"cash_surrender_value", nullptr},
      {"created_at", domain::format_iso8601(a.created_at)},
      {"credit_card_product_guid", or_null(domain::credit_card_product_guid(a))},
      {"credit_limit", or_null(a.credit_limit)},
      {"currency_code", a.currency_code},
      {"day_payment_is_due", due_day},
      {"death_benefit", nullptr},
      {"federal_insurance_status", nullptr},
      {"guid", a.guid},
      {"id", or_null(a.id)},
      {"imported_at", nullptr},
      {"institution_code", a.institution_code},
      {"insured_name", nullptr},
      {"interest_rate", or_null(a.interest_rate)},
      {"is_closed", a.is_closed},
      {"is_hidden", a.is_hidden},
      {"is_manual", a.is_manual},
      {"last_payment", nullptr},
      {"last_payment_at", nullptr},
      {"loan_amount", nullptr},
      {"margin_balance", nullptr},
      {"matures_on", nullptr},
      {"member_guid", a.member_guid},
      {"member_id", or_null(owners.member_id)},
      {"member_is_managed_by_user", false},
      {"metadata", or_null(a.metadata)},
      {"minimum_balance", nullptr},
      {"minimum_payment", or_null(a.payment_due_amount)},
      {"name", a.name},
      {"nickname", nullptr},
      {"original_balance", or_null(a.original_balance)},
      {"pay_out_amount", nullptr},
      {"payment_due_at", due_at},
      {"payoff_balance", nullptr},
      {"premium_amount", nullptr},
      {"property_type", nullptr},
      {"routing_number", nullptr},
      {"started_on", nullptr},
      {"statement_balance", nullptr},
      {"subtype", text_or_null(a.subtype)},
      {"today_ugl_amount", nullptr},
      {"today_ugl_percentage", nullptr},
      {"total_account_value", nullptr},
      {"total_account_value_ugl", nullptr},
      {"type", a.type},
      {"updated_at", domain::format_iso8601(a.updated_at)},
      {"user_guid", a.user_guid},
      {"user_id", or_null(owners.user_id)},
  };
}

}  // namespace

json account_json(const domain::Account& account, ApiVersion version, const OwnerIds& owners) {
  json out = common_account_fields(account, owners);
  if (version == ApiVersion::kV20250224) return out;

  out["calculated_apr"] = nullptr;
  out["holdings_value"] = nullptr;
  out["institution_guid"] = or_null(owners.institution_guid);
  for (std::string_view name : kSetBy) out[std::string(name) + "_set_by"] = nullptr;
  out["feed_account_type"] = nullptr;
  out["feed_account_subtype"] = nullptr;
  for (std::string_view name : kFeedMirrors) {
    const std::string key(name);
    out["feed_" + key] = account.is_manual ? json(nullptr) : out[key];
  }
  return out;
}

json account_number_json(const domain::AccountNumber& n) {
  return json{
      {"account_guid", n.account_guid},
      {"account_number", text_or_null(n.account_number)},
      {"guid", n.guid},
      {"institution_number", nullptr},
      {"loan_guarantor", nullptr},
      {"loan_reference_number", nullptr},
      {"member_guid", n.member_guid},
      {"passed_validation", n.passed_validation},
      {"routing_number", text_or_null(n.routing_number)},
      {"sequence_number", nullptr},
      {"transit_number", nullptr},
      {"user_guid", n.user_guid},
  };
}

json account_owner_json(const domain::AccountOwner& o) {
  return json{
      {"account_guid", o.account_guid},
      {"address", text_or_null(o.address)},
      {"city", text_or_null(o.city)},
      {"country", text_or_null(o.country)},
      {"email", text_or_null(o.email)},
      {"first_name", text_or_null(o.first_name)},
      {"guid", o.guid},
      {"last_name", text_or_null(o.last_name)},
      {"member_guid", o.member_guid},
      {"owner_name", text_or_null(o.owner_name)},
      {"phone", text_or_null(o.phone)},
      {"postal_code", text_or_null(o.postal_code)},
      {"state", text_or_null(o.state)},
      {"user_guid", o.user_guid},
  };
}

}  // namespace mxemu::api
