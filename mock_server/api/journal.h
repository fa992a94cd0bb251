#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "api/shared_text.h"
#include "domain/clock.h"

namespace mxemu::api {

// Request headers as journalled (redact_headers), in the request's order.
using JournalHeaders = std::vector<std::pair<std::string, std::string>>;

// One request a tenant's world answered and what it answered. Secrets are redacted before an
// entry is made (see redact_headers, redact_body): nothing here holds a credential in clear.
// Its texts are SharedText: the Journal makes equal texts of its entries one copy.
struct JournalEntry {
  std::uint64_t sequence = 0;       // per tenant, from 1, never reused (not even after a clear)
  domain::TimePoint wall_time;      // when the request arrived, on the injected wall clock
  domain::TimePoint emulated_time;  // the tenant's time when the answer was made
  std::chrono::microseconds duration{0};  // wall time spent answering
  Method method = Method::kGet;
  SharedText path;
  SharedText query;  // "a=1&b=2", decoded, sorted by name
  // Shared with the other entries the Journal holds that carry the same headers (a client
  // sends the same set on every request): never null once the entry is in a Journal.
  std::shared_ptr<const JournalHeaders> request_headers;
  SharedText request_body;  // redacted JSON text, or a note for a body that is not JSON
  // Static text (the route table's and the version names): "" when no route matched.
  std::string_view scope;         // "mx", "control", "page"
  std::string_view operation_id;  // the route's
  std::string_view version;       // "v20111101" / "v20250224" for MX routes, else ""
  SharedText user_guid;           // the user the request names, or the one it created
  SharedText member_guid;         // the member the request names, or the one it created
  int status = 0;                 // 0: the connection was dropped without an answer
  SharedText response_body;       // redacted, cut at the journal's response limit
  bool response_truncated = false;
  // The journal's body budget took the body back to keep newer ones (Journal::body_budget).
  bool response_dropped = false;
  std::optional<int> retry_after_seconds;
  std::string fault_id;  // the fault rule that shaped the answer ("fault-3", "header"), or ""
  // From a member in the response body, for the conformance rules: what the client was told.
  SharedText connection_status;
  std::optional<bool> is_being_aggregated;
};

// Which entries a reader wants. Empty fields do not filter.
struct JournalQuery {
  std::optional<Method> method;
  std::string path_prefix;
  std::string operation_id;
  std::optional<int> status;
  std::string member_guid;
  std::uint64_t since = 0;  // only entries with a larger sequence
  std::size_t limit = 100;
};

// A tenant's bounded ring of journal entries: the oldest go when it is full; capacity 0 records
// nothing. Response bodies are bounded twice: each is cut at kResponseLimit bytes, and together
// they hold at most body_budget bytes, the newest kept: an older entry past the budget keeps
// everything but its response body (response_dropped). Thread safety: none; the World lock
// guards it.
class Journal {
 public:
  static constexpr std::size_t kDefaultCapacity = 10000;
  static constexpr std::size_t kResponseLimit = 4096;  // response body bytes kept per entry
  static constexpr std::size_t kDefaultBodyBudget = std::size_t{4} << 20;  // 4 MiB
  // What the pool that shares the entries' texts remembers (TextPool): a few hundred polled
  // members' paths, guids and answers.
  static constexpr std::size_t kPoolTexts = 2048;
  static constexpr std::size_t kPoolBytes = std::size_t{512} << 10;

  explicit Journal(std::size_t capacity = kDefaultCapacity,
                   std::size_t body_budget = kDefaultBodyBudget)
      : capacity_(capacity), body_budget_(body_budget), texts_(kPoolTexts, kPoolBytes) {}

  bool enabled() const { return capacity_ > 0; }
  std::size_t capacity() const { return capacity_; }
  std::size_t body_budget() const { return body_budget_; }
  // Response body bytes held now (at most body_budget()).
  std::size_t body_bytes() const { return body_bytes_; }
  // Stamps the entry with the next sequence number and keeps it. Returns the sequence (0 when
  // the journal is disabled).
  std::uint64_t add(JournalEntry entry);
  // Newest first.
  std::vector<const JournalEntry*> find(const JournalQuery& query) const;
  const JournalEntry* at(std::uint64_t sequence) const;
  // Oldest first, every entry held.
  const std::deque<JournalEntry>& entries() const { return entries_; }
  void clear();
  std::uint64_t last_sequence() const { return next_ - 1; }

 private:
  void share_headers(JournalEntry& entry);
  void share_texts(JournalEntry& entry);
  void drop_bodies_over_budget();

  std::size_t capacity_;
  std::size_t body_budget_;
  std::deque<JournalEntry> entries_;
  std::uint64_t next_ = 1;
  std::size_t body_bytes_ = 0;
  std::uint64_t oldest_body_ = 1;  // no entry before this sequence holds a response body
  // The header sets of the latest entries, for share_headers: a few clients interleave.
  std::array<std::shared_ptr<const JournalHeaders>, 4> recent_headers_;
  std::size_t next_recent_ = 0;
  TextPool texts_;
};

// Headers as journalled: Authorization, Cookie and any header naming a key, secret, token or
// password keep their name and lose their value ("[REDACTED]").
JournalHeaders redact_headers(const Headers& headers);
// A request or response body as journalled. JSON: member credential values, MFA answers and
// every field named like a password, secret, api_key or token become "[REDACTED]". Not JSON: a
// note with its size instead of the bytes (a form body may carry anything).
std::string redact_body(const std::string& body);

// {"sequence":…, "wall_time":…, …}: one entry as the control API shows it.
nlohmann::json journal_entry_json(const JournalEntry& entry);

}  // namespace mxemu::api
