#include "http/server_setup.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "api/errors.h"
#include "http/connection_fault.h"
#include "http/connection_stream.h"
#include "http/request_conversion.h"
#include "http/request_framing.h"
#include "http/worker_pool.h"

namespace mxemu::http {
namespace {

using Clock = std::chrono::steady_clock;

// Matches every path. Not ".*": '.' does not match a percent-decoded newline (%0A).
const char* const kAnyPath = R"([\s\S]*)";

// True while this thread runs api::Handler::handle().
thread_local bool t_in_request_handler = false;
// Set by close_after_response() for the request this worker is answering.
thread_local bool t_close_after_response = false;
// When this thread's current request was routed; set only while access logging is on.
// Valid per thread because a worker serves one connection, one request at a time.
thread_local std::optional<Clock::time_point> t_request_start;

class InRequestHandler {
 public:
  InRequestHandler() { t_in_request_handler = true; }
  ~InRequestHandler() { t_in_request_handler = false; }
  InRequestHandler(const InRequestHandler&) = delete;
  InRequestHandler& operator=(const InRequestHandler&) = delete;
};

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// The one route: every method and path ends here.
// Reads a GET's Content-Length body (framing_problem() admitted it) from the connection into
// `req`: httplib 0.11.4 reads no body for a GET, and the bytes left unread would be taken for
// the next request. The answer to give instead (400, 413), if any. `req` is a non-const local
// of httplib's process_request(), as in serve().
std::optional<int> read_get_body(const httplib::Request& req, std::size_t limit) {
  ConnectionStream* stream = current_stream();
  if (stream == nullptr) return 400;
  // framing_problem() checked: at most 19 decimal digits, so it fits.
  const unsigned long long length = std::stoull(req.get_header_value("Content-Length"));
  if (length > limit) return 413;
  std::string body(static_cast<std::size_t>(length), '\0');
  std::size_t got = 0;
  while (got < body.size()) {
    const ssize_t n = stream->read(body.data() + got, body.size() - got);
    if (n <= 0) return 400;
    got += static_cast<std::size_t>(n);
  }
  const_cast<httplib::Request&>(req).body = std::move(body);
  return std::nullopt;
}

void serve(api::Handler& handler, const httplib::Request& req, httplib::Response& res) {
  // The API has no partial responses (RFC 9110 lets a server ignore Range), but httplib would
  // slice whatever body this request gets (even a 500 envelope) and still send 200. The
  // request is a non-const local of httplib's process_request(), so writing through const_cast
  // is defined.
  const_cast<httplib::Request&>(req).ranges.clear();
  const auto method = parse_method(req.method);
  if (!method) {
    set_error_response(res, 405, message_for_status(405));
    return;
  }
  auto request = to_api_request(req, *method);
  if (!request) {
    apply_api_response(api::error_response(request.error()), res);
    return;
  }
  const InRequestHandler in_handler;
  const api::Response response = handler.handle(*request);
  wait_real_delay(response.real_delay);
  if (response.drop_connection) {
    if (drop_connection(req.remote_addr, req.remote_port)) {
      res.status = 500;  // never written: the socket is shut; httplib's write fails and closes it
    } else {
      set_error_response(res, 500, "The fault's dropped connection could not be made.");
    }
    return;
  }
  apply_api_response(response, res);
}

}  // namespace

bool in_request_handler() { return t_in_request_handler; }

void close_after_response(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  headers.erase("Connection");
  headers.emplace("Connection", "close");  // write_response_core() then says so in the response
  t_close_after_response = true;
}

bool take_close_after_response() { return std::exchange(t_close_after_response, false); }

void configure_server(httplib::Server& server, api::Handler& handler, const ServerOptions& options,
                      const LogLine& log) {
  const bool access_log = log && options.log_sink && options.log_level <= LogLevel::kInfo;
  const bool error_log = log && options.log_sink && options.log_level <= LogLevel::kError;

  const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
  server.new_task_queue = [threads, before = options.before_connection,
                           after = options.after_connection]() -> httplib::TaskQueue* {
    return new WorkerPool(threads, before, after);
  };
  server.set_tcp_nodelay(true);  // else every keep-alive response waits ~40 ms for an ACK
  server.set_keep_alive_max_count(static_cast<std::size_t>(options.keep_alive_max_count));
  server.set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_timeout.count()));
  // httplib's limit is one for all routes: it admits the snapshot import's, and serve() holds
  // every other route to max_body_bytes.
  server.set_payload_max_length(std::max(options.max_body_bytes, options.max_snapshot_body_bytes));
  server.set_read_timeout(static_cast<time_t>(options.read_timeout.count()));
  // Replaces httplib's default, which adds SO_REUSEPORT and lets two servers share a port.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  const httplib::Server::Handler route = [&handler, limit = options.max_body_bytes](
                                             const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > limit && !(req.method == "PUT" && req.path == "/_emulator/snapshot")) {
      res.status = 413;  // the error handler writes the envelope
      return;
    }
    serve(handler, req, res);
  };
  server.Get(kAnyPath, route);  // also serves HEAD
  server.Post(kAnyPath, route);
  server.Put(kAnyPath, route);
  server.Patch(kAnyPath, route);
  server.Delete(kAnyPath, route);
  server.Options(kAnyPath, route);

  // Without it 0.11.4 answers 500 with an EXCEPTION_WHAT header carrying e.what().
  server.set_exception_handler([error_log, log](const httplib::Request& req, httplib::Response& res,
                                                const std::exception_ptr& error) {
    try {
      if (error_log) {
        log("unhandled exception in " + escape_for_log(req.method) + " " +
            escape_for_log(req.path) + ": " + escape_for_log(describe(error)));
      }
      set_error_response(res, 500, message_for_status(500));
    } catch (...) {
      res.status = 500;  // an exception from here would terminate the worker
    }
  });

  // Runs for every status >= 400 before it is written. A body means the handler (or the
  // exception handler) wrote it: keep it. Otherwise the error came from httplib itself.
  // The wrapper avoids 0.11.4's ambiguity between the two set_error_handler overloads.
  const std::string too_large =
      "Request body exceeds the limit of " + std::to_string(options.max_body_bytes) + " bytes";
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [too_large](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        try {
          // A malformed head or an unread body: where the next request starts is unknown.
          close_after_response(req);
          // httplib answers 400 to a well-formed request with a method it cannot route.
          if (res.status == 400 && (req.method == "TRACE" || req.method == "CONNECT")) {
            res.status = 405;
          }
          set_error_response(res, res.status,
                             res.status == 413 ? too_large : message_for_status(res.status));
          return httplib::Server::HandlerResponse::Handled;
        } catch (...) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
      }));

  // Runs after httplib has added its headers, just before they are written: httplib sends
  // "Content-Length: 0" even where RFC 9110 forbids it (1xx, 204) or where it misstates the
  // representation's length (304).
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status < 200 || res.status == 204 || res.status == 304) {
      res.headers.erase("Content-Length");
    }
  });

  // Every request's framing is checked here, before any of its body is read (request_framing.h).
  // Requests without a body are served here, before httplib matches routes: its std::regex
  // match over the path costs ~570 bytes of worker stack per path character, and each of the
  // (by default 256) workers keeps its high-water mark. It also answers a POST that sends
  // neither Content-Length nor Transfer-Encoding at once: RFC 9112 says its body is empty,
  // where 0.11.4 would wait for the connection to close. Requests with a body must go through
  // the routes, because httplib reads the body only after this hook.
  server.set_pre_routing_handler([&handler, access_log, too_large, limit = options.max_body_bytes](
                                     const httplib::Request& req, httplib::Response& res) {
    if (access_log) t_request_start = Clock::now();
    if (auto problem = framing_problem(req)) {
      close_after_response(req);
      set_error_response(res, 400, *problem);
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool has_body =
        req.has_header("Transfer-Encoding") ||
        (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
    if (has_body && req.method == "GET") {
      if (auto refused = read_get_body(req, limit)) {
        close_after_response(req);
        set_error_response(res, *refused,
                           *refused == 413 ? too_large : message_for_status(*refused));
        return httplib::Server::HandlerResponse::Handled;
      }
    } else if (has_body) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    serve(handler, req, res);
    return httplib::Server::HandlerResponse::Handled;
  });

  if (!access_log) return;  // logging off: no logger at all
  server.set_logger([log](const httplib::Request& req, const httplib::Response& res) {
    std::optional<std::chrono::microseconds> duration;
    if (t_request_start) {
      duration =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - *t_request_start);
      t_request_start.reset();
    }
    try {
      log(format_access_line(req.method, req.path, res.status, res.body.size(), duration));
    } catch (...) {
      // Runs outside httplib's try block: an escaping exception would terminate the worker.
    }
  });
}

}  // namespace mxemu::http
