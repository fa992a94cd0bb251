#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxclient/result.h"
#include "mxclient/store.h"
#include "mxclient/time.h"
#include "mxclient/webhook_event.h"

// Receiving MX's webhooks: WebhookReceiver (parse, deduplicate, record; no HTTP) and
// WebhookServer (a small cpp-httplib server in front of it), plus the helpers a consumer needs
// to cope with MX's delivery: duplicates (MX retries up to 12 times over ~24 h), events out of
// order (a retry arrives after newer news) and events that never come (members_to_poll).
//
// MX: "Don't rely on webhooks as triggers in your UX … put in a failsafe timer and read the
// status from our API." Webhooks here speed things up; polling stays the source of truth.
namespace mxclient {

// How an event's time relates to the member's latest recorded status observation.
enum class EventOrder {
  kNewer,    // it happened at or after the latest observation (or there is none)
  kStale,    // it happened before the latest observation: newer news already arrived
  kUntimed,  // the payload carries no time (CONNECTION_STATUS), so only arrival order is
             // known; if the consumer must be sure, it reads GET …/status
};

// Pure: `latest` is Store::latest_status(member) as it was before this event was recorded.
EventOrder order_against(const WebhookEvent& event, const std::optional<StatusObservation>& latest);

// A new (not duplicate) webhook, with what the receiver learned while accepting it.
struct ReceivedWebhook {
  WebhookEvent event;
  std::string event_id;  // the key it was stored under (webhook_dedupe_key, or a repeat's)
  TimePoint received_at{};
  // event.occurred_at when the payload has a time, else received_at: the time to compare.
  TimePoint event_time{};
  EventOrder order = EventOrder::kNewer;  // against the status recorded before this event
  bool member_known = false;              // the member is in the store
  // What the event says about the member's status, for record_member_status or
  // MemberWatcher::on_status: the one conversion of an event into a status. Set for a stored
  // member and an event that is not kStale: a CONNECTION_STATUS or MEMBER event's status, with
  // is_being_aggregated as sent or else true only for CHALLENGED (the job waits for the
  // answer); a data webhook with completed_at: the latest recorded status, not aggregating.
  std::optional<StatusObservation> observation;
  bool status_recorded = false;  // options.record_status appended `observation` to the history
  // The same payload was accepted before, but the member's recorded status has changed since:
  // MX sent it again as a new occurrence (e.g. CHALLENGED, answered, CHALLENGED again), since
  // CONNECTION_STATUS payloads carry no time or id to tell occurrences apart.
  bool repeat = false;
  std::optional<std::string> callback_payload;  // the X-CALLBACK-PAYLOAD header, if any
};

struct WebhookAcceptance {
  bool duplicate = false;                  // seen before: nothing was recorded, do nothing
  std::optional<ReceivedWebhook> webhook;  // set when !duplicate
};

struct WebhookReceiverOptions {
  // Record ReceivedWebhook::observation through record_member_status (watch.h), the one
  // writer of member statuses. Off when the consumer hands it to MemberWatcher::on_status
  // itself (which records it and notifies), as `mxctl webhooks serve` does.
  bool record_status = true;
  // Keep the stored member's other fields current: successfully_aggregated_at from
  // AGGREGATION/HISTORY completed_at and MEMBER (only ever moved forward), and updated_at =
  // received_at (members_to_poll reads it as "heard from"). Never its status.
  bool update_members = true;
};

// Parse → deduplicate (Store::insert_webhook_event_if_absent) → record. No HTTP, no threads.
//
// Order: the order of MX's deliveries is not guaranteed (a failed delivery is retried while
// later events go out), so every accepted event carries `order` and `event_time`; a consumer
// ignores kStale ones and treats kUntimed ones as hints.
//
// Thread safety: accept() may be called from several threads; calls are serialised, so the
// check-then-record of one event never interleaves with another's. `store` and `clock` must
// outlive the receiver.
class WebhookReceiver {
 public:
  WebhookReceiver(Store& store, const Clock& clock, WebhookReceiverOptions options = {});

  // Errors: kInvalidInput for a malformed body (the sender should get 400: a retry cannot
  // fix it), kStorage when the store failed (answer 5xx, so MX delivers it again).
  Result<WebhookAcceptance> accept(std::string_view body,
                                   std::optional<std::string> callback_payload = std::nullopt);

 private:
  Result<bool> claim(const WebhookEvent& event, const std::optional<StatusObservation>& latest,
                     TimePoint now, ReceivedWebhook& out);
  Status record(ReceivedWebhook& webhook);

  Store& store_;
  const Clock& clock_;
  const WebhookReceiverOptions options_;
  std::mutex mutex_;
};

// ---- the HTTP server ------------------------------------------------------------------------

struct WebhookServerOptions {
  std::string host = "127.0.0.1";     // loopback by default; put a TLS proxy in front for MX
  int port = 0;                       // 0: the kernel picks a free port; start() reports it
  std::string path = "/webhooks/mx";  // exact match; MX POSTs the URL configured at MX
  // HTTP Basic credentials MX should send (MX sends them only if configured at MX). Unset:
  // no check (MX's default; some integrators put a secret in the path instead).
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::size_t max_body_bytes = std::size_t{256} * 1024;  // larger bodies get 413
  // httplib-performance.md, sized for a low-traffic receiver: one worker per keep-alive
  // connection, Nagle off, a bounded keep-alive, a modest accept backlog.
  int threads = 4;
  int keep_alive_max_count = 100;
  std::chrono::seconds keep_alive_timeout{2};  // also bounds how long stop() waits
  int listen_backlog = 64;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  // Accepted events waiting for the handler. When full the server answers 503 without
  // claiming the event, so MX delivers it again later.
  std::size_t max_pending = 1024;
};

// Counters since start(), for logs and tests.
struct WebhookServerStats {
  std::uint64_t requests = 0;        // POSTs on the path that passed auth
  std::uint64_t accepted = 0;        // new events (handed to the handler)
  std::uint64_t duplicates = 0;      // answered 2xx, not handed on
  std::uint64_t malformed = 0;       // 400
  std::uint64_t unauthorized = 0;    // 401
  std::uint64_t busy = 0;            // 503: the queue was full
  std::uint64_t failed = 0;          // 500: the store failed
  std::uint64_t handled = 0;         // handler calls that returned
  std::uint64_t handler_errors = 0;  // handler calls that threw (caught, counted, dropped)
};

// Called once per accepted (new) event.
using WebhookHandler = std::function<void(const ReceivedWebhook&)>;

// POST <path> → WebhookReceiver::accept → 204 No Content (MX asks for 204; any 2xx stops its
// retries), also for duplicates. 400 for a malformed body, 401 for missing/wrong credentials
// (when configured), 404 for another path, 405 for another method, 413 for a body over
// max_body_bytes, 503 when the handler queue is full, 500 when the store failed.
//
// The handler never runs on httplib's worker: the event is recorded in the store before the
// answer (so a crash after the 2xx loses no status), then queued, and one dispatcher thread
// calls the handler, in acceptance order, one event at a time. A slow handler therefore never
// delays MX's 2xx (MX times a delivery out and retries it); an exception from the handler is
// caught and counted. The handler must not call stop().
//
// Lifecycle: construct → start() → stop() (or the destructor). stop() closes the listener,
// finishes in-flight requests, then runs the handler for every event still queued, and joins.
// Not restartable. `receiver` must outlive the server.
class WebhookServer {
 public:
  WebhookServer(WebhookReceiver& receiver, WebhookHandler handler,
                WebhookServerOptions options = {});
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // Binds and starts serving; the bound port. kInvalidInput for unusable options or a second
  // start; kTransport when the address cannot be bound.
  Result<int> start();
  void stop();  // idempotent, thread-safe
  int port() const;
  WebhookServerStats stats() const;
  // Blocks until every accepted event's handler call has returned, at most `bound` (real
  // time: this is for tests and orderly shutdown). Returns whether the queue drained.
  bool wait_until_idle(std::chrono::milliseconds bound);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- polling as the fallback ----------------------------------------------------------------

struct PollCandidate {
  std::string member_guid;
  std::string user_guid;
  std::string institution_code;
  TimePoint last_heard{};  // see members_to_poll
};

// The watched members (WatchState::kWatching) the client has not heard about for longer than
// `quiet_for`, so a poller should read GET …/status for them. "Heard about" is the latest of:
// the member's latest status observation (any source: webhook, poll, callback), its updated_at
// (the receiver and the pollers touch it) and its last_synced_at; the member's created_at
// counts when there is nothing else. Longest silence first, then by member_guid.
Result<std::vector<PollCandidate>> members_to_poll(Store& store, TimePoint now,
                                                   std::chrono::seconds quiet_for);

}  // namespace mxclient
