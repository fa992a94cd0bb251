// The production Transport over cpp-httplib: the only file of the client that includes
// httplib.h (Debian's split build; its pkg-config flags turn on OpenSSL, so https works).
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mxclient/transport.h"

namespace mxclient {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "https://int-api.mx.com", "http://127.0.0.1:8089", "http://[::1]:8089/mx/": scheme, host and
// port for httplib, and the path prefix every target is appended to (no trailing slash).
struct BaseUrl {
  std::string scheme_host_port;
  std::string path_prefix;
};

std::optional<BaseUrl> parse_base_url(const std::string& url, std::string& why) {
  const auto sep = url.find("://");
  if (sep == std::string::npos) {
    why = "base_url needs a scheme (http:// or https://)";
    return std::nullopt;
  }
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") {
    why = "base_url scheme must be http or https, not \"" + scheme + "\"";
    return std::nullopt;
  }
  std::string rest = url.substr(sep + 3);
  const auto slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? std::string() : rest.substr(slash);
  if (path.find_first_of("?#") != std::string::npos) {
    why = "base_url must not carry a query or fragment";
    return std::nullopt;
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (authority.find('@') != std::string::npos) {
    why = "base_url must not carry credentials; MxApi sends them";
    return std::nullopt;
  }
  std::string host;
  std::string port;
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      why = "base_url has an unterminated IPv6 address";
      return std::nullopt;
    }
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        why = "base_url has junk after the IPv6 address";
        return std::nullopt;
      }
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (host.empty() || host == "[]") {
    why = "base_url has no host";
    return std::nullopt;
  }
  if (!port.empty()) {
    const bool digits =
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!digits || port.size() > 5 || std::stoi(port) == 0 || std::stoi(port) > 65535) {
      why = "base_url has an invalid port \"" + port + "\"";
      return std::nullopt;
    }
  } else {
    port = scheme == "https" ? "443" : "80";
  }
  return BaseUrl{scheme + "://" + host + ":" + port, path};
}

// Thread safety: send() may run on any number of threads. Each call takes a Client of its own
// (an httplib::Client serialises its calls, dependencies.md §4), from a pool of idle
// keep-alive connections or new; a Client whose call failed is dropped, not pooled.
class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(HttplibTransportOptions options) : options_(std::move(options)) {
    std::string why;
    if (auto base = parse_base_url(options_.base_url, why)) {
      base_ = std::move(*base);
    } else {
      invalid_ = "invalid base_url \"" + options_.base_url + "\": " + why;
    }
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    if (!invalid_.empty()) return make_error(ErrorKind::kInvalidInput, invalid_);
    if (request.target.empty() || request.target.front() != '/') {
      return make_error(ErrorKind::kInvalidInput,
                        "request target must start with '/': \"" + request.target + "\"");
    }
    std::unique_ptr<httplib::Client> client = acquire();
    if (!client->is_valid()) {
      return make_error(ErrorKind::kInvalidInput,
                        "cannot build an HTTP client for " + base_.scheme_host_port);
    }

    httplib::Request req;
    req.method = request.method;
    req.path = base_.path_prefix + request.target;
    for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
    req.body = request.body;

    httplib::Result res = client->send(req);
    if (!res) {
      return make_error(ErrorKind::kTransport, request.method + " " + base_.scheme_host_port +
                                                   req.path + ": " +
                                                   httplib::to_string(res.error()));
    }
    HttpResponse out;
    out.status = res->status;
    for (const auto& [name, value] : res->headers) {
      auto [it, inserted] = out.headers.emplace(lower(name), value);
      if (!inserted) it->second += ", " + value;  // repeated header: one comma-joined value
    }
    out.body = std::move(res->body);
    release(std::move(client));
    return out;
  }

 private:
  static constexpr std::size_t kMaxIdle = 8;

  std::unique_ptr<httplib::Client> acquire() {
    if (options_.keep_alive) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        auto client = std::move(idle_.back());
        idle_.pop_back();
        return client;
      }
    }
    auto client = std::make_unique<httplib::Client>(base_.scheme_host_port);
    // httplib's connect timeout defaults to 300 s: always set all three.
    client->set_connection_timeout(options_.connect_timeout);
    client->set_read_timeout(options_.read_timeout);
    client->set_write_timeout(options_.write_timeout);
    client->set_keep_alive(options_.keep_alive);
    client->set_url_encode(false);  // targets arrive percent-encoded; send them as they are
    client->set_follow_location(false);
    return client;
  }

  void release(std::unique_ptr<httplib::Client> client) {
    if (!options_.keep_alive) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(client));
  }

  const HttplibTransportOptions options_;
  BaseUrl base_;
  std::string invalid_;  // non-empty: base_url was unusable; every send() reports it
  std::mutex mutex_;     // guards idle_
  std::vector<std::unique_ptr<httplib::Client>> idle_;
};

}  // namespace

std::unique_ptr<Transport> make_httplib_transport(const HttplibTransportOptions& options) {
  return std::make_unique<HttplibTransport>(options);
}

}  // namespace mxclient
