// The emulator's control API under /_emulator: move time, force statuses, script outcomes,
// inject faults, and read what happened. Not part of MX; kept apart like WireMock's /__admin.
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "api/webhook_payloads.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

Response member_result(RouteContext& ctx, const domain::Result<const domain::Member*>& m) {
  if (!m) return error_response(m.error());
  return member_response(ctx, 200, **m);
}

std::optional<domain::MemberEvent> control_event(std::string_view name) {
  using domain::MemberEvent;
  // Only MX-side events; the rest happen through the MX API itself.
  for (MemberEvent e : {MemberEvent::kAggregationPaused, MemberEvent::kAggregationUnpaused,
                        MemberEvent::kDataSourceMigrated, MemberEvent::kMemberClosed,
                        MemberEvent::kInstitutionDiscontinued}) {
    if (to_string(e) == name) return e;
  }
  return std::nullopt;
}

}  // namespace

Response control_response(int status, const json& value) {
  return json_response(status, "application/json; charset=utf-8", value);
}

Response control_state(RouteContext& ctx) {
  const auto& store = ctx.emulator.store();
  return control_response(200, {{"tenant", ctx.state.config.client_id},
                                {"clock", clock_json(ctx)},
                                {"users", store.user_guids().size()},
                                {"members", store.all_member_guids().size()},
                                {"transactions", store.transaction_count()},
                                {"last_event_sequence", ctx.emulator.last_event_sequence()}});
}

Response control_routes(RouteContext& /*ctx*/) {
  json routes = json::array();
  for (const Route& r : route_table()) {
    routes.push_back({{"method", to_string(r.method)},
                      {"path", r.pattern.text()},
                      {"operation_id", r.operation_id},
                      {"scope", scope_name(r.scope)}});
  }
  return control_response(200, {{"routes", routes}});
}

Response control_force_status(RouteContext& ctx) {
  auto status = ctx.body.is_object() ? optional_string(ctx.body, "connection_status")
                                     : domain::Result<std::optional<std::string>>(std::nullopt);
  if (!status) return error_response(status.error());
  auto parsed = *status ? domain::parse_connection_status(**status) : std::nullopt;
  if (!parsed)
    return error_response(400, R"(Send {"connection_status": "<one of MX's 22 statuses>"}.)");
  return member_result(ctx, ctx.emulator.force_status(ctx.params[0], *parsed));
}

Response control_queue_outcomes(RouteContext& ctx) {
  if (!ctx.body.is_object() || !ctx.body.contains("outcomes") || !ctx.body["outcomes"].is_array()) {
    return error_response(400,
                          "Send {\"outcomes\": [\"connect\"|\"challenge\"|\"deny\"|\"lock\"|"
                          "\"impede\"|\"impair\"|\"delay\"|\"fail\", ...]}.");
  }
  std::vector<domain::AuthOutcome> outcomes;
  for (const auto& o : ctx.body["outcomes"]) {
    auto parsed = o.is_string() ? domain::parse_auth_outcome(o.get<std::string>()) : std::nullopt;
    if (!parsed) return error_response(400, "Unknown outcome " + o.dump() + ".");
    outcomes.push_back(*parsed);
  }
  return member_result(ctx, ctx.emulator.queue_outcomes(ctx.params[0], outcomes));
}

Response control_member_event(RouteContext& ctx) {
  auto name = ctx.body.is_object() ? optional_string(ctx.body, "event")
                                   : domain::Result<std::optional<std::string>>(std::nullopt);
  if (!name) return error_response(name.error());
  auto event = *name ? control_event(**name) : std::nullopt;
  if (!event) {
    return error_response(
        400,
        "Send {\"event\": \"aggregation_paused\"|\"aggregation_unpaused\"|"
        "\"data_source_migrated\"|\"member_closed\"|\"institution_discontinued\"}.");
  }
  return member_result(ctx, ctx.emulator.apply_control_event(ctx.params[0], *event));
}

Response control_oauth(RouteContext& ctx) {
  auto authorized = ctx.body.is_object() ? optional_bool(ctx.body, "authorized")
                                         : domain::Result<std::optional<bool>>(std::nullopt);
  if (!authorized) return error_response(authorized.error());
  return member_result(ctx,
                       ctx.emulator.complete_oauth(ctx.params[0], "", authorized->value_or(true)));
}

Response control_institution_fault(RouteContext& ctx) {
  std::optional<domain::AuthOutcome> outcome;
  if (ctx.body.is_object() && ctx.body.contains("outcome") && !ctx.body["outcome"].is_null()) {
    outcome = ctx.body["outcome"].is_string()
                  ? domain::parse_auth_outcome(ctx.body["outcome"].get<std::string>())
                  : std::nullopt;
    if (!outcome) return error_response(400, "Unknown outcome " + ctx.body["outcome"].dump() + ".");
  }
  auto s = ctx.emulator.set_institution_fault(ctx.params[0], outcome);
  if (!s) return error_response(s.error());
  return control_response(200, {{"institution_code", ctx.params[0]},
                                {"outcome", outcome ? json(domain::to_string(*outcome)) : json()}});
}

Response control_discontinue_institution(RouteContext& ctx) {
  auto s = ctx.emulator.discontinue_institution(ctx.params[0]);
  if (!s) return error_response(s.error());
  return control_response(200, {{"institution_code", ctx.params[0]}, {"discontinued", true}});
}

Response control_import_member(RouteContext& ctx) {
  auto code = ctx.body.is_object() ? optional_string(ctx.body, "institution_code")
                                   : domain::Result<std::optional<std::string>>(std::nullopt);
  if (!code) return error_response(code.error());
  if (!*code) return error_response(400, R"(Send {"institution_code": "..."}.)");
  return member_result(ctx, ctx.emulator.import_member(ctx.params[0], **code));
}

Response control_events(RouteContext& ctx) {
  std::uint64_t after = 0;
  if (ctx.request.has_query_param("after")) {
    try {
      after = std::stoull(ctx.request.query_param("after"));
    } catch (const std::exception&) {
      return error_response(400, "after must be an event sequence number.");
    }
  }
  json events = json::array();
  for (const auto& e : ctx.emulator.events()) {
    if (e.sequence <= after) continue;
    json j = {{"sequence", e.sequence},
              {"type", webhook_type(e.kind)},
              {"at", domain::format_iso8601(e.at)},
              {"member_guid", e.member_guid},
              {"user_guid", e.user_guid}};
    if (auto payload = webhook_payload(e)) j["payload"] = *payload;
    events.push_back(std::move(j));
  }
  return control_response(200, {{"events", events}});
}

}  // namespace mxemu::api
