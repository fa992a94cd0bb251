#pragma once

#include <string>

#include "api/http_types.h"
#include "api/route_context.h"
#include "domain/emulator.h"

namespace mxemu::api {

// The emulated MX Platform API as an api::Handler: authentication, version negotiation,
// routing, injected faults and rate limits, then the route handler, all under the emulator's
// lock after catching up with the clock.
//
// Thread safety: handle() may be called from any number of threads; it serialises on the
// emulator's mutex (the domain is single-threaded by design).
class Service final : public Handler {
 public:
  Service(domain::Emulator& emulator, ServiceConfig config);

  Response handle(const Request& request) override;

  // Set once the server knows its port; widget and OAuth URLs start with it.
  void set_base_url(std::string base_url);

  // The webhook outbox the control routes configure and the dispatcher drains.
  // REQUIRES: the caller holds the emulator's mutex while using it.
  WebhookOutbox& webhooks() { return state_.webhooks; }

 private:
  bool authorized(const Request& request) const;
  std::optional<Response> injected_fault(const Request& request);
  std::optional<Response> rate_limited();

  domain::Emulator& emulator_;
  ServiceState state_;
  std::string expected_authorization_;  // "Basic base64(client_id:api_key)"
};

// Base64 (RFC 4648, with padding), for Basic auth.
std::string base64_encode(std::string_view bytes);

}  // namespace mxemu::api
