// Opt-in policies that are not MX's documented behaviour, under /_emulator/policies: today the
// refresh storm (docs/control-api.md, "Refresh storms").
#include <map>
#include <string>
#include <utility>

#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

constexpr long long kMaxWindowSeconds = 366LL * 86400;
constexpr long long kMaxAggregations = 1000000;

json policy_json(const domain::StormPolicy& p) {
  return {{"max_aggregations", p.max_aggregations}, {"window_seconds", p.window.count()}};
}

json storm_json(const domain::EmulatorOptions& o) {
  json by = json::object();
  for (const auto& [code, p] : o.storm_by_institution) by[code] = policy_json(p);
  return {{"storm", {{"all", policy_json(o.storm)}, {"by_institution", by}}}};
}

// {"max_aggregations": N, "window_seconds": W}; `where` names the field in error messages.
domain::Result<domain::StormPolicy> parse_policy(const json& j, const std::string& where) {
  const auto bad = [&where] {
    return domain::make_error(
        domain::ErrorCode::kBadRequest,
        where + " must be {\"max_aggregations\": N, \"window_seconds\": W} with " +
            "whole numbers N from 0 to 1000000 and W from 0 (off) to 31622400.");
  };
  if (!j.is_object() || j.size() != 2) return bad();
  const auto n = j.find("max_aggregations");
  const auto w = j.find("window_seconds");
  if (n == j.end() || w == j.end() || !n->is_number_integer() || !w->is_number_integer()) {
    return bad();
  }
  const long long max = n->get<long long>();
  const long long window = w->get<long long>();
  if (max < 0 || max > kMaxAggregations || window < 0 || window > kMaxWindowSeconds) return bad();
  return domain::StormPolicy{static_cast<int>(max), domain::Seconds{window}};
}

}  // namespace

Response control_read_storm(RouteContext& ctx) {
  return control_response(200, storm_json(ctx.emulator.options()));
}

// Replaces the whole policy: `all` (every institution) and `by_institution` (by code; replaces
// `all` there, a zero window exempts). Either may be left out: it is then off / empty.
Response control_set_storm(RouteContext& ctx) {
  if (!ctx.body.is_object()) {
    return error_response(400,
                          "Send {\"all\": {\"max_aggregations\": N, \"window_seconds\": W}, "
                          "\"by_institution\": {\"CODE\": {…}}}.");
  }
  for (const auto& [key, _] : ctx.body.items()) {
    if (key != "all" && key != "by_institution") {
      return error_response(400, "Unknown storm field " + key + "; send all and by_institution.");
    }
  }
  domain::StormPolicy all;
  if (const auto it = ctx.body.find("all"); it != ctx.body.end()) {
    auto parsed = parse_policy(*it, "all");
    if (!parsed) return error_response(parsed.error());
    all = *parsed;
  }
  std::map<std::string, domain::StormPolicy> by_institution;
  if (const auto it = ctx.body.find("by_institution"); it != ctx.body.end()) {
    if (!it->is_object()) {
      return error_response(400, "by_institution must be an object keyed by institution code.");
    }
    for (const auto& [code, value] : it->items()) {
      const domain::Institution* institution = ctx.emulator.find_institution(code);
      if (institution == nullptr || institution->code != code) {
        return error_response(400, "by_institution names no institution: " + code + ".");
      }
      auto parsed = parse_policy(value, "by_institution." + code);
      if (!parsed) return error_response(parsed.error());
      by_institution.emplace(code, *parsed);
    }
  }
  ctx.emulator.set_storm_policy(all, std::move(by_institution));
  return control_response(200, storm_json(ctx.emulator.options()));
}

}  // namespace mxemu::api
