// Syncer: a connected member's accounts and transactions into the store, categories mapped.
#include "mxclient/sync.h"

#include <map>
#include <utility>

#include "mxclient/status_policy.h"

namespace mxclient {
namespace {

using PairCounts = std::map<std::pair<std::string, std::string>, std::size_t>;

PairCounts counts_of(const std::vector<UnmappedCategory>& report) {
  PairCounts out;
  for (const UnmappedCategory& u : report) out[{u.top_level_category, u.category}] = u.count;
  return out;
}

// What `after` holds beyond `before`: the pairs this sync sent to the default category.
std::vector<UnmappedCategory> grown(const PairCounts& before,
                                    const std::vector<UnmappedCategory>& after) {
  std::vector<UnmappedCategory> out;
  for (const UnmappedCategory& u : after) {
    auto it = before.find({u.top_level_category, u.category});
    const std::size_t was = it == before.end() ? 0 : it->second;
    if (u.count > was) out.push_back({u.top_level_category, u.category, u.count - was});
  }
  return out;
}

ProgressCallback phase_progress(const SyncProgressCallback& progress, SyncPhase phase) {
  if (!progress) return nullptr;
  return [progress, phase](const ListProgress& list) { progress(SyncProgress{phase, list}); };
}

}  // namespace

bool ready_to_sync(const MemberRecord& member) {
  return parse_connection_status(member.connection_status) == ConnectionStatus::kConnected &&
         !member.is_being_aggregated;
}

Result<SyncReport> Syncer::sync(const std::string& member_guid,
                                const SyncProgressCallback& progress) {
  auto found = store_.find_member(member_guid);
  if (!found) return found.error();
  if (!found->has_value()) {
    return make_error(ErrorKind::kNotFound, "member " + member_guid + " is not stored");
  }
  const MemberRecord& member = **found;
  if (!ready_to_sync(member)) {
    return make_error(ErrorKind::kInvalidInput,
                      "member " + member_guid + " is not ready to sync: " +
                          (member.connection_status.empty() ? "null" : member.connection_status) +
                          (member.is_being_aggregated ? ", aggregating" : ""));
  }

  SyncReport report;
  report.window = choose_sync_window(member, config_, clock_.now());
  auto accounts = api_.list_member_accounts(member.user_guid, member_guid,
                                            phase_progress(progress, SyncPhase::kAccounts));
  if (!accounts) return accounts.error();
  auto transactions =
      api_.list_member_transactions(member.user_guid, member_guid, report.window.filter,
                                    phase_progress(progress, SyncPhase::kTransactions));
  if (!transactions) return transactions.error();
  report.accounts_fetched = accounts->size();
  report.transactions_fetched = transactions->size();

  const PairCounts unmapped_before = counts_of(mapper_.unmapped());
  SyncBatch batch;
  batch.member_guid = member_guid;
  batch.accounts = std::move(*accounts);
  batch.transactions.reserve(transactions->size());
  for (MxTransaction& t : *transactions) {
    std::string category(mapper_.map(t));
    batch.transactions.push_back({std::move(t), std::move(category)});
  }
  report.unmapped = grown(unmapped_before, mapper_.unmapped());
  batch.synced_at = clock_.now();

  auto counts = store_.apply_sync(batch);
  if (!counts) return counts.error();
  report.counts = *counts;
  report.synced_at = batch.synced_at;
  return report;
}

}  // namespace mxclient
