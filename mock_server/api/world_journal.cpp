// World::journal: how one exchange of a tenant becomes a journal entry (api/journal.h).
#include <chrono>
#include <memory>
#include <mutex>

#include "api/journal.h"
#include "api/routes.h"
#include "api/world.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

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
    out += name + "=" + value;
  }
  return out;
}

bool may_hold_secret(const std::string& body) {
  for (const char* word : {"password", "secret", "api_key", "apikey", "token", "\"value\"",
                           "uthorization", "answer"}) {
    if (body.find(word) != std::string::npos) return true;
  }
  return false;
}

bool is_json(const Response& r) { return r.content_type.find("json") != std::string::npos; }

// What the response says about a member or user: its guids, and what the client was told of
// the member's state.
void read_response(const Response& response, JournalEntry& e) {
  constexpr std::size_t kMaxParsed = 64 * 1024;
  if (!is_json(response) || response.body.size() > kMaxParsed || response.status >= 300) return;
  const bool about_member = !e.member_guid.empty() || e.operation_id == "createMember";
  if (!about_member && e.operation_id != "createUser") return;
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return;
  if (auto m = body.find("member"); m != body.end() && m->is_object()) {
    if (e.member_guid.empty()) e.member_guid = m->value("guid", "");
    if (e.user_guid.empty()) e.user_guid = m->value("user_guid", "");
    if (auto s = m->find("connection_status"); s != m->end() && s->is_string()) {
      e.connection_status = s->get<std::string>();
    }
    if (auto a = m->find("is_being_aggregated"); a != m->end() && a->is_boolean()) {
      e.is_being_aggregated = a->get<bool>();
    }
  } else if (auto u = body.find("user"); u != body.end() && u->is_object()) {
    if (e.user_guid.empty()) e.user_guid = u->value("guid", "");
  }
}

std::string_view scope_name(RouteScope scope) {
  switch (scope) {
    case RouteScope::kMx:
      return "mx";
    case RouteScope::kControl:
      return "control";
    case RouteScope::kPage:
      return "page";
  }
  return "";
}

}  // namespace

void World::journal(const Request& request, const Route* route,
                    const std::vector<std::string>& captures, ApiVersion version,
                    const Response& response, domain::TimePoint started, std::string fault_id) {
  if (state_.config.journal_size == 0 || (route && is_journal_route(route->operation_id))) return;
  JournalEntry e;
  e.wall_time = started;
  e.duration = std::chrono::duration_cast<std::chrono::microseconds>(wall_.now() - started);
  e.method = request.method;
  e.path = request.path;
  e.query = query_text(request.query);
  e.request_headers = std::make_shared<const JournalHeaders>(redact_headers(request.headers));
  e.request_body = redact_body(request.body);
  if (route) {
    e.scope = scope_name(route->scope);
    e.operation_id = route->operation_id;
    if (route->scope == RouteScope::kMx) e.version = to_string(version);
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
  read_response(response, e);

  std::lock_guard<std::mutex> lock(mutex());
  e.emulated_time = emulator_.now();
  state_.journal.add(std::move(e));
}

}  // namespace mxemu::api
