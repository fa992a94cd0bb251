#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mxclient/store.h"
#include "sqlite_statement.h"

// The SQLite Store, split by concern: sqlite_store.cpp (opening, caller transactions),
// sqlite_store_members.cpp (end users, members), sqlite_store_history.cpp (status history,
// refresh attempts), sqlite_store_data.cpp (accounts, transactions, sync),
// sqlite_store_notices.cpp (notifications, webhook events, meta), sqlite_store_codec.cpp (enum
// spellings, ISO-8601), sqlite_migrations.cpp (the versioned schema).
namespace mxclient::sqlite {

using Lock = std::lock_guard<std::recursive_mutex>;

// PRAGMA application_id of an mxclient store ("MXCL"), so another program's database is refused.
inline constexpr std::int64_t kApplicationId = 0x4D58434C;

// Brings the schema of `db` from `current_version` (its PRAGMA user_version as last read) up
// to `target_version`, one migration per transaction, in order. The caller has checked that
// `current_version` is neither newer than the latest nor newer than `target_version`. Each
// migration re-reads the version under the write lock, so two processes opening one new file
// apply each migration once. A migration that fails rolls back alone: the database stays at the
// last version that completed.
Status migrate(Database& db, int current_version, int target_version);

// Unix milliseconds of "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]" (no zone
// means UTC), or nullopt when `s` is not that (or not a real date and time).
std::optional<std::int64_t> parse_iso8601_ms(std::string_view s);

// --- row helpers shared by the store's files ----------------------------------------------------

inline std::optional<std::int64_t> optional_ms(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return to_unix_ms(*t);
}

inline std::optional<TimePoint> optional_time(const Statement& s, int column) {
  auto ms = s.optional_integer(column);
  if (!ms) return std::nullopt;
  return from_unix_ms(*ms);
}

// A stored enum spelling this build does not know (only a hand-edited database has one).
inline Error bad_column(std::string_view what, const std::string& value) {
  return make_error(ErrorKind::kStorage,
                    "stored " + std::string(what) + " '" + value + "' is not one this build knows");
}

inline std::string select_sql(const char* columns, const char* table, const char* rest) {
  return std::string("SELECT ") + columns + " FROM " + table + " " + rest;
}

// Steps `s` to the end, reading each row with `read` (returning T or Result<T>).
template <class T, class Reader>
Result<std::vector<T>> read_all(Statement& s, Reader read) {
  std::vector<T> rows;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return rows;
    Result<T> value = read(s);
    if (!value) return value.error();
    rows.push_back(std::move(value).value());
  }
}

// Steps `s` once: the first row read with `read`, or nullopt when there is none.
template <class T, class Reader>
Result<std::optional<T>> read_one(Statement& s, Reader read) {
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  Result<T> value = read(s);
  if (!value) return value.error();
  return std::optional<T>(std::move(value).value());
}

// The first column of the first row, as an integer (a count).
inline Result<std::int64_t> read_count(Statement& s) {
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorKind::kStorage, "count: no row");
  return s.integer(0);
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Database db) : db_(std::move(db)) {}

  Result<int> schema_version() override;
  Status run_in_transaction(const std::function<Status(Store&)>& body) override;

  Status upsert_end_user(const EndUserRecord& user) override;
  Result<std::optional<EndUserRecord>> find_end_user_by_app_id(
      const std::string& app_user_id) override;
  Result<std::optional<EndUserRecord>> find_end_user_by_guid(const std::string& user_guid) override;
  Result<std::vector<EndUserRecord>> list_end_users() override;

  Status upsert_member(const MemberRecord& member) override;
  Result<std::optional<MemberRecord>> find_member(const std::string& member_guid) override;
  Result<std::vector<MemberRecord>> list_members() override;
  Result<std::vector<MemberRecord>> list_members_by_user(const std::string& user_guid) override;
  Result<std::vector<MemberRecord>> list_members_due_for_refresh(TimePoint cutoff) override;
  Result<bool> delete_member(const std::string& member_guid) override;

  Result<bool> record_status(const StatusObservation& observation) override;
  Result<std::vector<StatusObservation>> list_status_history(
      const std::string& member_guid) override;
  Result<std::optional<StatusObservation>> latest_status(const std::string& member_guid) override;

  Status record_refresh_attempt(const RefreshAttempt& attempt) override;
  Result<std::vector<RefreshAttempt>> list_refresh_attempts(
      const std::string& member_guid) override;
  Result<std::int64_t> count_refresh_attempts(const RefreshAttemptQuery& query) override;
  Result<std::optional<RefreshAttempt>> last_refresh_attempt(
      const std::string& member_guid) override;

  Result<UpsertCounts> upsert_accounts(const std::vector<MxAccount>& accounts) override;
  Result<std::optional<MxAccount>> find_account(const std::string& guid) override;
  Result<std::vector<MxAccount>> list_accounts_by_member(const std::string& member_guid) override;
  Result<std::vector<MxAccount>> list_accounts_by_user(const std::string& user_guid) override;

  Result<UpsertCounts> upsert_transactions(
      const std::vector<TransactionRecord>& transactions) override;
  Result<std::optional<TransactionRecord>> find_transaction(const std::string& guid) override;
  Result<std::vector<TransactionRecord>> list_transactions(const TransactionQuery& query) override;
  Result<std::int64_t> count_transactions(const TransactionQuery& query) override;

  Result<SyncCounts> apply_sync(const SyncBatch& batch) override;

  Result<bool> insert_notification_if_absent(const NotificationRecord& notification) override;
  Result<bool> release_notification(const std::string& dedupe_key) override;
  Result<std::optional<NotificationRecord>> find_notification(
      const std::string& dedupe_key) override;
  Result<std::vector<NotificationRecord>> list_notifications() override;

  Result<bool> insert_webhook_event_if_absent(const WebhookEventRecord& event) override;
  Result<std::optional<WebhookEventRecord>> find_webhook_event(
      const std::string& event_id) override;
  Result<std::int64_t> count_webhook_events() override;
  Result<std::int64_t> delete_webhook_events_before(TimePoint cutoff) override;

  Result<std::optional<std::string>> get_meta(const std::string& key) override;
  Status set_meta(const std::string& key, const std::string& value) override;

 private:
  // The *_locked helpers assume mutex_ is held (and, for writes, a Transaction is open).
  Result<UpsertCounts> upsert_accounts_locked(const std::vector<MxAccount>& accounts);
  Result<UpsertCounts> upsert_transactions_locked(
      const std::vector<TransactionRecord>& transactions);
  Result<std::vector<MemberRecord>> query_members(const char* where_order,
                                                  const std::string* text_param,
                                                  const std::int64_t* int_param);

  std::recursive_mutex mutex_;
  Database db_;
};

}  // namespace mxclient::sqlite
