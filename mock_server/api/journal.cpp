#include "api/journal.h"

#include <algorithm>
#include <cctype>

#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

constexpr const char* kRedacted = "[REDACTED]";

bool secret_name(std::string_view name) {
  const std::string n = ascii_lower(name);
  for (const char* word : {"password", "secret", "api_key", "apikey", "api-key", "token",
                           "authorization", "cookie", "answer"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

// Credential and MFA-answer arrays: [{"guid":…, "value":…}]; every "value" goes.
void redact_values(json& array) {
  if (!array.is_array()) return;
  for (auto& item : array) {
    if (item.is_object() && item.contains("value")) item["value"] = kRedacted;
  }
}

void redact(json& j) {
  if (j.is_array()) {
    for (auto& item : j) redact(item);
    return;
  }
  if (!j.is_object()) return;
  for (auto& [key, value] : j.items()) {
    if (key == "credentials" || key == "challenges") {
      redact_values(value);
    } else if (secret_name(key) && !value.is_null()) {
      value = kRedacted;
      continue;
    }
    redact(value);
  }
}

}  // namespace

std::uint64_t Journal::add(JournalEntry entry) {
  if (capacity_ == 0) return 0;
  entry.sequence = next_++;
  share_headers(entry);
  share_texts(entry);
  if (entries_.size() >= capacity_) {
    // A body the budget already took is empty, so this subtracts only what is still counted.
    const JournalEntry& oldest = entries_.front();
    body_bytes_ -= oldest.response_body.size();
    oldest_body_ = std::max(oldest_body_, oldest.sequence + 1);
    entries_.pop_front();
  }
  body_bytes_ += entry.response_body.size();
  entries_.push_back(std::move(entry));
  drop_bodies_over_budget();
  return entries_.back().sequence;
}

void Journal::share_headers(JournalEntry& entry) {
  if (!entry.request_headers) entry.request_headers = std::make_shared<const JournalHeaders>();
  for (const auto& recent : recent_headers_) {
    if (recent && *recent == *entry.request_headers) {
      entry.request_headers = recent;
      return;
    }
  }
  recent_headers_[next_recent_] = entry.request_headers;
  next_recent_ = (next_recent_ + 1) % recent_headers_.size();
}

void Journal::share_texts(JournalEntry& e) {
  for (SharedText* text : {&e.path, &e.query, &e.request_body, &e.user_guid, &e.member_guid,
                           &e.response_body, &e.connection_status}) {
    *text = texts_.share(std::move(*text));
  }
}

// Entries from oldest_body_ on hold their bodies; the oldest of them give theirs back first.
void Journal::drop_bodies_over_budget() {
  while (body_bytes_ > body_budget_ && !entries_.empty()) {
    JournalEntry& e = entries_[static_cast<std::size_t>(oldest_body_ - entries_.front().sequence)];
    if (!e.response_body.empty()) {
      body_bytes_ -= e.response_body.size();
      e.response_body = SharedText();
      e.response_dropped = true;
    }
    ++oldest_body_;
  }
}

void Journal::clear() {
  entries_.clear();
  texts_.clear();
  body_bytes_ = 0;
  oldest_body_ = next_;
}

std::vector<const JournalEntry*> Journal::find(const JournalQuery& q) const {
  std::vector<const JournalEntry*> out;
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < q.limit; ++it) {
    const JournalEntry& e = *it;
    if (e.sequence <= q.since) break;
    if (q.method && *q.method != e.method) continue;
    if (e.path.str().compare(0, q.path_prefix.size(), q.path_prefix) != 0) continue;
    if (!q.operation_id.empty() && q.operation_id != e.operation_id) continue;
    if (q.status && *q.status != e.status) continue;
    if (!q.member_guid.empty() && q.member_guid != e.member_guid) continue;
    out.push_back(&e);
  }
  return out;
}

const JournalEntry* Journal::at(std::uint64_t sequence) const {
  if (entries_.empty() || sequence < entries_.front().sequence ||
      sequence > entries_.back().sequence) {
    return nullptr;
  }
  // Sequences are consecutive within the ring.
  return &entries_[static_cast<std::size_t>(sequence - entries_.front().sequence)];
}

JournalHeaders redact_headers(const Headers& headers) {
  JournalHeaders out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    out.emplace_back(name,
                     secret_name(name) || ascii_lower(name) == "x-api-key" ? kRedacted : value);
  }
  return out;
}

std::string redact_body(const std::string& body) {
  if (body.empty()) return {};
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "[" + std::to_string(body.size()) + " bytes, not JSON: not kept]";
  redact(j);
  return j.dump();
}

json journal_entry_json(const JournalEntry& e) {
  json headers = json::object();
  if (e.request_headers) {
    for (const auto& [name, value] : *e.request_headers) headers[name] = value;
  }
  auto maybe = [](std::string_view s) { return s.empty() ? json() : json(s); };
  return {{"sequence", e.sequence},
          {"wall_time", domain::format_iso8601(e.wall_time)},
          {"emulated_time", domain::format_iso8601(e.emulated_time)},
          {"duration_us", e.duration.count()},
          {"method", to_string(e.method)},
          {"path", e.path.str()},
          {"query", e.query.str()},
          {"request_headers", headers},
          {"request_body", e.request_body.str()},
          {"scope", maybe(e.scope)},
          {"operation_id", maybe(e.operation_id)},
          {"version", maybe(e.version)},
          {"user_guid", maybe(e.user_guid.str())},
          {"member_guid", maybe(e.member_guid.str())},
          {"status", e.status},
          {"dropped", e.status == 0},
          {"response_body", e.response_body.str()},
          {"response_truncated", e.response_truncated},
          {"response_dropped", e.response_dropped},
          {"retry_after_seconds", e.retry_after_seconds ? json(*e.retry_after_seconds) : json()},
          {"fault_id", maybe(e.fault_id)}};
}

}  // namespace mxemu::api
