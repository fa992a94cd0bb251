// InvestmentHoldingResponse, StatementResponse, WidgetResponse, ConnectWidgetResponse,
// PaginationResponse and the error envelope.
#include <cmath>
#include <string>

#include "api/codec.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using codec_detail::or_null;
using codec_detail::text_or_null;

double round2(double x) { return std::round(x * 100.0) / 100.0; }

}  // namespace

json holding_json(const domain::Holding& h) {
  const double gain = round2(h.market_value - h.cost_basis);
  return json{
      {"account_guid", h.account_guid},
      {"cost_basis", h.cost_basis},
      {"coupon_yield", nullptr},
      {"created_at", domain::format_iso8601(h.created_at)},
      {"currency_code", h.currency_code},
      {"current_price", h.shares != 0 ? json(round2(h.market_value / h.shares)) : json(nullptr)},
      {"current_price_as_of", nullptr},
      {"daily_change", nullptr},
      {"description", text_or_null(h.description)},
      {"expiration", nullptr},
      {"face_value", nullptr},
      {"frequency", nullptr},
      {"guid", h.guid},
      {"holding_type", text_or_null(h.holding_type)},
      {"issue_date", nullptr},
      {"market_value", h.market_value},
      {"maturity_date", nullptr},
      {"percentage_change", nullptr},
      {"purchase_price", h.purchase_price},
      {"put_or_call", nullptr},
      // The spec types quantity as a decimal string ("5000.0"); json's shortest round-trip
      // rendering of the double gives exactly that shape.
      {"quantity", json(h.shares).dump()},
      {"rate", nullptr},
      {"strike_price", nullptr},
      {"symbol", text_or_null(h.symbol)},
      {"term", nullptr},
      {"term_unit", nullptr},
      {"today_ugl_amount", nullptr},
      {"today_ugl_percentage", nullptr},
      {"total_ugl_amount", gain},
      {"total_ugl_percentage",
       h.cost_basis != 0 ? json(round2(gain / h.cost_basis * 100.0)) : json(nullptr)},
      {"unvested_quantity", nullptr},
      {"unvested_value", nullptr},
      {"user_guid", h.user_guid},
      {"vested_quantity", nullptr},
      {"vested_value", nullptr},
      {"vesting_end_date", nullptr},
      {"vesting_start_date", nullptr},
  };
}

std::string statement_uri(const domain::Statement& s) {
  return "/users/" + s.user_guid + "/members/" + s.member_guid + "/statements/" + s.guid + ".pdf";
}

json statement_json(const domain::Statement& s) {
  return json{
      {"account_guid", s.account_guid},
      {"content_hash", text_or_null(s.content_hash)},
      {"created_at", domain::format_iso8601(s.created_at)},
      {"guid", s.guid},
      {"member_guid", s.member_guid},
      {"updated_at", domain::format_iso8601(s.updated_at)},
      {"uri", statement_uri(s)},
      {"user_guid", s.user_guid},
  };
}

json widget_url_json(std::string_view widget_type, std::string_view url,
                     const std::optional<std::string>& user_id) {
  return json{{"type", widget_type}, {"url", url}, {"user_id", or_null(user_id)}};
}

json connect_widget_json(const domain::User& user, std::string_view url) {
  return json{{"connect_widget_url", url}, {"guid", user.guid}};
}

json pagination_json(std::size_t total_entries, int current_page, int per_page, int total_pages) {
  return json{
      {"current_page", current_page},
      {"per_page", per_page},
      {"total_entries", total_entries},
      {"total_pages", total_pages},
  };
}

json error_envelope(std::string_view message) { return json{{"error", {{"message", message}}}}; }

nlohmann::json string_or_null(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

}  // namespace mxemu::api
