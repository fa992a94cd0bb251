#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http_types.h"

// The thin HTTP adapter: the one place that knows cpp-httplib (only the .cpp files include
// httplib.h). It turns every request into an api::Request, hands it to an api::Handler and writes
// the api::Response back. No routing table and no business logic live here (docs/adr/0003).
namespace mxemu::http {

// Severity of a log line. A line is written when its severity is >= ServerOptions::log_level:
// access lines are kInfo, failures (an exception escaping the handler, a dead listener) kError.
enum class LogLevel { kDebug, kInfo, kWarning, kError, kOff };

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: the kernel picks a free port; read it back from bind() or port()
  // Worker threads, at most: each starts when a connection first needs it (WorkerPool).
  // cpp-httplib pins one worker per connection for the connection's whole keep-alive life, so
  // this is the number of clients that can be served at the same time; client number
  // threads+1 gets no byte until another connection closes.
  int threads = 256;
  int keep_alive_max_count = 10000;  // requests per connection before the server closes it
  // How long an idle keep-alive connection holds its worker. It also bounds how long stop()
  // waits for a client that keeps its connection open.
  std::chrono::seconds keep_alive_timeout{5};
  // How long one read of a request (head or body) may wait for the client's next bytes; a client
  // that goes silent mid-request is dropped after it, freeing its worker.
  std::chrono::seconds read_timeout{5};
  int listen_backlog = 4096;  // accept queue; the kernel caps it at net.core.somaxconn
  std::size_t max_body_bytes = std::size_t{1} << 20;  // larger bodies get 413
  // PUT /_emulator/snapshot alone may send up to this much: a tenant's snapshot holds every
  // transaction (~1 KB each in JSON). mxemu --max-snapshot-body sets it.
  std::size_t max_snapshot_body_bytes = std::size_t{256} << 20;
  LogLevel log_level = LogLevel::kInfo;
  // Where access and error lines go (one line per call, no trailing newline). Calls are
  // serialised by the server. Empty: no logging at all, and no logging cost per request.
  std::function<void(std::string_view)> log_sink;
  // Run on a worker before it serves a connection and after the connection has closed, outside
  // any request. main turns the worker's allocator cache on and off with them: an idle worker
  // would keep its cache, and 256 of them held 12-17 MB after a 256-connection load
  // (docs/benchmarks.md). Must not throw.
  std::function<void()> before_connection;
  std::function<void()> after_connection;
};

// Serves `handler` over HTTP/1.1 on options.host:options.port.
//
// Lifecycle: construct -> [bind()] -> start() or run_blocking() -> stop() (or the destructor).
// A stopped server cannot be started again; build a new one.
//
// Connections: HTTP/1.1 keep-alive; requests pipelined on one connection are all answered, in
// order. A request whose framing could smuggle another (Content-Length with Transfer-Encoding,
// duplicate or malformed Content-Length, a Transfer-Encoding other than chunked, a body on GET,
// HEAD or OPTIONS) gets 400 and the connection is closed (http/request_framing.h). The handler
// sees the path and query of the raw request target (api::parse_request_target): an encoded '/'
// or NUL inside a path segment is answered 400 without reaching it.
//
// Responses: the handler's status, body, content type and extra headers are sent as they are
// (204 and 304 with no body and no Content-Type). Errors that never reach the handler (malformed
// request line, oversized body, over-long URI, unsupported method) and an exception escaping the
// handler are answered with MX's error envelope as api::error_response writes it; an
// exception's what() goes to the error log only, never to the client.
class HttpServer {
 public:
  // `handler` must outlive this object and be safe to call from many threads at once.
  HttpServer(api::Handler& handler, ServerOptions options);
  // Stops the server and joins every thread it started (see stop()).
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the listening socket (SO_REUSEADDR, no SO_REUSEPORT: a second server on the same fixed
  // port fails here) with options.listen_backlog. Connections made after bind() wait in the
  // accept queue until start(). Returns the bound port, or -1 and sets error(): invalid options,
  // address in use, already stopped. Calling it again after a success returns the same port.
  int bind();

  // Binds if needed, then serves on an owned thread. Returns true once the server is running;
  // false and sets error() if binding failed, it was already started or stopped, or the listener
  // did not come up within ~2 s.
  bool start();

  // Binds if needed, then serves on the calling thread until stop() is called from another
  // thread. Returns false and sets error() if it could not serve or the listener failed.
  bool run_blocking();

  // Closes the listening socket at once (new connections are refused from then on), then waits
  // for the owned thread: in-flight requests finish and idle keep-alive connections are closed
  // after at most options.keep_alive_timeout. Safe from any thread, safe to call repeatedly and
  // concurrently; every call returns once the server is down. Two exceptions: with run_blocking()
  // it returns at once and run_blocking() returns when the server is down; called from inside a
  // request handler (where joining would deadlock) it only closes the listener and the
  // destructor finishes the job. Not async-signal-safe: call it from a normal thread.
  void stop();

  // The bound port, or -1 before a successful bind().
  int port() const;
  // True while the server accepts connections.
  bool is_running() const;
  // Why the last failing bind(), start() or run_blocking() failed; empty if none did.
  std::string error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mxemu::http
