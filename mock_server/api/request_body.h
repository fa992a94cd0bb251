#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "api/http_types.h"
#include "domain/error.h"

// What a request's body means to a handler: one JSON document, or nothing. The one place that
// decides whether a body is acceptable, for MX routes and the control API alike.
namespace mxemu::api {

// True for "application/json" and "application/<anything>+json" (case-insensitive, parameters
// such as "; charset=utf-8" ignored).
bool is_json_media_type(std::string_view content_type);

// The request's body as JSON; null when there is none.
//
//  - An empty body is no body, whatever its Content-Type (or none): MX's SDKs send the job
//    routes (aggregate, identify, ...) as body-less posts, some as
//    application/x-www-form-urlencoded.
//  - GET, DELETE, HEAD and OPTIONS carry no document: their body is ignored, as MX ignores it.
//  - POST, PUT and PATCH with a non-empty body need a JSON Content-Type: anything else (text/plain,
//    a form, none at all) is kUnsupportedMedia.
//  - The body must be exactly one JSON document: invalid JSON, or bytes after the document
//    (`{} {}`, a NUL), is kBadRequest.
domain::Result<nlohmann::json> parse_request_body(const Request& request);
// The same for a route that reads a document whatever the method: listTokens takes its filter
// as a GET's body, which is how MX's SDK sends it. The rules above but the second.
domain::Result<nlohmann::json> parse_document(const Request& request);

}  // namespace mxemu::api
