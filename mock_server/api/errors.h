#pragma once

#include <string_view>

#include "api/http_types.h"
#include "domain/error.h"

namespace mxemu::api {

// The HTTP status for each domain error code: the only place that decides one.
int http_status(domain::ErrorCode code);

// MX's error envelope {"error":{"message":"…"}} with the status for `error`.
Response error_response(const domain::Error& error);
Response error_response(int status, std::string_view message);

}  // namespace mxemu::api
