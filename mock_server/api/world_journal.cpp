// World::journal: how one exchange of a tenant becomes a journal entry (api/journal.h).
#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "api/journal.h"
#include "api/routes.h"
#include "api/world.h"

namespace mxemu::api {
namespace {

// Reading or clearing the journal is not itself journalled: a client inspecting its run must
// not change what it inspects. Nor is the overview the dashboard polls every second.
bool is_journal_route(std::string_view operation_id) {
  return operation_id == "listJournal" || operation_id == "clearJournal" ||
         operation_id == "readJournalEntry" || operation_id == "conformanceReport" ||
         operation_id == "overview";
}

std::string query_text(const std::multimap<std::string, std::string>& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

// Whether the body may carry a credential, a token or an MFA answer (its JSON is then redacted).
// Each word is looked for only when a fragment of it that starts with a rarer letter is there:
// a find stops at every occurrence of its first letter, and JSON is full of quotes, 's' and 'a'.
bool may_hold_secret(std::string_view body) {
  using Word = std::pair<std::string_view, std::string_view>;  // the word, its rarer fragment
  static constexpr std::array<Word, 8> kWords = {{{"password", "word"},
                                                  {"secret", "cret"},
                                                  {"api_key", "key"},
                                                  {"apikey", "key"},
                                                  {"token", "ken"},
                                                  {"\"value\"", "value\""},
                                                  {"answer", "wer"},
                                                  {"uthorization", "zation"}}};
  return std::any_of(kWords.begin(), kWords.end(), [body](const Word& w) {
    return body.find(w.second) != std::string_view::npos &&
           body.find(w.first) != std::string_view::npos;
  });
}

bool is_json(const Response& r) { return r.content_type.find("json") != std::string::npos; }

// What the answer says about its member or user: their guids, and what the client was told of the
// member's state (AnswerSubject, noted where the body was made).
void read_subject(const Response& response, JournalEntry& e) {
  if (!response.subject || response.status >= 300) return;
  const AnswerSubject& s = *response.subject;
  const bool about_member = !e.member_guid.empty() || e.operation_id == "createMember";
  if (!about_member && e.operation_id != "createUser") return;
  if (e.user_guid.empty()) e.user_guid = s.user_guid;
  if (!s.is_member) return;
  if (e.member_guid.empty()) e.member_guid = s.member_guid;
  if (!s.connection_status.empty()) e.connection_status = s.connection_status;
  if (s.is_being_aggregated) e.is_being_aggregated = *s.is_being_aggregated;
}

}  // namespace

void World::journal(const Request& request, const Route* route,
                    const std::vector<std::string>& captures, ApiVersion version,
                    const Response& response, domain::TimePoint started, std::string fault_id,
                    std::optional<domain::TimePoint> emulated) {
  if (state_.config.journal_size == 0 ||
      (route != nullptr && is_journal_route(route->operation_id)))
    return;
  JournalEntry e;
  e.wall_time = started;
  e.duration = std::chrono::duration_cast<std::chrono::microseconds>(wall_.now() - started);
  e.method = request.method;
  e.path = request.path;
  e.query = query_text(request.query);
  e.request_headers = std::make_shared<const JournalHeaders>(redact_headers(request.headers));
  e.request_body = redact_body(request.body);
  if (route != nullptr) {
    e.scope = scope_name(route->scope);
    e.operation_id = route->operation_id;
    if (is_mx_api(route->scope)) e.version = to_string(version);
    for (const char* name : {"user", "member"}) {
      const int i = route->pattern.capture_index(name);
      if (i >= 0) (name[0] == 'u' ? e.user_guid : e.member_guid) = captures[i];
    }
  }
  e.status = response.status;
  if (!response.body.empty()) {
    const bool secret = may_hold_secret(response.body);
    const bool opaque = !is_json(response) && !response.content_type.empty() &&
                        response.content_type.find("text/") != 0;
    std::string redacted;
    if (opaque) {
      redacted =
          "[" + std::to_string(response.body.size()) + " bytes of " + response.content_type + "]";
    } else if (secret) {
      redacted = redact_body(response.body);
    }
    const std::string& kept = opaque || secret ? redacted : response.body;
    // A copy of the kept prefix, not a resize: a resized string keeps the whole body's
    // capacity, which the journal's body budget does not see.
    e.response_truncated = kept.size() > Journal::kResponseLimit;
    e.response_body = kept.substr(0, Journal::kResponseLimit);
  }
  for (const auto& [name, value] : response.headers) {
    if (name == "Retry-After") {
      try {
        e.retry_after_seconds = std::stoi(value);
      } catch (const std::exception&) {
        // Not a number of seconds: kept out of the entry.
      }
    }
  }
  e.fault_id = std::move(fault_id);
  read_subject(response, e);

  if (!emulated) {
    std::lock_guard<std::mutex> lock(mutex());
    emulated = emulator_.now();
  }
  e.emulated_time = *emulated;
  std::lock_guard<std::mutex> lock(state_.journal_mutex);
  state_.journal.add(std::move(e));
}

}  // namespace mxemu::api
