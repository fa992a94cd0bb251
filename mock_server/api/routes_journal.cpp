// A tenant's request journal and its client-conformance report under /_emulator/journal
// (api/journal.h, api/conformance.h).
#include <mutex>

#include "api/conformance.h"
#include "api/errors.h"
#include "api/journal.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

std::optional<std::uint64_t> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(text);
}

}  // namespace

Response control_list_journal(RouteContext& ctx) {
  const Request& r = ctx.request;
  JournalQuery q;
  if (r.has_query_param("method")) {
    q.method = method_named(r.query_param("method"));
    if (!q.method) return error_response(400, "method must be GET, POST, PUT, DELETE or PATCH.");
  }
  q.path_prefix = r.query_param("path");
  q.operation_id = r.query_param("operation");
  q.member_guid = r.query_param("member");
  if (r.has_query_param("status")) {
    auto s = whole_number(r.query_param("status"));
    if (!s || *s > 599) return error_response(400, "status must be an HTTP status (0 = dropped).");
    q.status = static_cast<int>(*s);
  }
  if (r.has_query_param("since")) {
    auto s = whole_number(r.query_param("since"));
    if (!s) return error_response(400, "since must be a journal sequence number.");
    q.since = *s;
  }
  if (r.has_query_param("limit")) {
    auto l = whole_number(r.query_param("limit"));
    if (!l || *l < 1) return error_response(400, "limit must be a whole number >= 1.");
    q.limit = static_cast<std::size_t>(std::min<std::uint64_t>(*l, Journal::kDefaultCapacity));
  }
  std::lock_guard<std::mutex> lock(ctx.state.journal_mutex);
  const Journal& journal = ctx.state.journal;
  json entries = json::array();
  for (const JournalEntry* e : journal.find(q)) entries.push_back(journal_entry_json(*e));
  return control_response(200, {{"entries", entries},
                                {"capacity", journal.capacity()},
                                {"held", journal.entries().size()},
                                {"body_budget", journal.body_budget()},
                                {"body_bytes", journal.body_bytes()},
                                {"last_sequence", journal.last_sequence()}});
}

Response control_clear_journal(RouteContext& ctx) {
  std::lock_guard<std::mutex> lock(ctx.state.journal_mutex);
  ctx.state.journal.clear();
  return no_content();
}

Response control_read_journal_entry(RouteContext& ctx) {
  auto seq = whole_number(ctx.params[0]);
  std::lock_guard<std::mutex> lock(ctx.state.journal_mutex);
  const JournalEntry* e = seq ? ctx.state.journal.at(*seq) : nullptr;
  if (!e)
    return error_response(404, "No journal entry " + ctx.params[0] +
                                   " (cleared, dropped from the ring, or never made).");
  return control_response(200, {{"entry", journal_entry_json(*e)}});
}

Response control_conformance(RouteContext& ctx) {
  std::lock_guard<std::mutex> lock(ctx.state.journal_mutex);
  const auto& entries = ctx.state.journal.entries();
  std::size_t evaluated = 0;
  for (const auto& e : entries) evaluated += e.scope == "mx" && e.status != 0 ? 1 : 0;
  json report = conformance_json(evaluate_conformance(entries), evaluated);
  report["journal_enabled"] = ctx.state.journal.enabled();
  return control_response(200, report);
}

}  // namespace mxemu::api
