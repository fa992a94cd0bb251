// The tenant directory under /_emulator/tenants: create, list and remove tenants, each its own
// world with its own credentials (docs/control-api.md, "Tenants").
#include "api/errors.h"
#include "api/routes.h"
#include "api/tenants.h"

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
  Response r;
  r.status = 204;
  return r;
}

}  // namespace mxemu::api
