#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"
#include "domain/error.h"

// How a request target ("/users/USR-1/members?page=2") becomes an api::Request's path and query.
// The one conversion both the HTTP adapter and the in-process transport use, so the same bytes
// reach the same route whichever way they came.
namespace mxemu::api {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, for query parts). A '%' not
// followed by two hex digits stays as it is, as cpp-httplib leaves it.
std::string percent_decode(std::string_view text, bool plus_is_space);

// Sets request.path (decoded) and request.query (decoded, repeated keys kept, empty pairs
// skipped) from `target`; a fragment ('#…') is dropped.
//
// Refused with kBadRequest: a target that does not start with '/', and a path segment holding an
// encoded '/' ("%2F") or NUL ("%00"): decoded, those would make one segment look like two, or cut
// an identifier short, and so reach another resource than the one the client named.
domain::Status parse_request_target(std::string_view target, Request& request);

}  // namespace mxemu::api
