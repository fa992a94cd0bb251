#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// Where a scenario is replayed: a fresh in-process world, or a tenant of a running mxemu.
// Every step is an HTTP-shaped call (MX API or control API), so both targets see the same
// traffic and a failure's curl command reproduces it against --target.
namespace mxemu::replay {

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;
};

// The target could not be reached (connection refused, no answer): exit code 3.
struct Unreachable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One scenario's session with a target. Opened for one scenario and closed after it.
class Session {
 public:
  virtual ~Session() = default;
  // Sends one request with the session's credentials, MX's Accept header and, with a body,
  // Content-Type: application/json. Throws Unreachable.
  virtual Reply send(const std::string& method, const std::string& target,
                     const std::string& body) = 0;
  // A shell command that sends the same request to a running mxemu at `base_url`.
  virtual std::string curl(const std::string& method, const std::string& target,
                           const std::string& body) const = 0;

  // One request exactly as a client built it: its own headers (Authorization included), no
  // defaults added. The orchestration client's transport goes through this (client_steps.h).
  // Throws Unreachable.
  virtual Reply exchange(const std::string& method, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         const std::string& body) = 0;
  // The tenant's client_id and api_key, for a client that authenticates itself.
  virtual std::pair<std::string, std::string> credentials() const = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  // A session whose clock stands at `start` (ISO 8601). Throws Unreachable, or
  // std::runtime_error when the target cannot start there.
  virtual std::unique_ptr<Session> open(const std::string& start) = 0;
};

// A fresh set of tenants per session on a manual clock at `start`, built by api::make_world
// through api::Tenants, reached through api::InProcessTransport. No sockets, no sleeps.
std::unique_ptr<Target> make_in_process_target();
// A running mxemu at `base_url` ("http://127.0.0.1:8089"): each session creates its own tenant
// (POST /_emulator/tenants), moves its clock to `start`, and deletes the tenant when it ends.
std::unique_ptr<Target> make_http_target(const std::string& base_url);

// RFC 4648 base64, for Basic credentials.
std::string base64(const std::string& in);

// The curl command shared by both targets.
std::string curl_command(const std::string& base_url, const std::string& user,
                         const std::string& method, const std::string& target,
                         const std::string& body);

}  // namespace mxemu::replay
