// WebhookServer: cpp-httplib in front of a WebhookReceiver, with a dispatcher thread that runs
// the consumer's handler off httplib's workers. With httplib_transport.cpp, the only files of
// the client that include httplib.h.
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "httplib_listener.h"
#include "mx_api_internal.h"  // base64_encode
#include "mxclient/webhook_receiver.h"

namespace mxclient {
namespace {

// httplib::Server plus what 0.11.4 offers only to subclasses through its protected listening
// socket: a real backlog (the .so compiles in 5) and a close that works before and after
// listen_after_bind() starts (Server::stop() is a no-op until is_running()).
class ListeningServer final : public httplib::Server {
 public:
  bool relisten(int backlog) {
    const socket_t sock = svr_sock_;
    return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;
  }
  void close_listener() {
    const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) {
      ::shutdown(sock, SHUT_RDWR);
      ::close(sock);
    }
  }
};

std::string error_body(const std::string& message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return R"({"error":{"message":")" + escaped + R"("}})";
}

// The error body via error_body() (control characters dropped), for the webhook's sender.
void answer_webhook_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(error_body(message), "application/json");
}

// What is wrong with the options, or "" when nothing is.
std::string webhook_server_options_problem(const WebhookServerOptions& o) {
  if (o.host.empty()) return "host is empty";
  if (o.port < 0 || o.port > 65535) return "port must be 0..65535";
  if (o.path.empty() || o.path.front() != '/') return "path must start with '/'";
  if (o.password && !o.username) return "a password needs a username";
  if (o.max_body_bytes == 0) return "max_body_bytes must be > 0";
  if (o.threads < 1) return "threads must be >= 1";
  if (o.keep_alive_max_count < 1) return "keep_alive_max_count must be >= 1";
  if (o.keep_alive_timeout.count() < 1) return "keep_alive_timeout must be >= 1 s";
  if (o.listen_backlog < 1) return "listen_backlog must be >= 1";
  if (o.max_pending == 0) return "max_pending must be > 0";
  return {};
}

// Compares without an early exit, so the time taken does not reveal a matching prefix.
bool same_secret(const std::string& a, const std::string& b) {
  if (b.empty()) return false;
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i % b.size()]);
  }
  return diff == 0;
}

}  // namespace

class WebhookServer::Impl {
 public:
  Impl(WebhookReceiver& receiver, WebhookHandler handler, WebhookServerOptions options)
      : receiver_(receiver), handler_(std::move(handler)), options_(std::move(options)) {
    if (options_.username) {
      expected_authorization_ =
          "Basic " + internal::base64_encode(*options_.username + ":" +
                                             options_.password.value_or(std::string()));
    }
  }

  ~Impl() { stop(); }

  Result<int> start() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    if (started_) return make_error(ErrorKind::kInvalidInput, "webhook server: already started");
    if (const std::string problem = webhook_server_options_problem(options_); !problem.empty()) {
      return make_error(ErrorKind::kInvalidInput, "webhook server: " + problem);
    }
    started_ = true;
    configure();
    const int port = options_.port == 0 ? server_.bind_to_any_port(options_.host)
                     : server_.bind_to_port(options_.host, options_.port) ? options_.port
                                                                          : -1;
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    if (port < 0) {
      server_.close_listener();
      return make_error(ErrorKind::kTransport, "webhook server: cannot listen on " + where);
    }
    if (!server_.relisten(options_.listen_backlog)) {
      server_.close_listener();
      return make_error(ErrorKind::kTransport, "webhook server: cannot set the backlog");
    }
    port_ = port;
    dispatcher_ = std::thread([this] { dispatch(); });
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    if (!internal::wait_until_running(server_)) {
      stop_locked();
      return make_error(ErrorKind::kTransport, "webhook server: the listener did not start");
    }
    return port;
  }

  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    stop_locked();
  }

  int port() const { return port_; }

  WebhookServerStats stats() const {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    return stats_;
  }

  bool wait_until_idle(std::chrono::milliseconds bound) {
    std::unique_lock<std::mutex> lock(queue_mutex_);
    return idle_.wait_for(lock, bound, [this] { return queue_.empty() && !dispatching_; });
  }

 private:
  void configure() {
    server_.new_task_queue = [n = options_.threads] {
      return new httplib::ThreadPool(static_cast<std::size_t>(n));
    };
    server_.set_tcp_nodelay(true);  // else each keep-alive answer waits ~40 ms for an ACK
    server_.set_keep_alive_max_count(static_cast<std::size_t>(options_.keep_alive_max_count));
    server_.set_keep_alive_timeout(static_cast<time_t>(options_.keep_alive_timeout.count()));
    server_.set_read_timeout(static_cast<time_t>(options_.read_timeout.count()), 0);
    server_.set_write_timeout(static_cast<time_t>(options_.write_timeout.count()), 0);
    server_.set_payload_max_length(options_.max_body_bytes);
    // httplib's default adds SO_REUSEPORT, which lets a second server share a fixed port.
    server_.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });

    // Before routing, so neither another path nor a caller without credentials gets its body
    // read.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.path != options_.path) {
        answer_webhook_error(res, 404, "not found");
      } else if (req.method != "POST") {
        res.set_header("Allow", "POST");
        answer_webhook_error(res, 405, "only POST is accepted here");
      } else if (!authorized(req)) {
        {
          std::lock_guard<std::mutex> lock(queue_mutex_);
          ++stats_.unauthorized;
        }
        res.set_header("WWW-Authenticate", "Basic realm=\"mx-webhooks\"");
        answer_webhook_error(res, 401, "unauthorized");
      } else {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      return httplib::Server::HandlerResponse::Handled;
    });
    server_.Post(".*",
                 [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
    // Without it 0.11.4 answers 500 with a header carrying e.what().
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          answer_webhook_error(res, 500, "internal error");
        });
    // httplib's own errors (413, a malformed request) get a JSON body too.
    server_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                      httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      answer_webhook_error(res, res.status, res.status == 413 ? "body too large" : "bad request");
      return httplib::Server::HandlerResponse::Handled;
    }));
    // httplib writes "Content-Length: 0" even on 204, where RFC 9110 forbids it.
    server_.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.status == 204) res.headers.erase("Content-Length");
    });
  }

  bool authorized(const httplib::Request& req) const {
    if (expected_authorization_.empty()) return true;
    std::string got = req.get_header_value("Authorization");
    // The scheme name is case-insensitive (RFC 9110); the credentials are not.
    if (got.size() > 6) {
      std::string scheme = got.substr(0, 6);
      std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (scheme == "basic ") got.replace(0, 6, "Basic ");
    }
    return same_secret(got, expected_authorization_);
  }

  void serve(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      ++stats_.requests;
      // Capacity is reserved before the event is claimed: a 503 must not leave the event
      // marked as seen, or MX's redelivery would be dropped as a duplicate.
      if (queue_.size() + reserved_ >= options_.max_pending || stopping_) {
        ++stats_.busy;
        res.set_header("Retry-After", "60");
        answer_webhook_error(res, 503, "busy; deliver again later");
        return;
      }
      ++reserved_;
    }
    std::optional<std::string> callback_payload;
    if (req.has_header("X-CALLBACK-PAYLOAD")) {
      callback_payload = req.get_header_value("X-CALLBACK-PAYLOAD");
    }
    auto accepted = receiver_.accept(req.body, std::move(callback_payload));

    std::lock_guard<std::mutex> lock(queue_mutex_);
    --reserved_;
    if (!accepted) {
      const bool bad = accepted.error().kind == ErrorKind::kInvalidInput;
      ++(bad ? stats_.malformed : stats_.failed);
      answer_webhook_error(res, bad ? 400 : 500,
                           bad ? accepted.error().message : "storage failure");
      return;
    }
    if (accepted->duplicate) {
      ++stats_.duplicates;
    } else {
      ++stats_.accepted;
      queue_.push_back(std::move(*accepted->webhook));
      work_.notify_one();
    }
    res.status = 204;
  }

  // The dispatcher thread: hands queued events to the handler in order, until stopped and
  // drained.
  void dispatch() {
    std::unique_lock<std::mutex> lock(queue_mutex_);
    for (;;) {
      work_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and nothing left
      ReceivedWebhook next = std::move(queue_.front());
      queue_.pop_front();
      dispatching_ = true;
      lock.unlock();
      bool threw = false;
      try {
        if (handler_) handler_(next);
      } catch (...) {
        threw = true;  // the handler's problem; the event is recorded, MX must not resend
      }
      lock.lock();
      dispatching_ = false;
      ++stats_.handled;
      if (threw) ++stats_.handler_errors;
      if (queue_.empty()) idle_.notify_all();
    }
  }

  // REQUIRES: lifecycle_mutex_ held.
  void stop_locked() {
    // New connections are refused from here on; the accept loop ends, and each keep-alive
    // worker ends after its current request (or keep_alive_timeout of idleness).
    server_.close_listener();
    if (listener_.joinable()) listener_.join();
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    if (dispatcher_.joinable()) dispatcher_.join();
    idle_.notify_all();
  }

  WebhookReceiver& receiver_;
  const WebhookHandler handler_;
  const WebhookServerOptions options_;
  std::string expected_authorization_;  // "" when no credentials are required
  ListeningServer server_;

  std::mutex lifecycle_mutex_;  // start/stop
  bool started_ = false;
  std::atomic<int> port_{-1};
  std::thread listener_;
  std::thread dispatcher_;

  mutable std::mutex queue_mutex_;  // guards everything below
  std::condition_variable work_;
  std::condition_variable idle_;
  std::deque<ReceivedWebhook> queue_;
  std::size_t reserved_ = 0;
  bool dispatching_ = false;
  bool stopping_ = false;
  WebhookServerStats stats_;
};

WebhookServer::WebhookServer(WebhookReceiver& receiver, WebhookHandler handler,
                             WebhookServerOptions options)
    : impl_(std::make_unique<Impl>(receiver, std::move(handler), std::move(options))) {}

WebhookServer::~WebhookServer() = default;

Result<int> WebhookServer::start() { return impl_->start(); }
void WebhookServer::stop() { impl_->stop(); }
int WebhookServer::port() const { return impl_->port(); }
WebhookServerStats WebhookServer::stats() const { return impl_->stats(); }
bool WebhookServer::wait_until_idle(std::chrono::milliseconds bound) {
  return impl_->wait_until_idle(bound);
}

}  // namespace mxclient
