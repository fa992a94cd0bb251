#include "storage/sqlite_handle.h"

#include <utility>

namespace mxemu::storage {

domain::Error storage_error(sqlite3* db, std::string_view context) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return domain::make_error(
      domain::ErrorCode::kInsufficientStorage,
      std::string(context) + ": " + message + " (sqlite code " + std::to_string(code) + ")");
}

Connection::~Connection() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Connection::Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

domain::Result<Connection> Connection::open(const std::string& path) {
  Connection c;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &c.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // db_ is closed by c's destructor even when the open failed.
    if (c.db_ == nullptr) {
      return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                                "open " + path + ": " + sqlite3_errstr(rc));
    }
    return storage_error(c.db_, "open " + path);
  }
  sqlite3_extended_result_codes(c.db_, 1);
  return c;
}

domain::Status Connection::exec(const char* sql, std::string_view context) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return storage_error(db_, context);
  }
  return domain::ok_status();
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::exchange(other.bind_error_, SQLITE_OK)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::exchange(other.bind_error_, SQLITE_OK);
  }
  return *this;
}

domain::Result<Statement> Statement::prepare(const Connection& db, const char* sql) {
  Statement s;
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &s.stmt_, nullptr) != SQLITE_OK) {
    return storage_error(db.handle(), std::string("prepare ") + sql);
  }
  return s;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

domain::Result<bool> Statement::step(std::string_view context) {
  if (bind_error_ != SQLITE_OK) {
    return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                              std::string(context) + ": bind: " + sqlite3_errstr(bind_error_));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto error = storage_error(sqlite3_db_handle(stmt_), context);
  sqlite3_reset(stmt_);
  return error;
}

domain::Status Statement::run(std::string_view context) {
  auto row = step(context);
  while (row && *row) row = step(context);
  reset();
  if (!row) return row.error();
  return domain::ok_status();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

}  // namespace mxemu::storage
