// WebhookReceiver: parse, deduplicate, record. The HTTP side is webhook_server.cpp.
#include "mxclient/webhook_receiver.h"

#include <array>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <utility>

#include "mxclient/status_policy.h"
#include "mxclient/watch.h"     // record_member_status
#include "sqlite_store_impl.h"  // parse_iso8601_ms

namespace mxclient {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::int64_t unix_ms(TimePoint t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

// "2024-03-01T09:00:04Z": MX's REST spelling of a time, for the member record.
std::string iso8601_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

// The status an event reports, or nullopt. CONNECTION_STATUS says nothing about
// is_being_aggregated: a CHALLENGED member's job is paused waiting for the answer (the emulator
// reads true, docs/state-machine.md); the other actionable statuses end the job. A data
// webhook (completed_at) says the job ended: the latest recorded status, no longer aggregating.
std::optional<StatusObservation> observation_of(const ReceivedWebhook& w,
                                                const std::optional<StatusObservation>& latest) {
  const WebhookEvent& e = w.event;
  if (!w.member_known || w.order == EventOrder::kStale) return std::nullopt;
  StatusObservation o;
  o.member_guid = e.member_guid;
  o.observed_at = w.event_time;
  o.source = StatusSource::kWebhook;
  if (e.connection_status) {
    o.connection_status = *e.connection_status;
    o.is_being_aggregated = e.is_being_aggregated.value_or(
        parse_connection_status(*e.connection_status) == ConnectionStatus::kChallenged);
    return o;
  }
  if (e.completed_at && latest) {
    o.connection_status = latest->connection_status;
    o.is_being_aggregated = false;
    return o;
  }
  return std::nullopt;
}

// The newest successful aggregation an event proves, in Unix seconds.
std::optional<std::int64_t> success_time(const WebhookEvent& e) {
  if (e.type == WebhookType::kAggregation || e.type == WebhookType::kHistory) {
    return e.completed_at;
  }
  if (e.type == WebhookType::kMember) return e.successfully_aggregated_at;
  return std::nullopt;
}

}  // namespace

EventOrder order_against(const WebhookEvent& event,
                         const std::optional<StatusObservation>& latest) {
  if (!event.occurred_at) return EventOrder::kUntimed;
  if (!latest) return EventOrder::kNewer;
  // MX's times are whole seconds: an event in the same second as the observation is not older.
  const auto observed = std::chrono::floor<seconds>(latest->observed_at);
  return *event.occurred_at >= observed ? EventOrder::kNewer : EventOrder::kStale;
}

WebhookReceiver::WebhookReceiver(Store& store, const Clock& clock, WebhookReceiverOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<WebhookAcceptance> WebhookReceiver::accept(std::string_view body,
                                                  std::optional<std::string> callback_payload) {
  auto parsed = parse_webhook_event(body);
  if (!parsed) return parsed.error();

  std::lock_guard<std::mutex> lock(mutex_);
  ReceivedWebhook w;
  w.event = std::move(parsed).value();
  w.received_at = clock_.now();
  w.event_time = w.event.occurred_at.value_or(w.received_at);
  w.callback_payload = std::move(callback_payload);

  std::optional<StatusObservation> latest;
  if (!w.event.member_guid.empty()) {
    auto member = store_.find_member(w.event.member_guid);
    if (!member) return member.error();
    w.member_known = member->has_value();
    if (w.member_known) {
      auto status = store_.latest_status(w.event.member_guid);
      if (!status) return status.error();
      latest = std::move(*status);
    }
  }
  w.order = order_against(w.event, latest);
  w.observation = observation_of(w, latest);

  auto claimed = claim(w.event, latest, w.received_at, w);
  if (!claimed) return claimed.error();
  if (!*claimed) return WebhookAcceptance{true, std::nullopt};
  if (auto recorded = record(w); !recorded) return recorded.error();
  return WebhookAcceptance{false, std::move(w)};
}

// Claims the event's dedupe key. A CONNECTION_STATUS payload has no time and no id, so two
// real occurrences of the same status (CHALLENGED, answered, CHALLENGED again) are byte for
// byte equal. A payload seen before is therefore a new occurrence when the member's recorded
// status has moved away from it since; it is claimed under the key plus the arrival time.
Result<bool> WebhookReceiver::claim(const WebhookEvent& event,
                                    const std::optional<StatusObservation>& latest, TimePoint now,
                                    ReceivedWebhook& out) {
  WebhookEventRecord record;
  record.event_id = webhook_dedupe_key(event);
  record.type = event.type_name;
  record.member_guid = event.member_guid;
  record.payload = event.raw_body;
  record.received_at = now;
  auto inserted = store_.insert_webhook_event_if_absent(record);
  if (!inserted) return inserted.error();
  if (*inserted) {
    out.event_id = record.event_id;
    return true;
  }
  const bool moved_on = !event.occurred_at && !event.event_id && event.connection_status &&
                        latest && latest->connection_status != *event.connection_status;
  if (!moved_on) return false;
  record.event_id += "#" + std::to_string(unix_ms(now));
  inserted = store_.insert_webhook_event_if_absent(record);
  if (!inserted) return inserted.error();
  out.event_id = record.event_id;
  out.repeat = *inserted;
  return *inserted;
}

Status WebhookReceiver::record(ReceivedWebhook& w) {
  if (!w.member_known || (!options_.record_status && !options_.update_members)) return Done{};
  return store_.run_in_transaction([&](Store& store) -> Status {
    if (options_.record_status && w.observation) {
      auto written = record_member_status(store, status_of(*w.observation), w.observation->source,
                                          w.observation->observed_at, w.received_at);
      if (!written && written.error().kind == ErrorKind::kNotFound) return Done{};  // deleted
      if (!written) return written.error();
      w.status_recorded = written->recorded;
    }
    if (!options_.update_members) return Done{};
    auto found = store.find_member(w.event.member_guid);
    if (!found) return found.error();
    if (!*found) return Done{};  // deleted meanwhile
    MemberRecord member = std::move(**found);
    if (auto succeeded = success_time(w.event)) {
      const auto known = member.successfully_aggregated_at
                             ? sqlite::parse_iso8601_ms(*member.successfully_aggregated_at)
                             : std::nullopt;
      if (!known || *known < *succeeded * 1000) {
        member.successfully_aggregated_at = iso8601_utc(*succeeded);
      }
    }
    if (member.updated_at < w.received_at) member.updated_at = w.received_at;
    return store.upsert_member(member);
  });
}

}  // namespace mxclient
