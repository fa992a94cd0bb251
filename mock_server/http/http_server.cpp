#include "http/http_server.h"

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "http/listening_server.h"
#include "http/server_setup.h"

namespace mxemu::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(2);
constexpr auto kStartPollInterval = std::chrono::microseconds(200);

// Empty when the options are usable.
std::string validate(const ServerOptions& o) {
  if (o.host.empty()) return "host is empty";
  if (o.port < 0 || o.port > 65535) return "port must be 0..65535";
  if (o.threads < 1) return "threads must be >= 1";
  if (o.keep_alive_max_count < 1) return "keep_alive_max_count must be >= 1";
  if (o.keep_alive_timeout.count() < 1) return "keep_alive_timeout must be >= 1 s";
  if (o.read_timeout.count() < 1) return "read_timeout must be >= 1 s";
  if (o.listen_backlog < 1) return "listen_backlog must be >= 1";
  return {};
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(api::Handler& handler, ServerOptions options)
      : options_(std::move(options)),
        error_log_(options_.log_sink && options_.log_level <= LogLevel::kError) {
    configure_server(server_, handler, options_, [this](std::string_view line) { log(line); });
  }

  int bind() {
    std::lock_guard lock(mutex_);
    return bind_locked();
  }

  bool start() {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return fail_start("the server was stopped");
      if (listener_.joinable() || blocking_) return fail_start("the server is already started");
      if (bind_locked() < 0) return false;
      listener_ = std::thread([this] {
        if (!server_.listen_after_bind()) on_listener_failure();
        listener_done_ = true;
      });
    }
    // 0.11.4 has no wait_until_ready(), and Server::stop() before is_running() would be lost.
    const auto deadline = Clock::now() + kStartTimeout;
    while (!server_.is_running()) {
      if (listener_done_ || stopped_) return fail_start("the server stopped while starting");
      if (Clock::now() > deadline) {
        fail("the listener did not start within 2 s");
        stop();
        return false;
      }
      std::this_thread::sleep_for(kStartPollInterval);
    }
    return true;
  }

  bool run_blocking() {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return fail_start("the server was stopped");
      if (listener_.joinable() || blocking_) return fail_start("the server is already started");
      if (bind_locked() < 0) return false;
      blocking_ = true;
    }
    const bool ok = server_.listen_after_bind();
    if (!ok) {
      on_listener_failure();
      fail("the listener failed (accept() error)");
    }
    stopped_ = true;
    std::lock_guard lock(mutex_);
    blocking_ = false;
    return ok;
  }

  void stop() {
    stopped_ = true;
    server_.close_listener();          // prompt: no lock, new connections are refused from here on
    if (in_request_handler()) return;  // joining here would deadlock
    std::lock_guard lock(mutex_);
    server_.close_listener();  // again: a bind() that raced with the first close is done now
    if (listener_.joinable()) listener_.join();
  }

  int port() const { return port_; }
  bool is_running() const { return server_.is_running(); }

  std::string error() const {
    std::lock_guard lock(error_mutex_);
    return error_;
  }

 private:
  // REQUIRES: mutex_ held.
  int bind_locked() {
    if (stopped_) return fail("the server was stopped");
    if (port_ >= 0) return port_;
    if (const std::string problem = validate(options_); !problem.empty()) {
      return fail("invalid server options: " + problem);
    }
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    errno = 0;
    int port = -1;
    if (options_.port == 0) {
      port = server_.bind_to_any_port(options_.host);
    } else if (server_.bind_to_port(options_.host, options_.port)) {
      port = options_.port;
    }
    if (port < 0) {
      const int bind_errno = errno;  // from the failed bind(); httplib reports nothing else
      server_.close_listener();
      return fail("cannot listen on " + where +
                  (bind_errno != 0 ? ": " + std::generic_category().message(bind_errno) : ""));
    }
    if (!server_.relisten(options_.listen_backlog)) {
      const int listen_errno = errno;
      server_.close_listener();
      return fail("cannot set the listen backlog on " + where + ": " +
                  std::generic_category().message(listen_errno));
    }
    port_ = port;
    return port;
  }

  void on_listener_failure() {
    server_.forget_listener();
    if (error_log_ && !stopped_) log("the listener failed: accept() returned an error");
  }

  // Records `message` for error(); returns -1 so bind paths can `return fail(...)`.
  int fail(std::string message) {
    std::lock_guard lock(error_mutex_);
    error_ = std::move(message);
    return -1;
  }

  bool fail_start(std::string message) {
    fail(std::move(message));
    return false;
  }

  void log(std::string_view line) noexcept {
    std::lock_guard lock(log_mutex_);
    try {
      options_.log_sink(line);
    } catch (...) {
      // A failing sink must not take a worker down.
    }
  }

  const ServerOptions options_;
  const bool error_log_;
  ListeningServer server_;

  std::mutex mutex_;  // guards listener_ and blocking_; serialises bind, start and join
  std::thread listener_;
  bool blocking_ = false;
  std::atomic<int> port_{-1};
  std::atomic<bool> stopped_{false};
  std::atomic<bool> listener_done_{false};

  mutable std::mutex error_mutex_;
  std::string error_;
  std::mutex log_mutex_;
};

HttpServer::HttpServer(api::Handler& handler, ServerOptions options)
    : impl_(std::make_unique<Impl>(handler, std::move(options))) {}

HttpServer::~HttpServer() { impl_->stop(); }

int HttpServer::bind() { return impl_->bind(); }
bool HttpServer::start() { return impl_->start(); }
bool HttpServer::run_blocking() { return impl_->run_blocking(); }
void HttpServer::stop() { impl_->stop(); }
int HttpServer::port() const { return impl_->port(); }
bool HttpServer::is_running() const { return impl_->is_running(); }
std::string HttpServer::error() const { return impl_->error(); }

}  // namespace mxemu::http
