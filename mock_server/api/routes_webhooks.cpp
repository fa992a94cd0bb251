// Webhook subscriptions and the delivery log, under /_emulator/webhooks (docs/webhooks.md).
// MX configures webhooks in its dashboard, out of band; it has no API route for them, so these
// are control routes. The POSTs themselves are made by http/webhook_dispatcher.cpp.
#include <stdexcept>
#include <string>
#include <vector>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "api/webhook_outbox.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

constexpr std::string_view kShapeHint =
    "Send {\"subscriptions\": [{\"url\": \"http://127.0.0.1:9000/hooks\", \"types\": "
    "[\"CONNECTION_STATUS\", ...], \"username\": \"...\", \"password\": \"...\"}, ...]}; only "
    "url is required.";

json iso(domain::TimePoint t) { return domain::format_iso8601(t); }

// The password is never echoed back.
json subscriptions_json(const WebhookOutbox& outbox) {
  json list = json::array();
  for (const WebhookSubscription& s : outbox.subscriptions()) {
    list.push_back({{"url", s.url},
                    {"types", s.types},
                    {"username", string_or_null(s.username)},
                    {"has_password", s.password.has_value()}});
  }
  return {{"subscriptions", list}};
}

domain::Result<WebhookSubscription> parse_subscription(const json& item) {
  if (!item.is_object())
    return domain::make_error(domain::ErrorCode::kBadRequest, std::string(kShapeHint));
  for (const auto& [key, value] : item.items()) {
    if (key != "url" && key != "types" && key != "username" && key != "password") {
      return domain::make_error(
          domain::ErrorCode::kBadRequest,
          "Unknown subscription field '" + key + "'. " + std::string(kShapeHint));
    }
  }
  auto url = optional_string(item, "url");
  if (!url) return url.error();
  if (!*url)
    return domain::make_error(domain::ErrorCode::kBadRequest, "Every subscription needs a url.");
  std::optional<std::vector<std::string>> types;
  if (auto t = item.find("types"); t != item.end() && !t->is_null()) {
    if (!t->is_array()) {
      return domain::make_error(domain::ErrorCode::kBadRequest,
                                "types must be an array of strings.");
    }
    types.emplace();
    for (const json& name : *t) {
      if (!name.is_string()) {
        return domain::make_error(domain::ErrorCode::kBadRequest,
                                  "types must be an array of strings.");
      }
      types->push_back(name.get<std::string>());
    }
  }
  auto username = optional_string(item, "username");
  if (!username) return username.error();
  auto password = optional_string(item, "password");
  if (!password) return password.error();
  return make_subscription(std::move(**url), std::move(types), std::move(*username),
                           std::move(*password));
}

json attempt_json(const WebhookAttempt& a) {
  return {{"id", a.id},
          {"delivery_id", a.delivery_id},
          {"event_sequence", a.event_sequence},
          {"type", a.type},
          {"url", a.url},
          {"attempt", a.attempt},
          {"at", iso(a.at)},
          {"status", a.result.http_status ? json(*a.result.http_status) : json()},
          {"error", a.result.error.empty() ? json() : json(a.result.error)},
          {"outcome", to_string(a.outcome)},
          {"next_retry_at", a.next_retry_at ? iso(*a.next_retry_at) : json()}};
}

json pending_json(const WebhookDelivery& d) {
  return {{"delivery_id", d.id},     {"event_sequence", d.event_sequence},
          {"type", d.type},          {"url", d.url},
          {"attempt", d.attempt},    {"due_at", iso(d.due_at)},
          {"in_flight", d.in_flight}};
}

}  // namespace

Response control_set_webhooks(RouteContext& ctx) {
  if (!ctx.body.is_object() || !ctx.body.contains("subscriptions") ||
      !ctx.body["subscriptions"].is_array() || ctx.body.size() != 1) {
    return error_response(400, kShapeHint);
  }
  std::vector<WebhookSubscription> subscriptions;
  for (const json& item : ctx.body["subscriptions"]) {
    auto s = parse_subscription(item);
    if (!s) return error_response(s.error());
    subscriptions.push_back(std::move(*s));
  }
  ctx.state.webhooks.set_subscriptions(std::move(subscriptions),
                                       ctx.emulator.last_event_sequence());
  return control_response(200, subscriptions_json(ctx.state.webhooks));
}

Response control_list_webhooks(RouteContext& ctx) {
  return control_response(200, subscriptions_json(ctx.state.webhooks));
}

Response control_clear_webhooks(RouteContext& ctx) {
  ctx.state.webhooks.set_subscriptions({}, ctx.emulator.last_event_sequence());
  return no_content();
}

Response control_webhook_deliveries(RouteContext& ctx) {
  std::uint64_t after = 0;
  if (ctx.request.has_query_param("after")) {
    const std::string text = ctx.request.query_param("after");
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    try {
      if (!digits) throw std::invalid_argument(text);
      after = std::stoull(text);
    } catch (const std::exception&) {
      return error_response(400, "after must be a delivery attempt id (a whole number).");
    }
  }
  WebhookOutbox& outbox = ctx.state.webhooks;
  outbox.pull(ctx.emulator);  // so events that just happened show up as pending
  json attempts = json::array();
  for (const WebhookAttempt& a : outbox.attempts()) {
    if (a.id > after) attempts.push_back(attempt_json(a));
  }
  json pending = json::array();
  for (const auto& [id, d] : outbox.pending()) pending.push_back(pending_json(d));
  return control_response(
      200, {{"attempts", attempts}, {"pending", pending}, {"now", iso(ctx.emulator.now())}});
}

}  // namespace mxemu::api
