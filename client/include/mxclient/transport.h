#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mxclient/result.h"

namespace mxclient {

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT", "DELETE"
  std::string target;  // path plus query string, e.g. "/users?page=2"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// One HTTP exchange. Implementations: HttplibTransport (real sockets), and in tests a
// GoogleMock or an adapter that calls the emulator in process.
// Errors: ErrorKind::kTransport when no HTTP answer arrived; any HTTP status is a response.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct HttplibTransportOptions {
  std::string base_url;  // "https://int-api.mx.com" or "http://127.0.0.1:8089"
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
  // How long sending the request may stall.
  std::chrono::milliseconds write_timeout{30000};
  // Reuse idle connections (one per concurrent caller, kept in a small pool) instead of a new
  // TCP/TLS handshake per request. Off: every request opens and closes its own connection.
  bool keep_alive = true;
};

// The production transport over cpp-httplib (the only file of the client that includes it).
// Thread safety: send() may be called from several threads; each call uses its own connection.
// base_url: http or https, host (IPv6 in brackets), optional port and path prefix; an unusable
// one makes every send() fail with ErrorKind::kInvalidInput. Transport errors carry
// httplib::to_string(error). Process setup: httplib sends without MSG_NOSIGNAL, so a process
// that only uses this client should ignore SIGPIPE (signal(SIGPIPE, SIG_IGN) in main).
std::unique_ptr<Transport> make_httplib_transport(const HttplibTransportOptions& options);

}  // namespace mxclient
