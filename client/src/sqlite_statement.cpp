#include "sqlite_statement.h"

#include <utility>

namespace mxclient::sqlite {

Error storage_error(sqlite3* db, std::string_view context) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return make_error(ErrorKind::kStorage, std::string(context) + ": " + message + " (sqlite code " +
                                             std::to_string(code) + ")");
}

Error storage_error(int code, std::string_view context) {
  return make_error(ErrorKind::kStorage, std::string(context) + ": " + sqlite3_errstr(code) +
                                             " (sqlite code " + std::to_string(code) + ")");
}

std::int64_t to_unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_ms(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

// --- Database -------------------------------------------------------------------------------

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), depth_(std::exchange(other.depth_, 0)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    depth_ = std::exchange(other.depth_, 0);
  }
  return *this;
}

Result<Database> Database::open(const std::string& path) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the store serialises every use of its connection with its own mutex.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db;
  db.db_ = raw;  // closed by db's destructor on every path, even when the open failed
  if (rc != SQLITE_OK) {
    return raw != nullptr ? storage_error(raw, "open " + path) : storage_error(rc, "open " + path);
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Status Database::exec(const char* sql, std::string_view context) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Done{};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return make_error(ErrorKind::kStorage, std::string(context) + ": " + text + " (sqlite code " +
                                             std::to_string(sqlite3_extended_errcode(db_)) + ")");
}

Result<std::int64_t> Database::query_int(const char* sql, std::string_view context) {
  auto stmt = Statement::prepare(*this, sql, context);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorKind::kStorage, std::string(context) + ": no row");
  return stmt->integer(0);
}

Result<std::string> Database::query_text(const char* sql, std::string_view context) {
  auto stmt = Statement::prepare(*this, sql, context);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorKind::kStorage, std::string(context) + ": no row");
  return stmt->text(0);
}

std::int64_t Database::changes() const { return sqlite3_changes(db_); }

// --- Statement ------------------------------------------------------------------------------

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      context_(std::move(other.context_)),
      bind_error_(std::exchange(other.bind_error_, SQLITE_OK)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    context_ = std::move(other.context_);
    bind_error_ = std::exchange(other.bind_error_, SQLITE_OK);
  }
  return *this;
}

Result<Statement> Statement::prepare(Database& db, std::string_view sql, std::string_view context) {
  Statement s;
  s.context_ = std::string(context);
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &s.stmt_, nullptr);
  if (rc != SQLITE_OK) return storage_error(db.handle(), context);
  if (s.stmt_ == nullptr) {  // the SQL was empty or only a comment
    return make_error(ErrorKind::kStorage, std::string(context) + ": empty SQL");
  }
  return s;
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::bind(int index, std::string_view value) {
  note_bind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<double>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) return storage_error(bind_error_, context_ + " (bind)");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = storage_error(sqlite3_db_handle(stmt_), context_);
  sqlite3_reset(stmt_);  // release any lock the failed statement holds
  return error;
}

Status Statement::run() {
  auto row = step();
  if (!row) return row.error();
  if (*row) {
    // A row means the SQL was not a plain write; finish it so it holds no read lock.
    while (sqlite3_step(stmt_) == SQLITE_ROW) {
    }
  }
  sqlite3_reset(stmt_);
  return Done{};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

// --- Transaction ----------------------------------------------------------------------------

namespace {
std::string savepoint_name(int level) { return "mxclient_sp" + std::to_string(level); }
}  // namespace

Result<Transaction> Transaction::begin(Database& db) {
  const int level = db.depth_;
  const std::string sql = level == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint_name(level);
  auto status = db.exec(sql.c_str(), "begin transaction");
  if (!status) return status.error();
  ++db.depth_;
  return Transaction(&db, level);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), level_(other.level_) {}

Transaction::~Transaction() {
  if (db_ != nullptr) rollback();
}

Status Transaction::commit() {
  if (db_ == nullptr) {
    return make_error(ErrorKind::kStorage, "commit: the transaction has already ended");
  }
  const std::string sql = level_ == 0 ? "COMMIT" : "RELEASE " + savepoint_name(level_);
  auto status = db_->exec(sql.c_str(), "commit");
  if (!status) return status;  // still open: the destructor rolls it back
  --db_->depth_;
  db_ = nullptr;
  return Done{};
}

void Transaction::rollback() {
  sqlite3* handle = db_->handle();
  // SQLite may already have rolled the whole transaction back on its own (IOERR, FULL…);
  // then there is nothing to undo and the statements below would only fail.
  if (sqlite3_get_autocommit(handle) == 0) {
    const std::string sql = level_ == 0 ? "ROLLBACK"
                                        : "ROLLBACK TO " + savepoint_name(level_) + "; RELEASE " +
                                              savepoint_name(level_);
    sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr);
  }
  --db_->depth_;
  db_ = nullptr;
}

}  // namespace mxclient::sqlite
