#pragma once

#include <optional>
#include <string>

// Internal to mxemu_http: where one request's body ends, decided before any of it is read.
namespace httplib {
struct Request;
}  // namespace httplib

namespace mxemu::http {

// Why the framing of `req` (its head only) is refused, or nullopt when it is unambiguous.
// Refused, because a front proxy could read the body's end differently and so smuggle a request
// inside another (RFC 9112 §6.3, §11.2):
//  - Content-Length together with Transfer-Encoding;
//  - more than one Content-Length, or one that is not 1-19 decimal digits;
//  - more than one Transfer-Encoding, or one other than exactly "chunked";
//  - a body announced on GET, HEAD or OPTIONS, whose body httplib would never read (its bytes
//    would be parsed as the next request);
//  - a NUL byte in a header name or value (RFC 9110 §5.5), which C-string code downstream would
//    cut short.
// The caller answers 400 and closes the connection.
std::optional<std::string> framing_problem(const httplib::Request& req);

}  // namespace mxemu::http
