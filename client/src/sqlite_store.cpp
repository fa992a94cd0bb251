// The SQLite Store: opening (checks, pragmas, migrations) and caller transactions. The other
// methods live by concern in sqlite_store_{members,history,data,notices}.cpp.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "sqlite_store_impl.h"

namespace mxclient {
namespace sqlite {

namespace {

// PRAGMA journal_mode = WAL, waiting up to `busy_timeout_ms` for other connections that switch
// the same new file at the same moment. SQLite does not call the busy handler here: the switch
// reads the header under a shared lock and then asks for the write lock, and a connection that
// already holds a read lock gets SQLITE_BUSY at once (waiting could deadlock two such
// connections). So this retries, pausing as the busy handler would; by the next try the other
// opener has usually finished and the file is in WAL already.
Result<std::string> switch_to_wal(Database& db, int busy_timeout_ms, const std::string& context) {
  constexpr int kPauseMs = 5;
  for (int waited_ms = 0;; waited_ms += kPauseMs) {
    auto mode = db.query_text("PRAGMA journal_mode = WAL", context);
    const int code = sqlite3_extended_errcode(db.handle()) & 0xff;
    if (mode || code != SQLITE_BUSY || waited_ms >= busy_timeout_ms) return mode;
    sqlite3_sleep(kPauseMs);
  }
}

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
  const int busy_timeout_ms = timeout_ms < 0           ? 0
                              : timeout_ms > INT32_MAX ? INT32_MAX
                                                       : static_cast<int>(timeout_ms);
  sqlite3_busy_timeout(db->handle(), busy_timeout_ms);

  // Look before writing anything, so a database we refuse is left exactly as it was. Reading
  // the header is also what fails on a file that is not an SQLite database at all. One
  // statement, so one snapshot: a store another process is creating is seen before or after.
  auto look = Statement::prepare(
      *db,
      "SELECT (SELECT user_version FROM pragma_user_version), "
      "(SELECT application_id FROM pragma_application_id), "
      "(SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\')",
      context);
  if (!look) return look.error();
  auto row = look->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorKind::kStorage, context + ": cannot read the schema version");
  const std::int64_t version = look->integer(0);
  const std::int64_t app_id = look->integer(1);
  const std::int64_t tables = look->integer(2);
  look->reset();
  if (version > latest) {
    return make_error(ErrorKind::kStorage,
                      context + ": the database has schema version " + std::to_string(version) +
                          ", newer than the latest this build knows (" + std::to_string(latest) +
                          "); it was written by a newer mxclient, so refusing to open it");
  }
  if (version == 0 && tables > 0) {
    return make_error(ErrorKind::kStorage,
                      context + ": not an mxclient store (it has tables but no schema version)");
  }
  if (version > 0 && app_id != kApplicationId) {
    return make_error(ErrorKind::kStorage, context + ": not an mxclient store (application_id " +
                                               std::to_string(app_id) + ")");
  }
  if (version > target) {
    return make_error(ErrorKind::kInvalidInput,
                      context + ": the database has schema version " + std::to_string(version) +
                          ", newer than the requested " + std::to_string(target));
  }

  if (auto fk = db->exec("PRAGMA foreign_keys = ON", context); !fk) return fk.error();
  auto fk_on = db->query_int("PRAGMA foreign_keys", context);
  if (!fk_on) return fk_on.error();
  if (*fk_on != 1) {
    return make_error(ErrorKind::kStorage, context + ": this SQLite cannot enforce foreign keys");
  }
  // FULL, not WAL's usual NORMAL: a commit survives power loss too, so a notification claimed
  // (and then sent) is never forgotten and sent again. It costs an fsync per commit, which is
  // why batches go in one transaction.
  if (auto sync = db->exec("PRAGMA synchronous = FULL", context); !sync) return sync.error();
  // An in-memory database answers "memory": it has no file to put a WAL beside.
  auto mode = switch_to_wal(*db, busy_timeout_ms, context);
  if (!mode) return mode.error();
  if (*mode != "wal" && *mode != "memory") {
    return make_error(ErrorKind::kStorage,
                      context + ": cannot use WAL (journal_mode " + *mode + ")");
  }

  if (auto migrated = migrate(*db, static_cast<int>(version), target); !migrated) {
    return migrated.error();
  }
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
}  // namespace sqlite
}  // namespace mxclient
