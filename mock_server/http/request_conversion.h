#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "domain/error.h"

// Internal to mxemu_http: conversions between cpp-httplib's request/response and the api types,
// and the few bodies the adapter writes itself. The httplib types are only declared here so that
// including this header does not pull in httplib.h.
namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mxemu::http {

// "GET", "POST", ... (exact, upper case) -> api::Method; nullopt for any other method.
std::optional<api::Method> parse_method(std::string_view method);

// Copies method, path and query (from the RAW request target, through api::parse_request_target,
// never from httplib's decoded req.path or its params, which mix in a form-encoded body), every
// header the client sent (not httplib's REMOTE_ADDR/REMOTE_PORT/LOCAL_ADDR/LOCAL_PORT
// pseudo-headers) and the body. A target parse_request_target refuses (an encoded '/' or NUL in
// a path segment, not an absolute path) is that error.
domain::Result<api::Request> to_api_request(const httplib::Request& from, api::Method method);

// Writes status, extra headers, body and content type into `to`. 1xx, 204 and 304 get neither
// a body nor a Content-Type. A body without a content type is sent as httplib's text/plain.
void apply_api_response(const api::Response& from, httplib::Response& to);

// The message the adapter uses for an error it produces itself ("Not found", ...).
std::string message_for_status(int status);

// Replaces everything in `res` with `status` and MX's error envelope for `message`, as the API
// layer writes it (api::error_response: the one place that writes MX's error JSON).
void set_error_response(httplib::Response& res, int status, std::string_view message);

// `text` with control characters and backslashes escaped as \xNN, so that a request cannot
// forge or split log lines.
std::string escape_for_log(std::string_view text);

// One access-log line: `GET /users/USR-1 200 1096B 153us` ("-us" when the duration is unknown).
// Method and path go through escape_for_log().
std::string format_access_line(std::string_view method, std::string_view path, int status,
                               std::size_t body_bytes,
                               std::optional<std::chrono::microseconds> duration);

}  // namespace mxemu::http
