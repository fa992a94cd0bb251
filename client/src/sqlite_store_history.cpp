// The SQLite Store: connection status history and refresh attempts.

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient::sqlite {
namespace {

constexpr const char* kStatusColumns =
    "member_guid, connection_status, is_being_aggregated, observed_at_ms, source";

Result<StatusObservation> read_status(const Statement& s) {
  StatusObservation o;
  o.member_guid = s.text(0);
  o.connection_status = s.text(1);
  o.is_being_aggregated = s.integer(2) != 0;
  o.observed_at = from_unix_ms(s.integer(3));
  const std::string source = s.text(4);
  auto parsed = parse_status_source(source);
  if (!parsed) return bad_column("status source", source);
  o.source = *parsed;
  return o;
}

constexpr const char* kRefreshColumns =
    "member_guid, attempted_at_ms, outcome, detail, next_allowed_at_ms";

Result<RefreshAttempt> read_refresh(const Statement& s) {
  RefreshAttempt a;
  a.member_guid = s.text(0);
  a.attempted_at = from_unix_ms(s.integer(1));
  const std::string outcome = s.text(2);
  auto parsed = parse_refresh_outcome(outcome);
  if (!parsed) return bad_column("refresh outcome", outcome);
  a.outcome = *parsed;
  a.detail = s.text(3);
  a.next_allowed_at = optional_time(s, 4);
  return a;
}

}  // namespace

// --- status history ---------------------------------------------------------------------------

Result<std::optional<StatusObservation>> SqliteStore::latest_status(
    const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_,
      select_sql(kStatusColumns, "status_history",
                 "WHERE member_guid = ?1 ORDER BY observed_at_ms DESC, id DESC LIMIT 1"),
      "latest_status");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_one<StatusObservation>(*s, read_status);
}

Result<bool> SqliteStore::record_status(const StatusObservation& o) {
  Lock lock(mutex_);
  auto tx = Transaction::begin(db_);  // the read and the append decide together
  if (!tx) return tx.error();
  auto latest = latest_status(o.member_guid);
  if (!latest) return latest.error();
  if (*latest && (*latest)->connection_status == o.connection_status &&
      (*latest)->is_being_aggregated == o.is_being_aggregated) {
    return false;  // the guard ends the (empty) transaction
  }
  auto s = Statement::prepare(db_,
                              "INSERT INTO status_history (member_guid, connection_status, "
                              "is_being_aggregated, observed_at_ms, source) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              "record_status " + o.member_guid);
  if (!s) return s.error();
  s->bind(1, o.member_guid)
      .bind(2, o.connection_status)
      .bind(3, o.is_being_aggregated)
      .bind(4, to_unix_ms(o.observed_at))
      .bind(5, to_string(o.source));
  if (auto ran = s->run(); !ran) return ran.error();
  if (auto committed = tx->commit(); !committed) return committed.error();
  return true;
}

Result<std::vector<StatusObservation>> SqliteStore::list_status_history(
    const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              select_sql(kStatusColumns, "status_history",
                                         "WHERE member_guid = ?1 ORDER BY observed_at_ms, id"),
                              "list_status_history");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_all<StatusObservation>(*s, read_status);
}

// --- refresh attempts -------------------------------------------------------------------------

Status SqliteStore::record_refresh_attempt(const RefreshAttempt& a) {
  Lock lock(mutex_);
  auto s =
      Statement::prepare(db_,
                         "INSERT INTO refresh_attempts (member_guid, attempted_at_ms, outcome, "
                         "detail, next_allowed_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                         "record_refresh_attempt " + a.member_guid);
  if (!s) return s.error();
  s->bind(1, a.member_guid)
      .bind(2, to_unix_ms(a.attempted_at))
      .bind(3, to_string(a.outcome))
      .bind(4, a.detail)
      .bind(5, optional_ms(a.next_allowed_at));
  return s->run();
}

Result<std::vector<RefreshAttempt>> SqliteStore::list_refresh_attempts(
    const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              select_sql(kRefreshColumns, "refresh_attempts",
                                         "WHERE member_guid = ?1 ORDER BY attempted_at_ms, id"),
                              "list_refresh_attempts");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_all<RefreshAttempt>(*s, read_refresh);
}

Result<std::int64_t> SqliteStore::count_refresh_attempts(const RefreshAttemptQuery& q) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              "SELECT count(*) FROM refresh_attempts "
                              "WHERE (?1 IS NULL OR member_guid = ?1) "
                              "AND (?2 IS NULL OR outcome = ?2) "
                              "AND attempted_at_ms >= ?3 AND attempted_at_ms < ?4",
                              "count_refresh_attempts");
  if (!s) return s.error();
  s->bind(1, q.member_guid)
      .bind(2, q.outcome ? std::optional<std::string>(to_string(*q.outcome)) : std::nullopt)
      .bind(3, to_unix_ms(q.from))
      .bind(4, to_unix_ms(q.to));
  auto row = s->step();
  if (!row) return row.error();
  return s->integer(0);
}

Result<std::optional<RefreshAttempt>> SqliteStore::last_refresh_attempt(
    const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_,
      select_sql(kRefreshColumns, "refresh_attempts",
                 "WHERE member_guid = ?1 ORDER BY attempted_at_ms DESC, id DESC LIMIT 1"),
      "last_refresh_attempt");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_one<RefreshAttempt>(*s, read_refresh);
}

}  // namespace mxclient::sqlite
