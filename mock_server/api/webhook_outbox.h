#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/clock.h"
#include "domain/emulator.h"
#include "domain/error.h"

// Webhook subscriptions and the outbox of deliveries, in emulator time (docs/webhooks.md).
// No sockets here: http/webhook_dispatcher.cpp does the POSTs and reports back.
namespace mxemu::api {

// The webhook types a subscription may name: what webhook_payload() produces. MEMBER is not
// sent to Platform API clients unless provisioned, so a subscription gets it only by naming it.
inline constexpr std::array<std::string_view, 9> kWebhookTypes = {
    "CONNECTION_STATUS", "AGGREGATION", "BALANCE",      "HISTORY", "STATEMENT",
    "VERIFICATION",      "REWARD",      "MICRODEPOSIT", "MEMBER"};
// What a subscription without "types" receives: every type above except MEMBER.
std::vector<std::string> default_webhook_types();

// After the initial attempt, retry k (1-based) is due delays[0] + … + delays[k-1] after the
// initial attempt was due: 1, 2, 4, 8, 16, 32 min, 1, 2, 3, 4, 5, 8 h. MX: "no more than 12
// total retries after an initial request", "diminishes over the course of approximately 24
// hours"; the last retry is due 24 h 3 min after the event.
inline constexpr int kWebhookMaxRetries = 12;
const std::array<domain::Seconds, kWebhookMaxRetries>& webhook_retry_delays();

// "http://host[:port][/path]" or "https://…", split for an HTTP client.
struct WebhookUrl {
  std::string origin;  // "http://127.0.0.1:8080": scheme, host and port, no trailing slash
  std::string target;  // "/hooks?x=1": path and query, at least "/"
};
// nullopt unless `url` is http(s) with a non-empty host, a valid port if any, no userinfo and no
// fragment.
std::optional<WebhookUrl> parse_webhook_url(std::string_view url);

// Where MX posts which webhook types. MX configures one URL per event type in its dashboard;
// the emulator lets a subscription carry several types.
struct WebhookSubscription {
  std::string url;
  std::vector<std::string> types;  // from kWebhookTypes, no duplicates
  // HTTP Basic credentials MX sends with each request (its recommended extra security).
  std::optional<std::string> username;
  std::optional<std::string> password;
};

// A subscription from control-API input: the URL must parse, `types` nullopt means
// default_webhook_types(), an empty or unknown type list is an error (kBadRequest), duplicates
// are dropped, and a password needs a username.
domain::Result<WebhookSubscription> make_subscription(std::string url,
                                                      std::optional<std::vector<std::string>> types,
                                                      std::optional<std::string> username,
                                                      std::optional<std::string> password);

// One event for one subscription, and the next attempt to make.
struct WebhookDelivery {
  std::uint64_t id = 0;  // never reused; increases with (event sequence, subscription order)
  std::uint64_t event_sequence = 0;
  std::string type;  // the payload's "type"
  std::string url;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string body;                             // MX's JSON payload, serialised
  std::optional<std::string> callback_payload;  // sent as X-CALLBACK-PAYLOAD when set
  int attempt = 1;                              // of the next attempt: 1 initial, 2..13 retries
  domain::TimePoint first_due_at;               // when the event happened
  domain::TimePoint due_at;                     // when the next attempt is due
  bool in_flight = false;                       // handed out by due(), not yet recorded
  domain::TimePoint sent_at;                    // emulator time due() handed it out
};

// What the receiver did with one attempt.
struct WebhookAttemptResult {
  std::optional<int> http_status;  // set when a response came back
  std::string error;               // why no response came back ("Connection", "Read", ...)

  bool succeeded() const { return http_status && *http_status >= 200 && *http_status <= 299; }
};

enum class WebhookOutcome {
  kDelivered,  // a 2xx came back
  kRetrying,   // failed; another attempt is scheduled
  kFailed,     // failed and it was the last retry: given up
  kCancelled,  // failed, but the subscriptions were replaced meanwhile: nothing scheduled
};
std::string_view to_string(WebhookOutcome outcome);

// One entry of the delivery log.
struct WebhookAttempt {
  std::uint64_t id = 0;  // strictly increasing; the cursor of GET …/deliveries?after=N
  std::uint64_t delivery_id = 0;
  std::uint64_t event_sequence = 0;
  std::string type;
  std::string url;
  int attempt = 1;
  domain::TimePoint at;  // emulator time the attempt was handed out
  WebhookAttemptResult result;
  WebhookOutcome outcome = WebhookOutcome::kDelivered;
  std::optional<domain::TimePoint> next_retry_at;  // kRetrying only
};

// Subscriptions, pending deliveries and the log of attempts. All times are emulator time, so a
// jump of the emulator clock makes retries due at once, in order.
//
// Thread safety: none inside. Callers hold the emulator's mutex around every call (the outbox
// lives in ServiceState) and never across a network call.
class WebhookOutbox {
 public:
  // Oldest log entries are dropped beyond `attempt_log_capacity`.
  explicit WebhookOutbox(std::size_t attempt_log_capacity = 10000);

  // Replaces every subscription. Pending deliveries and scheduled retries are cancelled, and
  // only events after `last_event_sequence` (pass the emulator's) are delivered to the new list:
  // a newly configured URL gets no history.
  void set_subscriptions(std::vector<WebhookSubscription> subscriptions,
                         std::uint64_t last_event_sequence);
  const std::vector<WebhookSubscription>& subscriptions() const { return subscriptions_; }

  // Turns the emulator's events after the last one seen into deliveries, one per subscription
  // whose types include the event's webhook type; events without a webhook are skipped.
  // Events the emulator's bounded log already dropped are lost.
  void pull(const domain::Emulator& emulator);

  // Deliveries due at `now` and not in flight, in delivery-id order (event sequence first, so
  // one subscription's deliveries come out in event order); each is marked in flight until
  // record() or release(). One entry per delivery: a delivery makes one attempt per call.
  std::vector<WebhookDelivery> due(domain::TimePoint now);

  // Logs the attempt `sent` (as due() returned it) and decides what follows: a 2xx ends the
  // delivery; a failure schedules the next retry at sent.due_at + its delay, or gives up after
  // retry 12. Returns the log entry.
  const WebhookAttempt& record(const WebhookDelivery& sent, const WebhookAttemptResult& result);

  // Puts a delivery due() handed out back as it was, unattempted (the dispatcher is stopping).
  void release(std::uint64_t delivery_id);

  // Waiting deliveries (including in-flight ones), in id order.
  const std::map<std::uint64_t, WebhookDelivery>& pending() const { return pending_; }
  // The delivery log, oldest first.
  const std::deque<WebhookAttempt>& attempts() const { return attempts_; }
  // The last event sequence pull() has looked at.
  std::uint64_t cursor() const { return cursor_; }

  // Everything but the log's capacity, as a value (snapshots). Deliveries come out waiting,
  // never in flight: a restored outbox hands them out again.
  struct State {
    std::vector<WebhookSubscription> subscriptions;
    std::uint64_t cursor = 0;
    std::vector<WebhookDelivery> pending;  // by id
    std::vector<WebhookAttempt> attempts;  // oldest first
    std::uint64_t next_delivery_id = 1;
    std::uint64_t next_attempt_id = 1;
  };
  State state() const;
  void restore(State state);

 private:
  std::size_t attempt_log_capacity_;
  std::vector<WebhookSubscription> subscriptions_;
  std::uint64_t cursor_ = 0;
  std::map<std::uint64_t, WebhookDelivery> pending_;
  std::deque<WebhookAttempt> attempts_;
  std::uint64_t next_delivery_id_ = 1;
  std::uint64_t next_attempt_id_ = 1;
};

}  // namespace mxemu::api
