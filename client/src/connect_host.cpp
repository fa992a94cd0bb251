// ConnectHost: the local page that embeds the Connect widget and the endpoint its script posts
// the widget's messages to. One of the client's few files that include httplib.h.
#include "mxclient/connect_host.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "httplib_listener.h"

namespace mxclient {
namespace {

constexpr std::size_t kMinTokenLength = 16;

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// What is wrong with the options and widget URL, or "" when nothing is.
std::string connect_host_options_problem(const ConnectHostOptions& o,
                                         const std::string& widget_url) {
  if (widget_url.rfind("http://", 0) != 0 && widget_url.rfind("https://", 0) != 0) {
    return "the widget URL must be http(s)";
  }
  if (o.host.empty()) return "host is empty";
  if (o.port < 0 || o.port > 65535) return "port must be 0..65535";
  if (o.token.size() < kMinTokenLength ||
      !std::all_of(o.token.begin(), o.token.end(), token_char)) {
    return "the token needs at least 16 characters of A-Z a-z 0-9 - _";
  }
  if (o.max_body_bytes == 0 || o.max_queued == 0 || o.threads < 1) return "zero limits";
  return {};
}

// The error body via nlohmann (full JSON escaping), for the host page's script.
void answer_connect_host_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", {{"message", message}}}}.dump(), "application/json");
}

}  // namespace

class ConnectHost::Impl {
 public:
  Impl(std::string widget_url, ConnectHostOptions options)
      : widget_url_(std::move(widget_url)), options_(std::move(options)) {}
  ~Impl() { stop(); }

  Result<int> start() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    if (started_) return make_error(ErrorKind::kInvalidInput, "connect host: already started");
    if (const std::string problem = connect_host_options_problem(options_, widget_url_);
        !problem.empty()) {
      return make_error(ErrorKind::kInvalidInput, "connect host: " + problem);
    }
    started_ = true;
    configure();
    const int port = options_.port == 0 ? server_.bind_to_any_port(options_.host)
                     : server_.bind_to_port(options_.host, options_.port) ? options_.port
                                                                          : -1;
    if (port < 0) {
      return make_error(ErrorKind::kTransport, "connect host: cannot listen on " + options_.host +
                                                   ":" + std::to_string(options_.port));
    }
    port_ = port;
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    if (!internal::wait_until_running(server_)) {
      stop_locked();
      return make_error(ErrorKind::kTransport, "connect host: the listener did not start");
    }
    return port;
  }

  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    stop_locked();
  }

  std::string origin() const { return "http://" + options_.host + ":" + std::to_string(port_); }
  std::string page_path() const { return "/connect/" + options_.token; }
  std::string messages_path() const { return page_path() + "/messages"; }

  std::vector<std::string> take() {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    std::vector<std::string> out(std::make_move_iterator(queue_.begin()),
                                 std::make_move_iterator(queue_.end()));
    queue_.clear();
    return out;
  }

  std::size_t rejected() const { return rejected_.load(); }

 private:
  void configure() {
    server_.new_task_queue = [n = options_.threads] {
      return new httplib::ThreadPool(static_cast<std::size_t>(n));
    };
    server_.set_read_timeout(static_cast<time_t>(options_.read_timeout.count()), 0);
    server_.set_write_timeout(static_cast<time_t>(options_.write_timeout.count()), 0);
    server_.set_payload_max_length(options_.max_body_bytes);
    server_.set_keep_alive_timeout(2);
    // httplib's default adds SO_REUSEPORT, which would let a second server share a fixed port.
    server_.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const bool page = req.path == page_path();
      const bool messages = req.path == messages_path();
      if (!page && !messages) {
        if (req.path.rfind("/connect/", 0) == 0) ++rejected_;
        answer_connect_host_error(res, 404, "not found");
      } else if ((page && req.method != "GET") || (messages && req.method != "POST")) {
        res.set_header("Allow", page ? "GET" : "POST");
        answer_connect_host_error(res, 405, "method not allowed");
      } else if (messages && req.has_header("Origin") &&
                 req.get_header_value("Origin") != origin()) {
        // Only the host page itself posts here (fetch sends its own origin).
        ++rejected_;
        answer_connect_host_error(res, 403, "messages come from the host page only");
      } else {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      return httplib::Server::HandlerResponse::Handled;
    });
    server_.Get(".*", [this](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      res.set_content(connect_host_page(widget_url_, messages_path()), "text/html; charset=utf-8");
    });
    server_.Post(".*",
                 [this](const httplib::Request& req, httplib::Response& res) { accept(req, res); });
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          answer_connect_host_error(res, 500, "internal error");
        });
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          if (res.status == 413) ++rejected_;
          answer_connect_host_error(res, res.status,
                                    res.status == 413 ? "body too large" : "bad request");
          return httplib::Server::HandlerResponse::Handled;
        }));
  }

  void accept(const httplib::Request& req, httplib::Response& res) {
    const auto parsed = nlohmann::json::parse(req.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      ++rejected_;
      answer_connect_host_error(res, 400,
                                "the body must be one postMessage's data as a JSON object");
      return;
    }
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (queue_.size() >= options_.max_queued) {
      ++rejected_;
      res.set_header("Retry-After", "1");
      answer_connect_host_error(res, 503, "mxctl has not taken the earlier messages yet");
      return;
    }
    queue_.push_back(req.body);
    res.status = 202;
    res.set_content(nlohmann::json{{"queued", queue_.size()}}.dump(), "application/json");
  }

  // REQUIRES: lifecycle_ held.
  void stop_locked() {
    if (server_.is_running()) server_.stop();
    if (listener_.joinable()) listener_.join();
  }

  const std::string widget_url_;
  const ConnectHostOptions options_;
  httplib::Server server_;
  std::mutex lifecycle_;
  bool started_ = false;
  std::atomic<int> port_{-1};
  std::thread listener_;
  std::mutex queue_mutex_;
  std::deque<std::string> queue_;
  std::atomic<std::size_t> rejected_{0};
};

ConnectHost::ConnectHost(std::string widget_url, ConnectHostOptions options)
    : impl_(std::make_unique<Impl>(std::move(widget_url), std::move(options))) {}
ConnectHost::~ConnectHost() = default;

Result<int> ConnectHost::start() { return impl_->start(); }
void ConnectHost::stop() { impl_->stop(); }
std::string ConnectHost::page_url() const { return impl_->origin() + impl_->page_path(); }
std::string ConnectHost::messages_url() const { return impl_->origin() + impl_->messages_path(); }
std::vector<std::string> ConnectHost::take_messages() { return impl_->take(); }
std::size_t ConnectHost::rejected() const { return impl_->rejected(); }

}  // namespace mxclient
