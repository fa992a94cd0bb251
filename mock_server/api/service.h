#pragma once

#include <memory>

#include "api/http_types.h"
#include "api/routes.h"
#include "api/tenants.h"
#include "domain/error.h"

namespace mxemu::api {

// The emulated MX Platform API as an api::Handler, for every tenant of one process: finds the
// route, finds the tenant (MX routes by their Basic credentials; a processor's by the tenant
// that issued its token or code; control routes by their credentials, or the default tenant
// when they carry none; pages by the widget token or member guid in their URL), negotiates the
// version, and hands the request to that tenant's World.
//
// Thread safety: handle() may be called from any number of threads; requests of one tenant
// serialise on that tenant's lock only.
class Service final : public Handler {
 public:
  explicit Service(Tenants& tenants) : tenants_(tenants) {}

  Response handle(const Request& request) override;

  Tenants& tenants() { return tenants_; }

 private:
  // The tenant that serves a processor's request (RouteScope::kProcessor, kProcessorExchange),
  // or the 401 to answer.
  domain::Result<std::shared_ptr<World>> processor_world(const Request& request,
                                                         const Route& route) const;

  Tenants& tenants_;
};

}  // namespace mxemu::api
