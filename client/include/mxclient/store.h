#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxclient/mx_types.h"
#include "mxclient/result.h"
#include "mxclient/time.h"

// The client's persistent store: what the integration knows about its end users, their MX
// members, and the data synced from them, plus the bookkeeping that keeps it from repeating
// itself (status history, refresh attempts, notifications sent, webhook events seen).
//
// Conventions for every record and method below:
// - Times the client chose (created_at, observed_at, sent_at, …) are TimePoints passed in by the
//   caller; the store never reads a clock. They are stored as Unix milliseconds, so a value read
//   back is the one written truncated to the millisecond.
// - Times MX chose (aggregated_at, successfully_aggregated_at, updated_at, …) stay ISO-8601
//   strings exactly as MX sent them, as in mx_types.h; dates stay YYYY-MM-DD.
// - Every method returns its failure as a value and never throws: ErrorKind::kStorage carries
//   SQLite's message (constraint failures included), kInvalidInput a value the store cannot
//   interpret, kNotFound a record the operation needs that is not stored.
// - Every method that writes several rows does so in one transaction: it lands whole or not at
//   all. run_in_transaction() extends that to a caller's sequence of calls.
// - list_* methods return records in a stable, documented order; find_* return std::nullopt
//   (not an error) when nothing matches.
namespace mxclient {

// Where the client stands with a member, from the integration's point of view.
enum class WatchState {
  kWatching,   // a connection or aggregation is in progress; keep polling / listening
  kSettled,    // nothing to do until the next scheduled refresh
  kNeedsUser,  // only the end user can fix it (MFA, new credentials, reconnect); never auto-refresh
};

// How the client learned a member's status.
enum class StatusSource { kPoll, kWebhook, kCallback };

// What a refresh attempt did.
enum class RefreshOutcome {
  kStarted,    // MX accepted the aggregation (a job started)
  kThrottled,  // MX answered 202 without starting a job, or 429
  kFailed,     // the call failed (transport, HTTP error, 409 the client could not resolve)
  kSkipped,    // the scheduler chose not to call MX (cap reached, member needs the user, …)
};

// Stored spellings: "watching" / "settled" / "needs_user", "poll" / "webhook" / "callback",
// "started" / "throttled" / "failed" / "skipped". parse_* accepts exactly these.
const char* to_string(WatchState state);
const char* to_string(StatusSource source);
const char* to_string(RefreshOutcome outcome);
std::optional<WatchState> parse_watch_state(std::string_view text);
std::optional<StatusSource> parse_status_source(std::string_view text);
std::optional<RefreshOutcome> parse_refresh_outcome(std::string_view text);

// An end user of the app, enrolled at MX. Both ids are unique: one app user, one MX user.
struct EndUserRecord {
  std::string app_user_id;  // the app's own id (sent to MX as the user's `id`)
  std::string user_guid;    // "USR-…"
  TimePoint created_at{};
};

struct MemberRecord {
  std::string member_guid;  // "MBR-…"
  std::string user_guid;    // must be a stored end user's
  std::string app_user_id;  // that end user's; upsert_member fills it in when left empty
  std::string institution_code;
  std::string connection_status;  // MX's string; "" when MX sends null
  bool is_being_aggregated = false;
  std::optional<std::string> aggregated_at;               // as MX sent it
  std::optional<std::string> successfully_aggregated_at;  // as MX sent it; ISO-8601
  std::optional<TimePoint> last_synced_at;                // our last successful sync
  std::optional<std::string> last_transaction_date;       // YYYY-MM-DD: incremental-sync anchor
  WatchState watch_state = WatchState::kWatching;
  TimePoint created_at{};  // kept from the first upsert; later upserts do not change it
  TimePoint updated_at{};
};

// One observation of a member's status. Oldest first in lists.
struct StatusObservation {
  std::string member_guid;
  std::string connection_status;  // "" when MX sent null
  bool is_being_aggregated = false;
  TimePoint observed_at{};
  StatusSource source = StatusSource::kPoll;
};

struct RefreshAttempt {
  std::string member_guid;
  TimePoint attempted_at{};
  RefreshOutcome outcome = RefreshOutcome::kStarted;
  std::string detail;  // free text for operators: "202 throttled", "HTTP 500", "cap 3/24h"
  std::optional<TimePoint> next_allowed_at;  // when the scheduler may try this member again
};

// Counts refresh attempts with attempted_at in [from, to).
struct RefreshAttemptQuery {
  std::optional<std::string> member_guid;  // nullopt: every member (a global cap)
  std::optional<RefreshOutcome> outcome;   // nullopt: every outcome
  TimePoint from{};
  TimePoint to = TimePoint::max();
};

// A transaction as stored: MX's fields plus the category the client's mapping layer chose.
struct TransactionRecord {
  MxTransaction transaction;
  std::string app_category;  // "" when the mapping has no answer
};

// Filters for list_transactions / count_transactions; every field left empty matches all.
// Dates are inclusive YYYY-MM-DD bounds on MxTransaction::date.
struct TransactionQuery {
  std::optional<std::string> user_guid;
  std::optional<std::string> member_guid;
  std::optional<std::string> account_guid;
  std::optional<std::string> from_date;
  std::optional<std::string> to_date;
  std::optional<std::string> status;  // "POSTED" or "PENDING"
};

// What a batch upsert did, row by row.
struct UpsertCounts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;    // an existing row whose fields changed
  std::int64_t unchanged = 0;  // an existing row sent again as it was (or a refused downgrade)
};

// One member's sync, applied atomically by apply_sync().
struct SyncBatch {
  std::string member_guid;
  std::vector<MxAccount> accounts;              // each must belong to member_guid
  std::vector<TransactionRecord> transactions;  // each must belong to member_guid
  TimePoint synced_at{};  // becomes the member's last_synced_at (and updated_at)
};

struct SyncCounts {
  UpsertCounts accounts;
  UpsertCounts transactions;
};

// A notice sent to an end user. The dedupe key names the notice ("reconnect:MBR-1:DEGRADED"),
// so claiming it before sending guarantees it is sent at most once.
struct NotificationRecord {
  std::string dedupe_key;
  std::string member_guid;  // "" when the notice is about the user as a whole
  std::string app_user_id;  // "" when only the member is known; at least one is set
  std::string kind;         // e.g. "reconnect_required", "mfa_required"
  std::string message;
  TimePoint sent_at{};
};

// A webhook delivery the client has processed. MX retries deliveries and sends no event id, so
// the client derives one (e.g. from the body) and processes an id only once.
struct WebhookEventRecord {
  std::string event_id;
  std::string type;         // the payload's "type": "CONNECTION_STATUS", "AGGREGATION", …
  std::string member_guid;  // "" when the payload has none
  std::string payload;      // the body as received
  TimePoint received_at{};
};

// The store. Implementations: SQLite (open_sqlite_store). Tests of other components may
// implement it with a mock.
//
// Thread safety of the SQLite store: every method may be called from any thread. Each Store
// owns one connection guarded by a (recursive) mutex, so calls run one at a time; a
// run_in_transaction() body holds it until the body returns, and must not hand the Store to
// another thread and wait for it. Several Stores, in one process or several, may open the same
// file: WAL lets readers run beside the one writer, and a writer waits (busy timeout) for the
// write lock before failing with kStorage.
class Store {
 public:
  virtual ~Store() = default;

  // The schema version of the open database (latest_store_schema_version() once opened normally).
  virtual Result<int> schema_version() = 0;

  // Runs `body` in one transaction: everything it writes commits if it returns ok and rolls
  // back if it returns an error (which run_in_transaction returns). Store methods called inside,
  // and nested run_in_transaction calls, join it (as savepoints).
  virtual Status run_in_transaction(const std::function<Status(Store&)>& body) = 0;

  // --- end users ---------------------------------------------------------------------------
  // Inserts, or re-points an existing app_user_id at user_guid (created_at is kept). Fails with
  // kStorage if user_guid belongs to another app user, or if members still use the old guid.
  virtual Status upsert_end_user(const EndUserRecord& user) = 0;
  virtual Result<std::optional<EndUserRecord>> find_end_user_by_app_id(
      const std::string& app_user_id) = 0;
  virtual Result<std::optional<EndUserRecord>> find_end_user_by_guid(
      const std::string& user_guid) = 0;
  virtual Result<std::vector<EndUserRecord>> list_end_users() = 0;  // by app_user_id

  // --- members -----------------------------------------------------------------------------
  // Inserts or replaces every field but created_at. The end user must be stored (kStorage
  // otherwise); an empty app_user_id is filled from it. kInvalidInput if
  // successfully_aggregated_at is not ISO-8601 (YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH:MM]).
  virtual Status upsert_member(const MemberRecord& member) = 0;
  virtual Result<std::optional<MemberRecord>> find_member(const std::string& member_guid) = 0;
  virtual Result<std::vector<MemberRecord>> list_members() = 0;  // by member_guid
  virtual Result<std::vector<MemberRecord>> list_members_by_user(
      const std::string& user_guid) = 0;  // by member_guid
  // Members the refresh scheduler should consider: never successfully aggregated, or last
  // successfully aggregated strictly before `cutoff`; and not WatchState::kNeedsUser.
  // Oldest first (never-aggregated ones first), then by member_guid.
  virtual Result<std::vector<MemberRecord>> list_members_due_for_refresh(TimePoint cutoff) = 0;
  // Deletes the member and, with it, its status history, refresh attempts, accounts and
  // transactions. Returns whether it existed.
  virtual Result<bool> delete_member(const std::string& member_guid) = 0;

  // --- connection status history -------------------------------------------------------------
  // Appends the observation unless it repeats the member's latest one (same connection_status
  // and is_being_aggregated, whatever the source or time): returns whether it was appended.
  // The member must be stored (kStorage otherwise).
  virtual Result<bool> record_status(const StatusObservation& observation) = 0;
  virtual Result<std::vector<StatusObservation>> list_status_history(
      const std::string& member_guid) = 0;  // by observed_at, then insertion
  virtual Result<std::optional<StatusObservation>> latest_status(
      const std::string& member_guid) = 0;

  // --- refresh attempts ----------------------------------------------------------------------
  virtual Status record_refresh_attempt(const RefreshAttempt& attempt) = 0;  // member must exist
  virtual Result<std::vector<RefreshAttempt>> list_refresh_attempts(
      const std::string& member_guid) = 0;  // by attempted_at, then insertion
  virtual Result<std::int64_t> count_refresh_attempts(const RefreshAttemptQuery& query) = 0;
  virtual Result<std::optional<RefreshAttempt>> last_refresh_attempt(
      const std::string& member_guid) = 0;  // latest attempted_at, then latest inserted

  // --- accounts ------------------------------------------------------------------------------
  // Upserts by guid, all in one transaction. Each account's member must be stored.
  virtual Result<UpsertCounts> upsert_accounts(const std::vector<MxAccount>& accounts) = 0;
  virtual Result<std::optional<MxAccount>> find_account(const std::string& guid) = 0;
  virtual Result<std::vector<MxAccount>> list_accounts_by_member(
      const std::string& member_guid) = 0;  // by guid
  virtual Result<std::vector<MxAccount>> list_accounts_by_user(
      const std::string& user_guid) = 0;  // by guid

  // --- transactions --------------------------------------------------------------------------
  // Upserts by guid, all in one transaction: one bad row (unknown account, type not
  // CREDIT/DEBIT, status not POSTED/PENDING, date not YYYY-MM-DD, empty guid) fails the call
  // and nothing from it lands. A PENDING row later sent POSTED under the same guid is updated in
  // place; a POSTED row is never downgraded back to PENDING (counted as unchanged).
  virtual Result<UpsertCounts> upsert_transactions(
      const std::vector<TransactionRecord>& transactions) = 0;
  virtual Result<std::optional<TransactionRecord>> find_transaction(const std::string& guid) = 0;
  virtual Result<std::vector<TransactionRecord>> list_transactions(
      const TransactionQuery& query) = 0;  // by date, then guid
  virtual Result<std::int64_t> count_transactions(const TransactionQuery& query) = 0;

  // --- sync ----------------------------------------------------------------------------------
  // One member's sync in one transaction: upserts the accounts, then the transactions, then
  // sets the member's last_synced_at and updated_at to synced_at and advances its
  // last_transaction_date to the latest transaction date seen (never moves it back).
  // kNotFound if the member is not stored; kInvalidInput if a row belongs to another member.
  virtual Result<SyncCounts> apply_sync(const SyncBatch& batch) = 0;

  // --- notifications -------------------------------------------------------------------------
  // Claims the notice's dedupe key: true if it was new (send the notice), false if a notice
  // with that key was already recorded (do not send it again).
  virtual Result<bool> insert_notification_if_absent(const NotificationRecord& notification) = 0;
  // Forgets a claim, e.g. when sending failed and should be retried. Returns whether it existed.
  virtual Result<bool> release_notification(const std::string& dedupe_key) = 0;
  virtual Result<std::optional<NotificationRecord>> find_notification(
      const std::string& dedupe_key) = 0;
  virtual Result<std::vector<NotificationRecord>> list_notifications() = 0;  // by sent_at, key

  // --- webhook events ------------------------------------------------------------------------
  // true if the event id was new (process the event), false if it was seen before.
  virtual Result<bool> insert_webhook_event_if_absent(const WebhookEventRecord& event) = 0;
  virtual Result<std::optional<WebhookEventRecord>> find_webhook_event(
      const std::string& event_id) = 0;
  virtual Result<std::int64_t> count_webhook_events() = 0;
  // Retention: forgets events received strictly before `cutoff` (MX stops retrying after about
  // 24 h). Returns how many were deleted.
  virtual Result<std::int64_t> delete_webhook_events_before(TimePoint cutoff) = 0;

  // --- key/value meta ------------------------------------------------------------------------
  virtual Result<std::optional<std::string>> get_meta(const std::string& key) = 0;
  virtual Status set_meta(const std::string& key, const std::string& value) = 0;
};

// The newest schema version this build knows; open_sqlite_store migrates databases up to it.
int latest_store_schema_version();

struct SqliteStoreOptions {
  // How long a write waits for another connection's write lock before failing.
  std::chrono::milliseconds busy_timeout{5000};
  // The schema version to migrate to; 0 means latest_store_schema_version(). Only tests and
  // tools set it (to build an old database and prove the migration from it).
  int schema_version = 0;
};

// Opens (creating if needed) the SQLite store at `path`; ":memory:" gives a private in-memory
// database. Turns on foreign keys and WAL (file databases), sets the busy timeout, and applies
// the pending migrations in order, each in its own transaction. Fails with kStorage, leaving the
// file as it was, when the file is not an SQLite database, is another program's database, or
// has a schema version newer than this build knows; kInvalidInput for an unknown or lower
// options.schema_version.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteStoreOptions& options);

}  // namespace mxclient
