// CategoryResponse, MerchantResponse, TagResponse, TaggingResponse, TransactionRuleResponse and
// RewardElements.
#include "api/codec.h"

namespace mxemu::api {

using codec_detail::or_null;
using codec_detail::text_or_null;

json category_json(const domain::Category& category) {
  return json{
      {"created_at", text_or_null(category.created_at)},
      {"guid", category.guid},
      {"is_default", true},
      {"is_income", category.is_income()},
      {"metadata", nullptr},  // only a user's own categories carry metadata
      {"name", category.name},
      {"parent_guid", text_or_null(category.parent_guid)},
      {"updated_at", text_or_null(category.updated_at)},
  };
}

json category_json(const domain::CustomCategory& category, const domain::Category& parent) {
  return json{
      {"created_at", domain::format_iso8601(category.created_at)},
      {"guid", category.guid},
      {"is_default", false},
      {"is_income", parent.is_income()},
      {"metadata", or_null(category.metadata)},
      {"name", category.name},
      {"parent_guid", category.parent_guid},
      {"updated_at", domain::format_iso8601(category.updated_at)},
  };
}

json merchant_location_json(const domain::MerchantLocation& l) {
  return json{
      {"city", l.city},
      {"country", l.country},
      {"created_at", text_or_null(l.created_at)},
      {"guid", l.guid},
      {"latitude", l.latitude},
      {"longitude", l.longitude},
      {"merchant_guid", l.merchant_guid},
      {"phone_number", l.phone_number},
      {"postal_code", l.postal_code},
      {"state", l.state},
      {"street_address", l.street_address},
      {"updated_at", text_or_null(l.updated_at)},
  };
}

json merchant_json(const domain::Merchant& merchant) {
  return json{
      {"created_at", text_or_null(merchant.created_at)},
      {"guid", merchant.guid},
      {"logo_url", text_or_null(merchant.logo_url)},
      {"name", merchant.name},
      {"updated_at", text_or_null(merchant.updated_at)},
      {"website_url", text_or_null(merchant.website_url)},
  };
}

json tag_json(const domain::Tag& tag) {
  return json{{"guid", tag.guid}, {"name", tag.name}, {"user_guid", tag.user_guid}};
}

json tagging_json(const domain::Tagging& tagging) {
  return json{
      {"guid", tagging.guid},           {"member_is_managed_by_user", false},
      {"tag_guid", tagging.tag_guid},   {"transaction_guid", tagging.transaction_guid},
      {"user_guid", tagging.user_guid},
  };
}

json transaction_rule_json(const domain::TransactionRule& rule) {
  return json{
      {"category_guid", rule.category_guid},
      {"created_at", domain::format_iso8601(rule.created_at)},
      {"description", or_null(rule.description)},
      {"guid", rule.guid},
      {"match_description", rule.match_description},
      {"updated_at", domain::format_iso8601(rule.updated_at)},
      {"user_guid", rule.user_guid},
  };
}

json credit_card_product_json(const domain::CreditCardProduct& p) {
  return json{
      {"annual_fee", p.annual_fee},
      {"duration_of_introductory_rate_on_balance_transfer",
       or_null(p.duration_of_introductory_rate_on_balance_transfer)},
      {"duration_of_introductory_rate_on_purchases",
       or_null(p.duration_of_introductory_rate_on_purchases)},
      {"guid", p.guid},
      {"has_cashback_rewards", p.has_cashback_rewards},
      {"has_other_rewards", p.has_other_rewards},
      {"has_travel_rewards", p.has_travel_rewards},
      {"has_zero_introductory_annual_fee", p.has_zero_introductory_annual_fee},
      {"has_zero_percent_introductory_rate", p.has_zero_percent_introductory_rate},
      {"has_zero_percent_introductory_rate_on_balance_transfer",
       p.has_zero_percent_introductory_rate_on_balance_transfer},
      {"is_accepting_applicants", p.is_accepting_applicants},
      {"is_active_credit_card_product", p.is_active_credit_card_product},
      {"is_small_business_card", p.is_small_business_card},
      {"name", p.name},
  };
}

json reward_json(const domain::Reward& reward, ApiVersion /*version: same shape in both*/) {
  return json{
      {"balance", reward.balance},
      {"balance_type", reward.balance_type},
      {"created_at", domain::format_iso8601(reward.created_at)},
      {"description", text_or_null(reward.description)},
      {"expires_on", text_or_null(reward.expires_on)},
      {"guid", reward.guid},
      {"unit_type", reward.unit_type},
      {"updated_at", domain::format_iso8601(reward.updated_at)},
  };
}

}  // namespace mxemu::api
