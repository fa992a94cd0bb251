#include "api/webhook_outbox.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "api/webhook_payloads.h"

namespace mxemu::api {
namespace {

using domain::ErrorCode;
using domain::Seconds;

using domain::kMinute;
constexpr Seconds kHour{3600};

bool is_webhook_type(std::string_view type) {
  return std::find(kWebhookTypes.begin(), kWebhookTypes.end(), type) != kWebhookTypes.end();
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool valid_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return false;
  int port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535;
}

// "host", "host:port", "[v6]" or "[v6]:port" without userinfo.
bool valid_authority(std::string_view authority) {
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  for (char c : authority) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (!valid_port(port)) return false;
    }
    return true;
  }
  const auto colon = authority.find(':');
  if (colon == 0) return false;
  if (colon != std::string_view::npos && !valid_port(authority.substr(colon + 1))) return false;
  return true;
}

}  // namespace

std::vector<std::string> default_webhook_types() {
  std::vector<std::string> types;
  for (std::string_view t : kWebhookTypes) {
    if (t != "MEMBER") types.emplace_back(t);
  }
  return types;
}

const std::array<Seconds, kWebhookMaxRetries>& webhook_retry_delays() {
  static constexpr std::array<Seconds, kWebhookMaxRetries> kDelays = {
      1 * kMinute, 2 * kMinute, 4 * kMinute, 8 * kMinute, 16 * kMinute, 32 * kMinute,
      1 * kHour,   2 * kHour,   3 * kHour,   4 * kHour,   5 * kHour,    8 * kHour};
  return kDelays;
}

std::optional<WebhookUrl> parse_webhook_url(std::string_view url) {
  std::string scheme;
  if (iequals_prefix(url, "https://")) {
    scheme = "https://";
  } else if (iequals_prefix(url, "http://")) {
    scheme = "http://";
  } else {
    return std::nullopt;
  }
  const std::string_view rest = url.substr(scheme.size());
  if (rest.find('#') != std::string_view::npos) return std::nullopt;
  const auto end_of_authority = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end_of_authority);
  if (!valid_authority(authority)) return std::nullopt;
  std::string target(end_of_authority == std::string_view::npos ? std::string_view()
                                                                : rest.substr(end_of_authority));
  for (char c : target) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  if (target.empty() || target.front() == '?') target.insert(0, "/");
  return WebhookUrl{scheme + std::string(authority), std::move(target)};
}

domain::Result<WebhookSubscription> make_subscription(std::string url,
                                                      std::optional<std::vector<std::string>> types,
                                                      std::optional<std::string> username,
                                                      std::optional<std::string> password) {
  if (!parse_webhook_url(url)) {
    return domain::make_error(ErrorCode::kBadRequest,
                              "url must be an absolute http:// or https:// URL without user "
                              "info or fragment, got '" +
                                  url + "'.");
  }
  WebhookSubscription s;
  s.url = std::move(url);
  if (!types) {
    s.types = default_webhook_types();
  } else {
    if (types->empty()) {
      return domain::make_error(ErrorCode::kBadRequest,
                                "types must name at least one webhook type (omit it for all).");
    }
    for (std::string& t : *types) {
      if (!is_webhook_type(t)) {
        return domain::make_error(ErrorCode::kBadRequest,
                                  "Unknown webhook type '" + t +
                                      "'; use CONNECTION_STATUS, AGGREGATION, BALANCE, HISTORY, "
                                      "STATEMENT, VERIFICATION, REWARD or MEMBER.");
      }
      if (std::find(s.types.begin(), s.types.end(), t) == s.types.end()) {
        s.types.push_back(std::move(t));
      }
    }
  }
  if (password && !username) {
    return domain::make_error(ErrorCode::kBadRequest, "A password needs a username.");
  }
  s.username = std::move(username);
  s.password = std::move(password);
  return s;
}

std::string_view to_string(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kDelivered:
      return "delivered";
    case WebhookOutcome::kRetrying:
      return "retrying";
    case WebhookOutcome::kFailed:
      return "failed";
    case WebhookOutcome::kCancelled:
      return "cancelled";
  }
  return "failed";
}

WebhookOutbox::WebhookOutbox(std::size_t attempt_log_capacity)
    : attempt_log_capacity_(std::max<std::size_t>(1, attempt_log_capacity)) {}

void WebhookOutbox::set_subscriptions(std::vector<WebhookSubscription> subscriptions,
                                      std::uint64_t last_event_sequence) {
  subscriptions_ = std::move(subscriptions);
  pending_.clear();
  cursor_ = std::max(cursor_, last_event_sequence);
}

void WebhookOutbox::pull(const domain::Emulator& emulator) {
  const std::uint64_t last = emulator.last_event_sequence();
  if (last <= cursor_) return;
  if (!subscriptions_.empty()) {
    const auto& events = emulator.events();  // ordered by sequence
    const auto first = std::partition_point(
        events.begin(), events.end(),
        [this](const domain::DomainEvent& e) { return e.sequence <= cursor_; });
    for (auto e = first; e != events.end(); ++e) {
      const domain::DomainEvent& event = *e;
      const std::string_view type = webhook_type(event.kind);
      std::optional<std::string> body;  // serialised once, for the first matching subscription
      for (const WebhookSubscription& s : subscriptions_) {
        if (std::find(s.types.begin(), s.types.end(), type) == s.types.end()) continue;
        if (!body) {
          auto payload = webhook_payload(event);
          if (!payload) break;  // MX sends no webhook for this event
          body = payload->dump();
        }
        WebhookDelivery d;
        d.id = next_delivery_id_++;
        d.event_sequence = event.sequence;
        d.type = std::string(type);
        d.url = s.url;
        d.username = s.username;
        d.password = s.password;
        d.body = *body;
        d.callback_payload = event.callback_payload;
        d.first_due_at = d.due_at = event.at;
        pending_.emplace(d.id, std::move(d));
      }
    }
  }
  cursor_ = last;
}

std::vector<WebhookDelivery> WebhookOutbox::due(domain::TimePoint now) {
  std::vector<WebhookDelivery> out;
  for (auto& [id, d] : pending_) {
    if (d.in_flight || d.due_at > now) continue;
    d.in_flight = true;
    d.sent_at = now;
    out.push_back(d);
  }
  return out;
}

const WebhookAttempt& WebhookOutbox::record(const WebhookDelivery& sent,
                                            const WebhookAttemptResult& result) {
  WebhookAttempt a;
  a.id = next_attempt_id_++;
  a.delivery_id = sent.id;
  a.event_sequence = sent.event_sequence;
  a.type = sent.type;
  a.url = sent.url;
  a.attempt = sent.attempt;
  a.at = sent.sent_at;
  a.result = result;

  auto it = pending_.find(sent.id);
  if (result.succeeded()) {
    a.outcome = WebhookOutcome::kDelivered;
    if (it != pending_.end()) pending_.erase(it);
  } else if (it == pending_.end()) {
    a.outcome = WebhookOutcome::kCancelled;  // set_subscriptions() ran while it was in flight
  } else if (sent.attempt > kWebhookMaxRetries) {
    a.outcome = WebhookOutcome::kFailed;
    pending_.erase(it);
  } else {
    WebhookDelivery& d = it->second;
    d.in_flight = false;
    d.attempt = sent.attempt + 1;
    d.due_at = sent.due_at + webhook_retry_delays()[static_cast<std::size_t>(sent.attempt - 1)];
    a.outcome = WebhookOutcome::kRetrying;
    a.next_retry_at = d.due_at;
  }

  while (attempts_.size() >= attempt_log_capacity_) attempts_.pop_front();
  attempts_.push_back(std::move(a));
  return attempts_.back();
}

void WebhookOutbox::release(std::uint64_t delivery_id) {
  if (auto it = pending_.find(delivery_id); it != pending_.end()) it->second.in_flight = false;
}

}  // namespace mxemu::api

namespace mxemu::api {

WebhookOutbox::State WebhookOutbox::state() const {
  State s;
  s.subscriptions = subscriptions_;
  s.cursor = cursor_;
  for (const auto& [id, delivery] : pending_) {
    s.pending.push_back(delivery);
    s.pending.back().in_flight = false;
  }
  s.attempts.assign(attempts_.begin(), attempts_.end());
  s.next_delivery_id = next_delivery_id_;
  s.next_attempt_id = next_attempt_id_;
  return s;
}

void WebhookOutbox::restore(State s) {
  subscriptions_ = std::move(s.subscriptions);
  cursor_ = s.cursor;
  pending_.clear();
  for (auto& d : s.pending) {
    d.in_flight = false;
    pending_[d.id] = std::move(d);
  }
  attempts_.assign(std::make_move_iterator(s.attempts.begin()),
                   std::make_move_iterator(s.attempts.end()));
  while (attempts_.size() > attempt_log_capacity_) attempts_.pop_front();
  next_delivery_id_ = s.next_delivery_id;
  next_attempt_id_ = s.next_attempt_id;
}

}  // namespace mxemu::api
