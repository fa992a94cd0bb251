#include "api/in_process_transport.h"

#include <utility>

#include "api/errors.h"
#include "api/request_target.h"

namespace mxemu::api {

Response InProcessTransport::send(Method method, std::string_view target, Headers headers,
                                  std::string body) const {
  Request request;
  request.method = method;
  if (auto parsed = parse_request_target(target, request); !parsed) {
    return error_response(parsed.error());
  }
  request.headers = std::move(headers);
  request.body = std::move(body);
  return handler_.handle(request);
}

}  // namespace mxemu::api
