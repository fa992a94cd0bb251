#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mxclient/result.h"
#include "mxclient/time.h"

// Tiny RAII wrappers over the SQLite C API for the store: a connection, a prepared statement,
// and a transaction guard that nests as savepoints. Failures become mxclient::Error values of
// kind kStorage carrying SQLite's message; nothing here throws.
namespace mxclient::sqlite {

// "<context>: <sqlite message> (sqlite code N)", kind kStorage.
Error storage_error(sqlite3* db, std::string_view context);
Error storage_error(int code, std::string_view context);

// Unix milliseconds, the store's encoding of a TimePoint (truncated toward zero).
std::int64_t to_unix_ms(TimePoint t);
TimePoint from_unix_ms(std::int64_t ms);

// One open connection. Move-only; closes on destruction.
class Database {
 public:
  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens or creates `path` (":memory:" allowed), with extended result codes on.
  static Result<Database> open(const std::string& path);

  sqlite3* handle() const { return db_; }
  // Runs one or more SQL statements that return no rows of interest.
  Status exec(const char* sql, std::string_view context);
  // Runs a statement whose first column of its first row is an integer (a PRAGMA, a count).
  Result<std::int64_t> query_int(const char* sql, std::string_view context);
  // The same for text.
  Result<std::string> query_text(const char* sql, std::string_view context);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;

  // Transaction nesting depth, maintained by Transaction.
  int depth() const { return depth_; }

 private:
  friend class Transaction;
  sqlite3* db_ = nullptr;
  int depth_ = 0;
};

// One prepared statement. Binding is sticky-checked: the first bind failure is reported by the
// next step(). Move-only; finalizes on destruction.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  static Result<Statement> prepare(Database& db, std::string_view sql, std::string_view context);

  // Parameters are 1-based, as in SQL (?1, ?2, …). An empty optional binds NULL.
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, std::int64_t{value ? 1 : 0}); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);

  // Advances: true when a row is available, false when done.
  Result<bool> step();
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
  Status run();
  // Makes the statement reusable: resets it and clears its bindings.
  void reset();

  // Columns are 0-based, as in SQLite's API.
  bool is_null(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  double real(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  void note_bind(int rc);
  sqlite3_stmt* stmt_ = nullptr;
  std::string context_;
  int bind_error_ = SQLITE_OK;
};

// A transaction guard. The outermost one is BEGIN IMMEDIATE … COMMIT (so the write lock is taken
// up front and waits under the busy timeout); nested ones are SAVEPOINTs. Destroying an
// uncommitted guard rolls back what it covers. Guards must end in reverse order of beginning.
class Transaction {
 public:
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  static Result<Transaction> begin(Database& db);
  Status commit();

 private:
  Transaction(Database* db, int level) : db_(db), level_(level) {}
  void rollback();
  Database* db_ = nullptr;
  int level_ = 0;  // 0 for the outermost
};

}  // namespace mxclient::sqlite
