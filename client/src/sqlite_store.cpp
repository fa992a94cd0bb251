// The SQLite Store: opening and migrating, transactions, end users, members, status history and
// refresh attempts. (Accounts, transactions, sync, notifications, webhook events and meta are in
// sqlite_store_data.cpp.)

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient {

// --- enum spellings -------------------------------------------------------------------------

const char* to_string(WatchState state) {
  switch (state) {
    case WatchState::kWatching: return "watching";
    case WatchState::kSettled: return "settled";
    case WatchState::kNeedsUser: return "needs_user";
  }
  return "watching";
}

const char* to_string(StatusSource source) {
  switch (source) {
    case StatusSource::kPoll: return "poll";
    case StatusSource::kWebhook: return "webhook";
    case StatusSource::kCallback: return "callback";
  }
  return "poll";
}

const char* to_string(RefreshOutcome outcome) {
  switch (outcome) {
    case RefreshOutcome::kStarted: return "started";
    case RefreshOutcome::kThrottled: return "throttled";
    case RefreshOutcome::kFailed: return "failed";
    case RefreshOutcome::kSkipped: return "skipped";
  }
  return "started";
}

std::optional<WatchState> parse_watch_state(std::string_view text) {
  for (auto s : {WatchState::kWatching, WatchState::kSettled, WatchState::kNeedsUser}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<StatusSource> parse_status_source(std::string_view text) {
  for (auto s : {StatusSource::kPoll, StatusSource::kWebhook, StatusSource::kCallback}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<RefreshOutcome> parse_refresh_outcome(std::string_view text) {
  for (auto o : {RefreshOutcome::kStarted, RefreshOutcome::kThrottled, RefreshOutcome::kFailed,
                 RefreshOutcome::kSkipped}) {
    if (text == to_string(o)) return o;
  }
  return std::nullopt;
}

namespace sqlite {
namespace {

// --- ISO-8601 -------------------------------------------------------------------------------

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's public-domain algorithm).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool valid_date(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
}

// Unix milliseconds of "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]" (no zone
// means UTC), or nullopt when `s` is not that.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 19 || !read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') ||
      !read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
      !read_digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (!valid_date(y, mo, d) || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!read_digits(s, pos + 1, 2, oh)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!read_digits(s, mpos, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
      pos = mpos + 2;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
                               offset_minutes * 60;
  return seconds * 1000 + ms;
}

std::optional<std::int64_t> optional_ms(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return to_unix_ms(*t);
}

std::optional<TimePoint> optional_time(const Statement& s, int column) {
  auto ms = s.optional_integer(column);
  if (!ms) return std::nullopt;
  return from_unix_ms(*ms);
}

Error bad_column(std::string_view what, const std::string& value) {
  return make_error(ErrorKind::kStorage, "stored " + std::string(what) + " '" + value +
                                             "' is not one this build knows");
}

// --- row readers ----------------------------------------------------------------------------

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

// Steps `s` to the end, reading every row with `read` (which returns T or Result<T>).
template <class T, class Reader>
Result<std::vector<T>> read_all(Statement& s, Reader read) {
  std::vector<T> rows;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    Result<T> value = read(s);
    if (!value) return value.error();
    rows.push_back(std::move(value).value());
  }
  return rows;
}

// Steps `s` once: the first row read with `read`, or nullopt.
template <class T, class Reader>
Result<std::optional<T>> read_one(Statement& s, Reader read) {
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  Result<T> value = read(s);
  if (!value) return value.error();
  return std::optional<T>(std::move(value).value());
}

std::string select_sql(const char* columns, const char* table, const char* rest) {
  return std::string("SELECT ") + columns + " FROM " + table + " " + rest;
}

}  // namespace

// --- open -------------------------------------------------------------------------------------

namespace {

Result<std::unique_ptr<Store>> open_store(const std::string& path,
                                          const SqliteStoreOptions& options) {
  const int latest = latest_store_schema_version();
  const int target = options.schema_version == 0 ? latest : options.schema_version;
  if (target < 1 || target > latest) {
    return make_error(ErrorKind::kInvalidInput,
                      "open " + path + ": schema version " + std::to_string(target) +
                          " is not one this build knows (1.." + std::to_string(latest) + ")");
  }
  auto db = Database::open(path);
  if (!db) return db.error();
  const std::string context = "open " + path;
  const auto timeout_ms = options.busy_timeout.count();
  sqlite3_busy_timeout(db->handle(), timeout_ms < 0         ? 0
                                     : timeout_ms > INT32_MAX ? INT32_MAX
                                                              : static_cast<int>(timeout_ms));

  // Look before writing anything, so a database we refuse is left exactly as it was. Reading
  // the header is also what fails on a file that is not an SQLite database at all.
  auto version = db->query_int("PRAGMA user_version", context);
  if (!version) return version.error();
  if (*version > latest) {
    return make_error(ErrorKind::kStorage,
                      context + ": the database has schema version " + std::to_string(*version) +
                          ", newer than the latest this build knows (" + std::to_string(latest) +
                          "); it was written by a newer mxclient, so refusing to open it");
  }
  if (*version > target) {
    return make_error(ErrorKind::kInvalidInput,
                      context + ": the database has schema version " + std::to_string(*version) +
                          ", newer than the requested " + std::to_string(target));
  }
  if (*version == 0) {
    auto tables = db->query_int(
        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", context);
    if (!tables) return tables.error();
    if (*tables > 0) {
      return make_error(ErrorKind::kStorage,
                        context + ": not an mxclient store (it has tables but no schema version)");
    }
  } else {
    auto app_id = db->query_int("PRAGMA application_id", context);
    if (!app_id) return app_id.error();
    if (*app_id != kApplicationId) {
      return make_error(ErrorKind::kStorage, context + ": not an mxclient store (application_id " +
                                                 std::to_string(*app_id) + ")");
    }
  }

  if (auto fk = db->exec("PRAGMA foreign_keys = ON", context); !fk) return fk.error();
  auto fk_on = db->query_int("PRAGMA foreign_keys", context);
  if (!fk_on) return fk_on.error();
  if (*fk_on != 1) {
    return make_error(ErrorKind::kStorage, context + ": this SQLite cannot enforce foreign keys");
  }
  // An in-memory database answers "memory": it has no file to put a WAL beside.
  auto mode = db->query_text("PRAGMA journal_mode = WAL", context);
  if (!mode) return mode.error();
  if (*mode != "wal" && *mode != "memory") {
    return make_error(ErrorKind::kStorage, context + ": cannot use WAL (journal_mode " + *mode + ")");
  }

  if (auto migrated = migrate(*db, target); !migrated) return migrated.error();
  return std::unique_ptr<Store>(new SqliteStore(std::move(*db)));
}

}  // namespace

}  // namespace sqlite

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  return sqlite::open_store(path, SqliteStoreOptions{});
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteStoreOptions& options) {
  return sqlite::open_store(path, options);
}

namespace sqlite {

using Lock = std::lock_guard<std::recursive_mutex>;

// --- schema and transactions ------------------------------------------------------------------

Result<int> SqliteStore::schema_version() {
  Lock lock(mutex_);
  auto v = db_.query_int("PRAGMA user_version", "schema_version");
  if (!v) return v.error();
  return static_cast<int>(*v);
}

Status SqliteStore::run_in_transaction(const std::function<Status(Store&)>& body) {
  Lock lock(mutex_);
  if (!body) return make_error(ErrorKind::kInvalidInput, "run_in_transaction: no body");
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  Status result = body(*this);
  if (!result) return result;  // the guard rolls back
  return tx->commit();
}

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
  auto s = Statement::prepare(db_, select_sql(kEndUserColumns, "end_users", "WHERE app_user_id = ?1"),
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
  auto s = Statement::prepare(db_, select_sql(kMemberColumns, "members", where_order),
                              "list members");
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
  auto s = Statement::prepare(
      db_,
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
  auto s = Statement::prepare(db_,
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
  auto s = Statement::prepare(
      db_,
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

}  // namespace sqlite
}  // namespace mxclient
