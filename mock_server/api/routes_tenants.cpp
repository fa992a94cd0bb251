// The tenant directory under /_emulator/tenants: create, list and remove tenants, each its own
// world with its own credentials (docs/control-api.md, "Tenants").
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "api/errors.h"
#include "api/routes.h"
#include "api/tenants.h"
#include "api/world.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

json tenant_json(World& world, bool with_key) {
  json j = {{"client_id", world.client_id()}};
  if (with_key) j["api_key"] = world.api_key();
  return j;
}

}  // namespace

Response control_create_tenant(RouteContext& ctx) {
  if (ctx.tenants == nullptr) return error_response(404, "This server has no tenant directory.");
  if (!ctx.body.is_null() && !ctx.body.is_object()) {
    return error_response(400, "Send {} or {\"client_id\": …, \"api_key\": …}.");
  }
  const json empty = json::object();
  const json& body = ctx.body.is_object() ? ctx.body : empty;
  auto client_id = optional_string(body, "client_id");
  if (!client_id) return error_response(client_id.error());
  auto api_key = optional_string(body, "api_key");
  if (!api_key) return error_response(api_key.error());
  if (client_id->has_value() != api_key->has_value()) {
    return error_response(400, "Send both client_id and api_key, or neither to have both made.");
  }
  auto credentials = client_id->has_value() ? std::make_pair(**client_id, **api_key)
                                            : ctx.tenants->generate_credentials();
  // Credentials that name no tenant yet may only name the one being created.
  const std::string authorization = ctx.request.header("Authorization");
  if (!authorization.empty() && !ctx.tenants->find_by_authorization(authorization) &&
      (!client_id->has_value() ||
       basic_authorization(credentials.first, credentials.second) != authorization)) {
    return error_response(401,
                          "Invalid MX-API-Key or MX-Client-ID provided. To create a tenant with "
                          "its own credentials, send the same client_id and api_key in the body.");
  }
  auto world =
      ctx.tenants->create(ctx.tenants->config_like_default(credentials.first, credentials.second));
  if (!world) return error_response(world.error());
  return control_response(201, {{"tenant", tenant_json(**world, true)}});
}

Response control_list_tenants(RouteContext& ctx) {
  if (ctx.tenants == nullptr) return error_response(404, "This server has no tenant directory.");
  json list = json::array();
  for (const auto& w : ctx.tenants->list()) list.push_back(tenant_json(*w, false));
  return control_response(200, {{"tenants", list}});
}

Response control_delete_tenant(RouteContext& ctx) {
  if (ctx.tenants == nullptr) return error_response(404, "This server has no tenant directory.");
  if (auto removed = ctx.tenants->remove(ctx.params[0]); !removed) {
    return error_response(removed.error());
  }
  return no_content();
}

namespace {

json limits_json(const RateLimits& l) {
  return {{"per_minute", l.per_minute},
          {"per_user_per_minute", l.per_user_per_minute},
          {"per_member_per_minute", l.per_member_per_minute}};
}

}  // namespace

Response control_read_limits(RouteContext& ctx) {
  return control_response(200, {{"limits", limits_json(ctx.state.config.limits)}});
}

// Replaces the tenant's rate limits; a key left out keeps its value. The windows restart.
Response control_set_limits(RouteContext& ctx) {
  if (!ctx.body.is_object()) {
    return error_response(400,
                          "Send {\"per_minute\": N, \"per_user_per_minute\": N, "
                          "\"per_member_per_minute\": N}; 0 turns a limit off.");
  }
  RateLimits next = ctx.state.config.limits;
  const std::pair<const char*, int*> fields[] = {
      {"per_minute", &next.per_minute},
      {"per_user_per_minute", &next.per_user_per_minute},
      {"per_member_per_minute", &next.per_member_per_minute}};
  for (const auto& item : ctx.body.items()) {
    // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
    const std::string& key = item.key();
    const bool known = std::any_of(std::begin(fields), std::end(fields),
                                   [&](const auto& f) { return key == f.first; });
    if (!known) return error_response(400, "Unknown limit " + key + ".");
  }
  for (const auto& [key, target] : fields) {
    const auto it = ctx.body.find(key);
    if (it == ctx.body.end()) continue;
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 1000000) {
      return error_response(400, std::string(key) + " must be a whole number from 0 to 1000000.");
    }
    *target = it->get<int>();
  }
  ctx.state.config.limits = next;
  ctx.state.rate_limiter.clear();
  return control_response(200, {{"limits", limits_json(next)}});
}

}  // namespace mxemu::api
