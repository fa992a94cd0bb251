#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/error.h"

// Tiny RAII wrappers over SQLite's C API for the data dir: a connection and a prepared
// statement. Failures are domain::Error values (kInsufficientStorage) carrying SQLite's message
// and code; nothing here throws.
namespace mxemu::storage {

// "<context>: <sqlite message> (sqlite code N)".
domain::Error storage_error(sqlite3* db, std::string_view context);

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens or creates `path`, with extended result codes on. NOMUTEX: the caller serialises.
  static domain::Result<Connection> open(const std::string& path);
  sqlite3* handle() const { return db_; }
  // Runs SQL that returns no rows of interest.
  domain::Status exec(const char* sql, std::string_view context);

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  static domain::Result<Statement> prepare(const Connection& db, const char* sql);

  // Parameters are 1-based, as in SQL. A failed bind is reported by the next step().
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  // true when a row is available, false when done.
  domain::Result<bool> step(std::string_view context);
  // Steps to completion, then resets the statement and clears its bindings.
  domain::Status run(std::string_view context);
  void reset();

  std::string text(int column) const;  // 0-based
  std::int64_t integer(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = SQLITE_OK;
};

}  // namespace mxemu::storage
