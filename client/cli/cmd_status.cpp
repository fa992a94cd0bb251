// status: what the database knows about members (and, with --live, what MX says now).
#include <algorithm>
#include <sstream>

#include "commands.h"
#include "mxclient/connect.h"
#include "mxclient/watch.h"

namespace mxctl {
namespace {

// Reads the member's status from MX and passes it through the watcher (history, policy,
// notices), as one poll of `watch` would.
mxclient::Status refresh_live(Context& ctx, const std::string& member_guid) {
  auto api = ctx.api();
  if (!api) return api.error();
  auto store = ctx.store();
  if (!store) return store.error();
  auto member = (*store)->find_member(member_guid);
  if (!member) return member.error();
  if (!*member) {
    return mxclient::make_error(mxclient::ErrorKind::kNotFound,
                                "member " + member_guid + " is not stored");
  }
  auto status = (*api)->read_member_status((*member)->user_guid, member_guid);
  if (!status) return status.error();
  mxclient::MemberWatcher watcher(**api, **store, ctx.clock(), ctx.sleeper(), ctx.notifier());
  // A notice this read sends offers its repair URL, as watch's do.
  mxclient::ConnectFlow repairs(**api, **store, ctx.clock(), mxclient::web_platform());
  watcher.offer_repair_links(&repairs);
  auto observed = watcher.observe(*status, mxclient::StatusSource::kPoll, ctx.clock().now());
  if (!observed) return observed.error();
  return mxclient::Done{};
}

std::string member_line(const mxclient::MemberRecord& m) {
  std::ostringstream out;
  out << m.member_guid << "  " << m.app_user_id << "  " << m.institution_code << "  "
      << (m.connection_status.empty() ? "null" : m.connection_status)
      << (m.is_being_aggregated ? " (aggregating)" : "") << "  "
      << mxclient::to_string(m.watch_state) << "  last sync "
      << (m.last_synced_at ? format_time(*m.last_synced_at) : "never") << "  aggregated "
      << m.successfully_aggregated_at.value_or("never")
      << "\n    next: " << mxclient::describe_plan(decision_for(m)) << "\n";
  return out.str();
}

int show_member(Context& ctx, mxclient::Store& store, const std::string& member_guid) {
  auto member = store.find_member(member_guid);
  if (!member) return ctx.fail(member.error());
  if (!*member) {
    return ctx.fail(mxclient::make_error(mxclient::ErrorKind::kNotFound,
                                         "member " + member_guid + " is not stored"));
  }
  const auto limit = ctx.int_option("history").value_or(10);
  auto history = store.list_status_history(member_guid);
  if (!history) return ctx.fail(history.error());
  const std::size_t skip =
      history->size() > static_cast<std::size_t>(limit) ? history->size() - limit : 0;

  nlohmann::json json = member_json(**member);
  nlohmann::json rows = nlohmann::json::array();
  std::string human = member_line(**member);
  for (std::size_t i = skip; i < history->size(); ++i) {
    const auto& h = (*history)[i];
    const std::string status = h.connection_status.empty() ? "null" : h.connection_status;
    rows.push_back({{"observed_at", format_time(h.observed_at)},
                    {"connection_status", status},
                    {"is_being_aggregated", h.is_being_aggregated},
                    {"source", mxclient::to_string(h.source)}});
    human += "  " + format_time(h.observed_at) + "  " + status +
             (h.is_being_aggregated ? " (aggregating)" : "") + "  via " +
             mxclient::to_string(h.source) + "\n";
  }
  json["history"] = rows;
  ctx.emit(json, human);
  return kExitOk;
}

}  // namespace

int cmd_status(Context& ctx) {
  auto store = ctx.store();
  if (!store) return ctx.fail(store.error());
  if (!ctx.args().args.empty()) {
    const std::string& guid = ctx.args().args[0];
    if (ctx.args().has("live")) {
      if (auto live = refresh_live(ctx, guid); !live) return ctx.fail(live.error());
    }
    return show_member(ctx, **store, guid);
  }
  mxclient::Result<std::vector<mxclient::MemberRecord>> members = (*store)->list_members();
  if (auto user = ctx.args().get("user")) {
    auto guid = ctx.user_guid_of(*user);
    if (!guid) return ctx.fail(guid.error());
    members = (*store)->list_members_by_user(*guid);
  }
  if (!members) return ctx.fail(members.error());
  int code = kExitOk;
  if (ctx.args().has("live")) {
    for (const auto& m : *members) {
      if (auto live = refresh_live(ctx, m.member_guid); !live) code = ctx.warn(live.error());
    }
    auto again = (*store)->list_members();
    if (!again) return ctx.fail(again.error());
    // Keep the selection, with the fresh records.
    std::vector<mxclient::MemberRecord> fresh;
    for (const auto& m : *again) {
      if (std::any_of(members->begin(), members->end(),
                      [&](const auto& old) { return old.member_guid == m.member_guid; })) {
        fresh.push_back(m);
      }
    }
    members = fresh;
  }
  nlohmann::json rows = nlohmann::json::array();
  std::string human;
  for (const auto& m : *members) {
    rows.push_back(member_json(m));
    human += member_line(m);
  }
  if (members->empty()) human = "no members stored\n";
  ctx.emit({{"members", rows}}, human);
  return code;
}

}  // namespace mxctl
