// sync: step 5, for one member, an app user's members, or all of them.
#include <sstream>

#include "commands.h"

namespace mxctl {
namespace {

mxclient::SyncConfig sync_config(const Context& ctx) {
  mxclient::SyncConfig config;
  if (auto n = ctx.int_option("lookback-days")) {
    config.first_sync_lookback_days = static_cast<int>(*n);
  }
  if (auto n = ctx.int_option("overlap-days")) config.overlap_days = static_cast<int>(*n);
  return config;
}

}  // namespace

mxclient::Result<mxclient::SyncReport> sync_member(Context& ctx, const std::string& member_guid) {
  auto api = ctx.api();
  if (!api) return api.error();
  auto store = ctx.store();
  if (!store) return store.error();
  auto mapper = ctx.mapper();
  if (!mapper) return mapper.error();
  mxclient::Syncer syncer(**api, **store, ctx.clock(), **mapper, sync_config(ctx));
  return syncer.sync(member_guid, [&](const mxclient::SyncProgress& p) {
    const char* what = p.phase == mxclient::SyncPhase::kAccounts ? "accounts" : "transactions";
    ctx.progress(member_guid + ": " + what + " page " + std::to_string(p.list.pages_fetched) + "/" +
                 std::to_string(p.list.total_pages) + " (" + std::to_string(p.list.records_so_far) +
                 "/" + std::to_string(p.list.total_entries) + ")");
  });
}

nlohmann::json sync_json(const mxclient::SyncReport& report) {
  nlohmann::json unmapped = nlohmann::json::array();
  for (const auto& u : report.unmapped) {
    unmapped.push_back({{"top_level_category", u.top_level_category},
                        {"category", u.category},
                        {"count", u.count}});
  }
  auto counts = [](const mxclient::UpsertCounts& c) {
    return nlohmann::json{
        {"inserted", c.inserted}, {"updated", c.updated}, {"unchanged", c.unchanged}};
  };
  return {{"incremental", report.window.incremental},
          {"from_date", report.window.filter.from_date.value_or("")},
          {"accounts_fetched", report.accounts_fetched},
          {"transactions_fetched", report.transactions_fetched},
          {"accounts", counts(report.counts.accounts)},
          {"transactions", counts(report.counts.transactions)},
          {"unmapped_categories", unmapped},
          {"synced_at", format_time(report.synced_at)}};
}

std::string sync_line(const std::string& member_guid, const mxclient::SyncReport& report) {
  std::ostringstream out;
  out << member_guid << ": synced " << report.accounts_fetched << " accounts, "
      << report.transactions_fetched << " transactions ("
      << (report.window.incremental ? "since " + report.window.filter.from_date.value_or("?")
                                    : std::string("first sync"))
      << "; " << report.counts.transactions.inserted << " new, "
      << report.counts.transactions.updated << " updated)\n";
  for (const auto& u : report.unmapped) {
    out << "  unmapped category: " << u.top_level_category << " / " << u.category << " (" << u.count
        << ")\n";
  }
  return out.str();
}

int cmd_sync(Context& ctx) {
  const bool all = ctx.args().has("all");
  const auto user = ctx.args().get("user");
  const int selectors = static_cast<int>(!ctx.args().args.empty()) + static_cast<int>(all) +
                        static_cast<int>(user.has_value());
  if (selectors != 1) return ctx.usage("name one of MEMBER_GUID, --user APP_USER_ID or --all");
  auto store = ctx.store();
  if (!store) return ctx.fail(store.error());

  std::vector<std::string> members;
  if (!ctx.args().args.empty()) {
    members.push_back(ctx.args().args[0]);
  } else {
    mxclient::Result<std::vector<mxclient::MemberRecord>> listed = (*store)->list_members();
    if (user) {
      auto guid = ctx.user_guid_of(*user);
      if (!guid) return ctx.fail(guid.error());
      listed = (*store)->list_members_by_user(*guid);
    }
    if (!listed) return ctx.fail(listed.error());
    for (const auto& m : *listed) {
      // Only members the watch left ready; the others would be refused one by one.
      if (mxclient::ready_to_sync(m)) {
        members.push_back(m.member_guid);
      } else {
        ctx.progress(m.member_guid + ": skipped (" +
                     (m.connection_status.empty() ? "null" : m.connection_status) +
                     (m.is_being_aggregated ? ", aggregating" : "") + ")");
      }
    }
  }

  nlohmann::json results = nlohmann::json::array();
  std::string human;
  int code = kExitOk;
  for (const auto& guid : members) {
    auto report = sync_member(ctx, guid);
    if (!report) {
      if (!ctx.args().args.empty()) return ctx.fail(report.error());  // the one member named
      code = ctx.warn(report.error());
      auto failed = error_json(report.error());
      failed["member_guid"] = guid;
      results.push_back(failed);
      continue;
    }
    auto j = sync_json(*report);
    j["member_guid"] = guid;
    results.push_back(j);
    human += sync_line(guid, *report);
  }
  if (members.empty()) human = "no connected members to sync\n";
  ctx.emit({{"members", results}}, human);
  return code;
}

}  // namespace mxctl
