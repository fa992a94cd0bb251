#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/tenants.h"
#include "api/webhook_outbox.h"
#include "http/http_server.h"

// Outbound webhooks: POSTs what the outbox says is due (docs/webhooks.md). The outbox decides
// what and when, in emulator time; this class only does the I/O, on real time.
namespace mxemu::http {

struct WebhookDispatcherOptions {
  // How often the thread looks for due deliveries when the last look found none (real time).
  std::chrono::milliseconds poll_interval{100};
  // httplib's connect timeout defaults to 300 s; a webhook receiver gets 2 s.
  std::chrono::milliseconds connection_timeout{2000};
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::string user_agent = "MX-Emulator-Webhooks/0.1";
  // One line per attempt: delivered ones at kInfo, failures at kWarning. Lines below
  // log_level are not written; an empty sink writes nothing.
  LogLevel log_level = LogLevel::kInfo;
  std::function<void(std::string_view)> log_sink;
};

// Sends due webhook deliveries with cpp-httplib: POST <url> with MX's JSON body,
// Content-Type "application/json; charset=utf-8", Accept "application/json", the configured
// User-Agent, HTTP Basic credentials when the subscription has them and X-CALLBACK-PAYLOAD when
// the event carries one. Any 2xx is success; another status or a transport error is a failure
// the outbox schedules a retry for. No redirects are followed.
//
// Every tenant's outbox is served in turn, through its World: the world's lock is held to take
// due deliveries and to record each result, never across the network. It never moves time.
class WebhookDispatcher {
 public:
  // `tenants` must outlive this object.
  explicit WebhookDispatcher(api::Tenants& tenants, WebhookDispatcherOptions options = {});
  // stop()
  ~WebhookDispatcher();

  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Starts a thread that calls deliver_due_once() until stop(), waiting poll_interval after a
  // step that attempted nothing. Returns false if it was already started or stopped.
  bool start();

  // Stops the thread and joins it: an in-flight request is aborted (recorded as a failure),
  // deliveries handed out but not yet sent are put back unattempted. Idempotent, thread-safe.
  // Afterwards deliver_due_once() attempts nothing.
  void stop();

  // One step, synchronously on the calling thread, for each tenant: pull new events and take
  // every due delivery, POST each in delivery order, record each result.
  // Returns the number of attempts recorded. Tests call this instead of start().
  std::size_t deliver_due_once();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mxemu::http
