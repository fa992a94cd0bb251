#pragma once

#include "api/http_types.h"
#include "api/tenants.h"

namespace mxemu::api {

// The emulated MX Platform API as an api::Handler, for every tenant of one process: finds the
// route, finds the tenant (MX routes by their Basic credentials; control routes by theirs, or
// the default tenant when they carry none; pages by the widget token or member guid in their
// URL), negotiates the version, and hands the request to that tenant's World.
//
// Thread safety: handle() may be called from any number of threads; requests of one tenant
// serialise on that tenant's lock only.
class Service final : public Handler {
 public:
  explicit Service(Tenants& tenants) : tenants_(tenants) {}

  Response handle(const Request& request) override;

  Tenants& tenants() { return tenants_; }

 private:
  Tenants& tenants_;
};

}  // namespace mxemu::api
