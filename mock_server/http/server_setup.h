#pragma once

#include <functional>
#include <string_view>

#include "api/http_types.h"
#include "http/http_server.h"

// Internal to mxemu_http: everything HttpServer configures on its httplib::Server, kept apart
// from the lifecycle code in http_server.cpp. Declares httplib::Server instead of including it.
namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace mxemu::http {

// Writes one log line; must be thread-safe. Only called for lines `options` lets through.
using LogLine = std::function<void(std::string_view)>;

// Applies to a fresh, unbound `server`: TCP_NODELAY, keep-alive count and timeout, the read
// timeout, a pool of
// options.threads workers, the payload limit, SO_REUSEADDR without SO_REUSEPORT, one catch-all
// route per method into `handler`, the exception and error envelopes, and (only when
// options.log_sink is set and options.log_level <= kInfo) the access log. The listen backlog is
// not set here: it needs the bound socket (see http_server.cpp).
// `handler` and whatever `log` refers to must outlive `server`.
void configure_server(httplib::Server& server, api::Handler& handler, const ServerOptions& options,
                      const LogLine& log);

// True while the calling thread runs api::Handler::handle() for a configured server.
bool in_request_handler();

// For the request the calling worker is answering: its response says "Connection: close" and
// take_close_after_response() returns true once, so the connection loop closes after it. For
// requests after which the stream's position cannot be trusted (refused framing, a malformed
// head, a body that was not read).
// REQUIRES: `req` is the Request that httplib's process_request() owns (it is a non-const
// local there, so its header is edited through const_cast).
void close_after_response(const httplib::Request& req);
// Whether close_after_response() was called since the last call; resets the flag.
bool take_close_after_response();

}  // namespace mxemu::http
