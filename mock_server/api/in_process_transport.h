#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"

namespace mxemu::api {

// A client of the emulator inside the same process: what an HTTP client sends goes in (method,
// request target, headers, body), the response comes out, through the same target conversion,
// routing, tenants, auth, versioning, faults and rate limits as a request that came over a
// socket. The scenario runner and the client's tests use it; nothing here sleeps or opens sockets.
//
// Thread safety: as the handler's (api::Service may be called from any thread).
class InProcessTransport {
 public:
  // `handler` must outlive this object.
  explicit InProcessTransport(Handler& handler) : handler_(handler) {}

  // A target that cannot be converted (see parse_request_target) gets the 400 the HTTP adapter
  // gives it.
  Response send(Method method, std::string_view target, Headers headers, std::string body) const;

 private:
  Handler& handler_;
};

}  // namespace mxemu::api
