// A tenant's time under /_emulator/clock (read, advance, set, freeze, rate, auto), its reset, and
// the readiness probe. Every move forward settles all that fell due before it answers.
#include <cmath>
#include <initializer_list>
#include <utility>

#include "api/errors.h"
#include "api/routes.h"
#include "api/world.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

// The one duration in an advance body: the unit is in the key, never a bare number.
std::optional<domain::Seconds> advance_duration(const json& body) {
  static constexpr std::pair<const char*, long long> kUnits[] = {
      {"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}};
  if (!body.is_object() || body.size() != 1) return std::nullopt;
  for (const auto& [key, factor] : kUnits) {
    const auto it = body.find(key);
    if (it == body.end()) continue;
    if (!it->is_number_integer() || it->get<long long>() < 0 ||
        it->get<long long>() > 100LL * 365 * 86400 / factor) {
      return std::nullopt;
    }
    return domain::Seconds{it->get<long long>() * factor};
  }
  return std::nullopt;
}

Response clock_response(RouteContext& ctx) {
  return control_response(200, {{"clock", clock_json(ctx)}});
}

}  // namespace

json clock_json(RouteContext& ctx) {
  const domain::Emulator& e = ctx.emulator;
  json j = {{"now", domain::format_iso8601(e.now())}, {"offset_seconds", e.offset().count()}};
  if (auto due = e.next_due()) j["next_due"] = domain::format_iso8601(*due);
  if (ctx.world != nullptr) {
    j["rate"] = ctx.world->clock().rate();
    j["frozen"] = ctx.world->clock().rate() == 0.0;
    j["auto"] = ctx.world->auto_time();
  }
  return j;
}

Response control_read_clock(RouteContext& ctx) { return clock_response(ctx); }

Response control_advance_clock(RouteContext& ctx) {
  const auto d = advance_duration(ctx.body);
  if (!d) {
    return error_response(400,
                          "Send one of {\"seconds\": N}, {\"minutes\": N}, {\"hours\": N} or "
                          "{\"days\": N} with a whole number N >= 0 (at most 100 years).");
  }
  // In seconds: the TimePoint of a sum past 2262 would itself overflow.
  const std::int64_t last =
      domain::unix_seconds(domain::start_of_day(domain::kLastRepresentableDay));
  if (d->count() > last - domain::unix_seconds(ctx.emulator.now())) {
    return error_response(400, "Time cannot move past " +
                                   domain::format_day(domain::kLastRepresentableDay) +
                                   "T00:00:00Z, the last time the emulator can hold.");
  }
  ctx.emulator.advance(*d);
  return clock_response(ctx);
}

Response control_set_clock(RouteContext& ctx) {
  auto text = ctx.body.is_object() ? optional_string(ctx.body, "time")
                                   : domain::Result<std::optional<std::string>>(std::nullopt);
  if (!text) return error_response(text.error());
  const auto target = text->has_value() ? domain::parse_iso8601(**text) : std::nullopt;
  if (!target) {
    return error_response(400, "Send {\"time\": \"2024-03-02T09:00:00Z\"} (ISO 8601, UTC).");
  }
  if (*target < ctx.emulator.now()) {
    return error_response(409, "Time only moves forward: " + **text + " is before the present, " +
                                   domain::format_iso8601(ctx.emulator.now()) + ".");
  }
  ctx.emulator.advance(std::chrono::ceil<domain::Seconds>(*target - ctx.emulator.now()));
  return clock_response(ctx);
}

Response control_freeze_clock(RouteContext& ctx) {
  ctx.world->clock().set_rate(0.0);
  return clock_response(ctx);
}

Response control_unfreeze_clock(RouteContext& ctx) {
  ctx.world->clock().set_rate(1.0);
  return clock_response(ctx);
}

Response control_clock_rate(RouteContext& ctx) {
  const auto it = ctx.body.is_object() ? ctx.body.find("rate") : ctx.body.end();
  if (it == ctx.body.end() || !it->is_number() || !std::isfinite(it->get<double>()) ||
      it->get<double>() < 0 || it->get<double>() > 1e6) {
    return error_response(400,
                          "Send {\"rate\": R}: emulated seconds per real second, 0 (frozen) to "
                          "1000000; 1 is real time.");
  }
  ctx.world->clock().set_rate(it->get<double>());
  return clock_response(ctx);
}

Response control_auto_clock(RouteContext& ctx) {
  auto enabled = ctx.body.is_object() ? optional_bool(ctx.body, "enabled")
                                      : domain::Result<std::optional<bool>>(std::nullopt);
  if (!enabled) return error_response(enabled.error());
  if (!enabled->has_value()) return error_response(400, "Send {\"enabled\": true} or false.");
  ctx.world->set_auto_time(**enabled);
  return clock_response(ctx);
}

Response control_reset(RouteContext& ctx) {
  ctx.world->reset();
  return clock_response(ctx);
}

Response control_health(RouteContext& /*ctx*/) { return control_response(200, {{"status", "ok"}}); }

}  // namespace mxemu::api
