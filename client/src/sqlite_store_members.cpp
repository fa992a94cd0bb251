// The SQLite Store: end users and members.

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient::sqlite {
namespace {

constexpr const char* kEndUserColumns = "app_user_id, user_guid, created_at_ms";

EndUserRecord read_end_user(const Statement& s) {
  return EndUserRecord{s.text(0), s.text(1), from_unix_ms(s.integer(2))};
}

constexpr const char* kMemberColumns =
    "member_guid, user_guid, app_user_id, institution_code, connection_status, "
    "is_being_aggregated, aggregated_at, successfully_aggregated_at, last_synced_at_ms, "
    "last_transaction_date, watch_state, created_at_ms, updated_at_ms";

Result<MemberRecord> read_member(const Statement& s) {
  MemberRecord m;
  m.member_guid = s.text(0);
  m.user_guid = s.text(1);
  m.app_user_id = s.text(2);
  m.institution_code = s.text(3);
  m.connection_status = s.text(4);
  m.is_being_aggregated = s.integer(5) != 0;
  m.aggregated_at = s.optional_text(6);
  m.successfully_aggregated_at = s.optional_text(7);
  m.last_synced_at = optional_time(s, 8);
  m.last_transaction_date = s.optional_text(9);
  const std::string state = s.text(10);
  auto parsed = parse_watch_state(state);
  if (!parsed) return bad_column("watch_state", state);
  m.watch_state = *parsed;
  m.created_at = from_unix_ms(s.integer(11));
  m.updated_at = from_unix_ms(s.integer(12));
  return m;
}
}  // namespace

// --- end users --------------------------------------------------------------------------------

Status SqliteStore::upsert_end_user(const EndUserRecord& user) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              "INSERT INTO end_users (app_user_id, user_guid, created_at_ms) "
                              "VALUES (?1, ?2, ?3) ON CONFLICT (app_user_id) DO UPDATE SET "
                              "user_guid = excluded.user_guid "
                              "WHERE user_guid IS NOT excluded.user_guid",
                              "upsert_end_user " + user.app_user_id);
  if (!s) return s.error();
  s->bind(1, user.app_user_id).bind(2, user.user_guid).bind(3, to_unix_ms(user.created_at));
  return s->run();
}

Result<std::optional<EndUserRecord>> SqliteStore::find_end_user_by_app_id(
    const std::string& app_user_id) {
  Lock lock(mutex_);
  auto s =
      Statement::prepare(db_, select_sql(kEndUserColumns, "end_users", "WHERE app_user_id = ?1"),
                         "find_end_user_by_app_id");
  if (!s) return s.error();
  s->bind(1, app_user_id);
  return read_one<EndUserRecord>(*s, read_end_user);
}

Result<std::optional<EndUserRecord>> SqliteStore::find_end_user_by_guid(
    const std::string& user_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, select_sql(kEndUserColumns, "end_users", "WHERE user_guid = ?1"),
                              "find_end_user_by_guid");
  if (!s) return s.error();
  s->bind(1, user_guid);
  return read_one<EndUserRecord>(*s, read_end_user);
}

Result<std::vector<EndUserRecord>> SqliteStore::list_end_users() {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, select_sql(kEndUserColumns, "end_users", "ORDER BY app_user_id"),
                              "list_end_users");
  if (!s) return s.error();
  return read_all<EndUserRecord>(*s, read_end_user);
}

// --- members ----------------------------------------------------------------------------------

Status SqliteStore::upsert_member(const MemberRecord& m) {
  std::optional<std::int64_t> success_ms;
  if (m.successfully_aggregated_at) {
    success_ms = parse_iso8601_ms(*m.successfully_aggregated_at);
    if (!success_ms) {
      return make_error(ErrorKind::kInvalidInput,
                        "upsert_member " + m.member_guid + ": successfully_aggregated_at '" +
                            *m.successfully_aggregated_at + "' is not an ISO-8601 timestamp");
    }
  }
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_,
      "INSERT INTO members (member_guid, user_guid, app_user_id, institution_code, "
      "connection_status, is_being_aggregated, aggregated_at, successfully_aggregated_at, "
      "successfully_aggregated_at_ms, last_synced_at_ms, last_transaction_date, watch_state, "
      "created_at_ms, updated_at_ms) "
      "VALUES (?1, ?2, COALESCE(NULLIF(?3, ''), "
      "(SELECT app_user_id FROM end_users WHERE user_guid = ?2)), "
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
      "ON CONFLICT (member_guid) DO UPDATE SET user_guid = excluded.user_guid, "
      "app_user_id = excluded.app_user_id, institution_code = excluded.institution_code, "
      "connection_status = excluded.connection_status, "
      "is_being_aggregated = excluded.is_being_aggregated, aggregated_at = excluded.aggregated_at, "
      "successfully_aggregated_at = excluded.successfully_aggregated_at, "
      "successfully_aggregated_at_ms = excluded.successfully_aggregated_at_ms, "
      "last_synced_at_ms = excluded.last_synced_at_ms, "
      "last_transaction_date = excluded.last_transaction_date, "
      "watch_state = excluded.watch_state, updated_at_ms = excluded.updated_at_ms",
      "upsert_member " + m.member_guid);
  if (!s) return s.error();
  s->bind(1, m.member_guid)
      .bind(2, m.user_guid)
      .bind(3, m.app_user_id)
      .bind(4, m.institution_code)
      .bind(5, m.connection_status)
      .bind(6, m.is_being_aggregated)
      .bind(7, m.aggregated_at)
      .bind(8, m.successfully_aggregated_at)
      .bind(9, success_ms)
      .bind(10, optional_ms(m.last_synced_at))
      .bind(11, m.last_transaction_date)
      .bind(12, to_string(m.watch_state))
      .bind(13, to_unix_ms(m.created_at))
      .bind(14, to_unix_ms(m.updated_at));
  return s->run();
}

Result<std::vector<MemberRecord>> SqliteStore::query_members(const char* where_order,
                                                             const std::string* text_param,
                                                             const std::int64_t* int_param) {
  Lock lock(mutex_);
  auto s =
      Statement::prepare(db_, select_sql(kMemberColumns, "members", where_order), "list members");
  if (!s) return s.error();
  if (text_param != nullptr) s->bind(1, *text_param);
  if (int_param != nullptr) s->bind(1, *int_param);
  return read_all<MemberRecord>(*s, read_member);
}

Result<std::optional<MemberRecord>> SqliteStore::find_member(const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, select_sql(kMemberColumns, "members", "WHERE member_guid = ?1"),
                              "find_member");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_one<MemberRecord>(*s, read_member);
}

Result<std::vector<MemberRecord>> SqliteStore::list_members() {
  return query_members("ORDER BY member_guid", nullptr, nullptr);
}

Result<std::vector<MemberRecord>> SqliteStore::list_members_by_user(const std::string& user_guid) {
  return query_members("WHERE user_guid = ?1 ORDER BY member_guid", &user_guid, nullptr);
}

Result<std::vector<MemberRecord>> SqliteStore::list_members_due_for_refresh(TimePoint cutoff) {
  const std::int64_t cutoff_ms = to_unix_ms(cutoff);
  return query_members(
      "WHERE watch_state <> 'needs_user' AND "
      "(successfully_aggregated_at_ms IS NULL OR successfully_aggregated_at_ms < ?1) "
      "ORDER BY successfully_aggregated_at_ms IS NOT NULL, successfully_aggregated_at_ms, "
      "member_guid",
      nullptr, &cutoff_ms);
}

Result<bool> SqliteStore::delete_member(const std::string& member_guid) {
  Lock lock(mutex_);
  // One statement, but the cascade touches several tables: SQLite runs it atomically.
  auto s = Statement::prepare(db_, "DELETE FROM members WHERE member_guid = ?1",
                              "delete_member " + member_guid);
  if (!s) return s.error();
  s->bind(1, member_guid);
  if (auto ran = s->run(); !ran) return ran.error();
  return db_.changes() > 0;
}

}  // namespace mxclient::sqlite
