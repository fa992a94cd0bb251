// The dashboard (/_emulator/ui, docs/dashboard.md) and the one read it needs that no other
// control route gives: the tenant's users and members with each member's status history over
// emulated time, and the institutions with their outages (GET /_emulator/overview). Everything
// else the page shows or does goes through the existing control routes.
#include <map>
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/routes.h"
#include "api/web_page.h"
#include "api/world.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultUsers = 200;
constexpr std::size_t kMaxUsers = 1000;

// One step of a member's history: the status and aggregation flag from an event on, until the
// next step.
struct HistoryStep {
  domain::TimePoint at;
  domain::ConnectionStatus status;
  bool aggregating;
};

struct History {
  std::vector<HistoryStep> steps;
  bool complete = false;  // the event log still holds the member's creation
};

// Each member's history from the event log (creation and every update carry the member's status
// and aggregation flag at that moment); consecutive equal steps are merged. A member whose
// creation left the bounded log starts at its oldest event held, and is marked incomplete.
std::map<std::string, History, std::less<>> histories(const domain::Emulator& emulator) {
  using domain::DomainEventKind;
  std::map<std::string, History, std::less<>> out;
  for (const domain::DomainEvent& e : emulator.events()) {
    if (e.kind != DomainEventKind::kMemberCreated && e.kind != DomainEventKind::kMemberUpdated) {
      continue;
    }
    History& h = out[e.member_guid];
    if (h.steps.empty()) h.complete = e.kind == DomainEventKind::kMemberCreated;
    if (!h.steps.empty() && h.steps.back().status == e.status &&
        h.steps.back().aggregating == e.is_being_aggregated) {
      continue;
    }
    h.steps.push_back({e.at, e.status, e.is_being_aggregated});
  }
  return out;
}

json history_json(const History* h, const domain::Member& m) {
  json steps = json::array();
  if (h != nullptr) {
    for (const HistoryStep& s : h->steps) {
      steps.push_back({{"at", domain::format_iso8601(s.at)},
                       {"connection_status", domain::to_wire(s.status)},
                       {"is_being_aggregated", s.aggregating}});
    }
  }
  if (steps.empty()) {
    // No event held at all: the member as it is, since it was created.
    steps.push_back({{"at", domain::format_iso8601(m.created_at)},
                     {"connection_status", domain::to_wire(m.status())},
                     {"is_being_aggregated", m.is_being_aggregated()}});
  }
  return steps;
}

json member_overview(const domain::Emulator& emulator, const domain::Member& m, const History* h) {
  const domain::Institution* inst = emulator.find_institution(m.institution_code);
  return {
      {"guid", m.guid},
      {"id", m.id ? json(*m.id) : json()},
      {"name", m.name ? json(*m.name) : json(inst != nullptr ? inst->name : m.institution_code)},
      {"institution_code", m.institution_code},
      {"is_oauth", m.is_oauth},
      {"connection_status", domain::to_wire(m.status())},
      {"is_being_aggregated", m.is_being_aggregated()},
      {"created_at", domain::format_iso8601(m.created_at)},
      {"history_complete", h != nullptr && h->complete},
      {"history", history_json(h, m)}};
}

json institutions_overview(const domain::Emulator& emulator) {
  json out = json::array();
  for (const domain::Institution& inst : emulator.institutions()) {
    const auto outage = emulator.institution_fault(inst.code);
    out.push_back({{"code", inst.code},
                   {"name", inst.name},
                   {"outage", outage ? json(domain::to_string(*outage)) : json()},
                   {"discontinued", emulator.is_discontinued(inst)}});
  }
  return out;
}

// The outcomes an outage may give (every login outcome; a rejection is a verdict on an answer).
json outage_outcomes() {
  json out = json::array();
  for (int i = 0; i <= static_cast<int>(domain::AuthOutcome::kFail); ++i) {
    out.push_back(domain::to_string(static_cast<domain::AuthOutcome>(i)));
  }
  return out;
}

}  // namespace

Response dashboard_page(RouteContext& /*ctx*/) {
  // The page holds no tenant data: it reads the tenant (the default one, or the one whose
  // credentials the person enters) through the control routes.
  return page_response(200, "ui.html", "ui.css", {"dom.js", "ui.js"},
                       {{"statuses", status_table()}, {"outage_outcomes", outage_outcomes()}});
}

Response control_overview(RouteContext& ctx) {
  std::size_t limit = kDefaultUsers;
  if (ctx.request.has_query_param("users")) {
    const std::string text = ctx.request.query_param("users");
    const bool digits = !text.empty() && text.size() <= 4 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoul(text) : 0;
    if (limit == 0 || limit > kMaxUsers) {
      return error_response(400, "users must be a whole number from 1 to 1000.");
    }
  }
  const domain::Emulator& emulator = ctx.emulator;
  const auto history = histories(emulator);
  const auto& guids = emulator.store().user_guids();
  json users = json::array();
  for (std::size_t i = 0; i < guids.size() && i < limit; ++i) {
    const domain::User* u = ctx.emulator.store().find_user(guids[i]);
    if (u == nullptr) continue;
    json members = json::array();
    for (const domain::Member* m : ctx.emulator.store().members_of(u->guid)) {
      const auto h = history.find(m->guid);
      members.push_back(member_overview(emulator, *m, h == history.end() ? nullptr : &h->second));
    }
    users.push_back({{"guid", u->guid},
                     {"id", u->id ? json(*u->id) : json()},
                     {"created_at", domain::format_iso8601(u->created_at)},
                     {"members", std::move(members)}});
  }
  return control_response(200, {{"tenant", ctx.state.config.client_id},
                                {"clock", clock_json(ctx)},
                                {"last_event_sequence", emulator.last_event_sequence()},
                                {"users_total", guids.size()},
                                {"users", std::move(users)},
                                {"institutions", institutions_overview(emulator)}});
}

}  // namespace mxemu::api
