#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"
#include "domain/error.h"

namespace mxemu::api {

// The HTTP status for each domain error code: the only place that decides one.
int http_status(domain::ErrorCode code);

// The text MX's envelope carries for `error`: an API-layer error's own message, or the domain
// reason's wording (api/error_messages.cpp) with its facts.
std::string message_of(const domain::Error& error);

// MX's error envelope {"error":{"message":"…"}} with the status for `error`.
Response error_response(const domain::Error& error);
Response error_response(int status, std::string_view message);
// MX's 404 for a guid that names no record of this user.
Response record_not_found();

}  // namespace mxemu::api
