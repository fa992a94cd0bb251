#include "api/service.h"

#include <memory>

#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

const Route* find_route(const Request& request, std::vector<std::string>& captures) {
  for (const Route& r : route_table()) {
    if (r.method == request.method && r.pattern.match(request.path, captures)) return &r;
  }
  return nullptr;
}

bool version_has_route(const Route& route, ApiVersion version) {
  return !(route.versions == Versions::kV1Only && version == ApiVersion::kV20250224) &&
         !(route.versions == Versions::kV2Only && version == ApiVersion::kV20111101);
}

constexpr const char* kUnauthorized = "Invalid MX-API-Key or MX-Client-ID provided.";

Response unauthorized() { return error_response(401, kUnauthorized); }

}  // namespace

Response Service::handle(const Request& request) {
  std::vector<std::string> captures;
  const Route* route = find_route(request, captures);
  const bool is_mx = route == nullptr || route->scope == RouteScope::kMx;

  std::shared_ptr<World> world;
  ApiVersion version = ApiVersion::kV20111101;
  if (is_mx || route->scope == RouteScope::kProcessor ||
      route->scope == RouteScope::kProcessorExchange) {
    if (is_mx) {
      world = tenants_.find_by_authorization(request.header("Authorization"));
      if (!world) return unauthorized();
    } else {
      auto served = processor_world(request, *route);
      if (!served) return error_response(served.error());
      world = std::move(*served);
    }
    auto negotiated = negotiate_version(request, world->strict_version());
    if (!negotiated) {
      return world->journal_unrouted(
          request, error_response(406,
                                  "The request didn't specify a valid API version. Send Accept: "
                                  "application/vnd.mx.api.v1+json or Accept-Version: v20250224."));
    }
    version = *negotiated;
    if (route == nullptr || !version_has_route(*route, version)) {
      return world->journal_unrouted(request, error_response(404, "Invalid route"));
    }
  } else if (route->scope == RouteScope::kControl) {
    if (request.has_header("Authorization")) {
      world = tenants_.find_by_authorization(request.header("Authorization"));
      // A router that shards tenants by Authorization (docs/scaling.md) sends a tenant's
      // creation where the tenant will live only if the call carries the new credentials; the
      // handler checks that they are the ones it creates.
      if (!world && route->operation_id == "createTenant") world = tenants_.default_ptr();
      if (!world) return unauthorized();
    } else {
      world = tenants_.default_ptr();
    }
  } else {
    world = captures.empty() ? nullptr : tenants_.find_by_page_key(captures.front());
    // The page's own handler says what an unknown token or member is.
    if (!world) world = tenants_.default_ptr();
  }
  return world->serve(request, *route, captures, version, &tenants_);
}

domain::Result<std::shared_ptr<World>> Service::processor_world(const Request& request,
                                                                const Route& route) const {
  const std::string& authorization = request.header("Authorization");
  if (route.scope == RouteScope::kProcessorExchange) {
    // The processor authenticates as itself; the code names the tenant that issued it. An
    // unknown code is the processor's own tenant's to answer (400), so that it is journalled.
    std::shared_ptr<World> processor = tenants_.find_by_authorization(authorization);
    if (!processor) return domain::make_error(domain::ErrorCode::kUnauthorized, kUnauthorized);
    const std::string code = request.query_param("code");
    std::shared_ptr<World> issuer = code.empty() ? nullptr : tenants_.find_by_processor_key(code);
    return issuer ? issuer : processor;
  }
  constexpr std::string_view kBearer = "Bearer ";
  std::shared_ptr<World> issuer;
  if (authorization.size() > kBearer.size() &&
      authorization.compare(0, kBearer.size(), kBearer) == 0) {
    issuer = tenants_.find_by_processor_key(authorization.substr(kBearer.size()));
  }
  if (!issuer) {
    return domain::refuse(domain::ErrorCode::kUnauthorized, domain::Reason::kAccessTokenInvalid);
  }
  return issuer;
}

}  // namespace mxemu::api
