#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxclient/category_mapper.h"
#include "mxclient/mx_api.h"
#include "mxclient/result.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// Step 5 of the flow: copy a connected member's accounts and transactions into the store, with
// the app's own categories.
namespace mxclient {

struct SyncConfig {
  // First sync: nullopt asks MX for its default window (120 days back to 5 days ahead);
  // a value asks for that many days back from today.
  std::optional<int> first_sync_lookback_days;
  // Later syncs start this many days before the last successful sync's date: MX reports a
  // PENDING row again under the same guid once it posts (possibly days later, with a date
  // before the last sync), and a row can appear late.
  int overlap_days = 7;
};

// The transaction window of one sync.
struct SyncWindow {
  bool incremental = false;  // false: the first sync (or the member was never synced)
  TransactionFilter filter;  // from_date unset: MX's default window
};

// The window for `member`'s next sync at `now`: the first sync while member.last_synced_at is
// unset, otherwise from (the UTC date of last_synced_at) - overlap_days, with MX's default end.
// Pure: tests call it as a table. A negative overlap or lookback counts as 0.
SyncWindow choose_sync_window(const MemberRecord& member, const SyncConfig& config, TimePoint now);

// YYYY-MM-DD of `t` in UTC, and that date moved by `days` (may be negative).
std::string utc_date(TimePoint t);
std::string add_days(const std::string& yyyy_mm_dd, int days);

enum class SyncPhase { kAccounts, kTransactions };
struct SyncProgress {
  SyncPhase phase = SyncPhase::kAccounts;
  ListProgress list;  // the page walk of that phase
};
using SyncProgressCallback = std::function<void(const SyncProgress&)>;

struct SyncReport {
  SyncWindow window;
  std::size_t accounts_fetched = 0;
  std::size_t transactions_fetched = 0;
  SyncCounts counts;  // what the store did with them
  // MX (top-level, category) pairs this sync sent to the default category: the mapping's gaps.
  std::vector<UnmappedCategory> unmapped;
  TimePoint synced_at{};  // now the member's last_synced_at
};

// S002/S004: a member's data is complete once it is CONNECTED and no job runs; reads before
// that race the pull. Syncer::sync refuses the others.
bool ready_to_sync(const MemberRecord& member);

// Thread safety: sync() may run for different members concurrently (MxApi, the Store and
// CategoryMapper allow it); SyncReport::unmapped is then approximate, since the mapper's report
// is shared. Ownership: every reference must outlive this object.
class Syncer {
 public:
  Syncer(MxApi& api, Store& store, const Clock& clock, const CategoryMapper& mapper,
         SyncConfig config = {})
      : api_(api), store_(store), clock_(clock), mapper_(mapper), config_(config) {}

  // Fetches the member's accounts and its transactions in choose_sync_window()'s window (every
  // page), maps each transaction's category, and applies them with Store::apply_sync in one
  // transaction, which also records the successful sync (last_synced_at, last transaction
  // date). `progress` is told after every page.
  // REQUIRES the stored member to be CONNECTED and not aggregating (as MemberWatcher leaves it
  // after WatchEnd::kReady): kInvalidInput otherwise, and nothing is fetched. kNotFound for a
  // member that is not stored.
  Result<SyncReport> sync(const std::string& member_guid,
                          const SyncProgressCallback& progress = nullptr);

 private:
  MxApi& api_;
  Store& store_;
  const Clock& clock_;
  const CategoryMapper& mapper_;
  SyncConfig config_;
};

}  // namespace mxclient
