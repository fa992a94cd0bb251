#include "http/webhook_dispatcher.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace mxemu::http {
namespace {

// Stable, documented error names for the delivery log (docs/webhooks.md).
std::string describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection_failed";  // refused, unreachable
    case httplib::Error::ConnectionTimeout:
      return "connection_timeout";
    case httplib::Error::Read:
      return "read_failed";  // read timeout or connection closed
    case httplib::Error::Write:
      return "write_failed";
    case httplib::Error::Canceled:
      return "canceled";
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return "tls_failed";
    default:
      return "transport_error:" + httplib::to_string(error);
  }
}

std::string log_line(const api::WebhookAttempt& a) {
  std::string line = "webhook " + a.type + " event " + std::to_string(a.event_sequence) + " -> " +
                     a.url + " attempt " + std::to_string(a.attempt) + ": ";
  line += a.result.http_status ? std::to_string(*a.result.http_status) : a.result.error;
  line += " ";
  line += api::to_string(a.outcome);
  return line;
}

}  // namespace

class WebhookDispatcher::Impl {
 public:
  Impl(api::Tenants& tenants, WebhookDispatcherOptions options)
      : tenants_(tenants), options_(std::move(options)) {}

  bool start() {
    std::lock_guard lock(lifecycle_mutex_);
    if (stopping_ || thread_.joinable()) return false;
    thread_ = std::thread([this] { run(); });
    return true;
  }

  void stop() {
    {
      std::lock_guard lock(wake_mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    {
      std::lock_guard lock(client_mutex_);
      if (current_client_ != nullptr) current_client_->stop();  // aborts a request in flight
    }
    std::lock_guard lock(lifecycle_mutex_);
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  std::size_t deliver_due_once() {
    std::size_t attempted = 0;
    for (const auto& world : tenants_.list()) {
      if (stopping_) break;
      attempted += deliver_due_once(*world);
    }
    return attempted;
  }

 private:
  std::size_t deliver_due_once(api::World& world) {
    const std::vector<api::WebhookDelivery> batch = world.take_due_webhooks();
    std::size_t attempted = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (stopping_) {
        for (std::size_t j = i; j < batch.size(); ++j) world.release_webhook(batch[j].id);
        break;
      }
      const api::WebhookAttempt a = world.record_webhook(batch[i], post(batch[i]));
      if (const bool delivered = a.outcome == api::WebhookOutcome::kDelivered;
          wants_log(delivered)) {
        log(log_line(a));
      }
      ++attempted;
    }
    return attempted;
  }

  void run() {
    while (!stopping_) {
      if (deliver_due_once() > 0) continue;  // retries may have become due meanwhile
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load(); });
    }
  }

  api::WebhookAttemptResult post(const api::WebhookDelivery& d) {
    api::WebhookAttemptResult result;
    const auto url = api::parse_webhook_url(d.url);
    if (!url) {  // make_subscription() validated it; kept as a failure, never a crash
      result.error = "invalid_url";
      return result;
    }
    httplib::Client client(url->origin);
    if (!client.is_valid()) {
      result.error = "invalid_url";
      return result;
    }
    client.set_connection_timeout(options_.connection_timeout);
    client.set_read_timeout(options_.read_timeout);
    client.set_write_timeout(options_.write_timeout);
    client.set_keep_alive(false);
    client.set_follow_location(false);
    client.set_decompress(false);
    if (d.username) client.set_basic_auth(*d.username, d.password.value_or(""));

    httplib::Headers headers{{"Accept", "application/json"}, {"User-Agent", options_.user_agent}};
    if (d.callback_payload) headers.emplace("X-CALLBACK-PAYLOAD", *d.callback_payload);

    {
      std::lock_guard lock(client_mutex_);
      if (stopping_) {
        result.error = "canceled";
        return result;
      }
      current_client_ = &client;
    }
    auto res = client.Post(url->target, headers, d.body, "application/json; charset=utf-8");
    {
      std::lock_guard lock(client_mutex_);
      current_client_ = nullptr;
    }
    if (res) {
      result.http_status = res->status;
    } else {
      result.error = describe(res.error());
    }
    return result;
  }

  bool wants_log(bool delivered) const {
    if (!options_.log_sink) return false;
    return options_.log_level <= (delivered ? LogLevel::kInfo : LogLevel::kWarning);
  }

  void log(const std::string& line) noexcept {
    try {
      options_.log_sink(line);
    } catch (...) {
      // A failing sink must not stop deliveries.
    }
  }

  api::Tenants& tenants_;
  const WebhookDispatcherOptions options_;

  std::mutex lifecycle_mutex_;  // guards thread_
  std::thread thread_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::mutex client_mutex_;  // guards current_client_
  httplib::Client* current_client_ = nullptr;
};

WebhookDispatcher::WebhookDispatcher(api::Tenants& tenants, WebhookDispatcherOptions options)
    : impl_(std::make_unique<Impl>(tenants, std::move(options))) {}

WebhookDispatcher::~WebhookDispatcher() { impl_->stop(); }

bool WebhookDispatcher::start() { return impl_->start(); }
void WebhookDispatcher::stop() { impl_->stop(); }
std::size_t WebhookDispatcher::deliver_due_once() { return impl_->deliver_due_once(); }

}  // namespace mxemu::http
