// The SQLite Store, synced data: accounts, transactions and the atomic member sync.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient::sqlite {
namespace {

// --- accounts ---------------------------------------------------------------------------------

constexpr const char* kAccountColumns =
    "guid, member_guid, user_guid, name, type, subtype, balance, available_balance, "
    "currency_code, updated_at";

MxAccount read_account(const Statement& s) {
  MxAccount a;
  a.guid = s.text(0);
  a.member_guid = s.text(1);
  a.user_guid = s.text(2);
  a.name = s.text(3);
  a.type = s.text(4);
  a.subtype = s.optional_text(5);
  a.balance = s.real(6);
  a.available_balance = s.optional_real(7);
  a.currency_code = s.text(8);
  a.updated_at = s.optional_text(9);
  return a;
}

// The DO UPDATE's WHERE makes an identical row a no-op, so changes() tells "updated" from
// "unchanged".
constexpr const char* kUpsertAccountSql =
    "INSERT INTO accounts (guid, member_guid, user_guid, name, type, subtype, balance, "
    "available_balance, currency_code, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (guid) DO UPDATE SET member_guid = excluded.member_guid, "
    "user_guid = excluded.user_guid, name = excluded.name, type = excluded.type, "
    "subtype = excluded.subtype, balance = excluded.balance, "
    "available_balance = excluded.available_balance, currency_code = excluded.currency_code, "
    "updated_at = excluded.updated_at "
    "WHERE (member_guid, user_guid, name, type, subtype, balance, available_balance, "
    "currency_code, updated_at) IS NOT (excluded.member_guid, excluded.user_guid, "
    "excluded.name, excluded.type, excluded.subtype, excluded.balance, "
    "excluded.available_balance, excluded.currency_code, excluded.updated_at)";

void bind_account(Statement& s, const MxAccount& a) {
  s.bind(1, a.guid)
      .bind(2, a.member_guid)
      .bind(3, a.user_guid)
      .bind(4, a.name)
      .bind(5, a.type)
      .bind(6, a.subtype)
      .bind(7, a.balance)
      .bind(8, a.available_balance)
      .bind(9, a.currency_code)
      .bind(10, a.updated_at);
}

// --- transactions -----------------------------------------------------------------------------

constexpr const char* kTransactionColumns =
    "guid, account_guid, member_guid, user_guid, amount, type, status, date, description, "
    "original_description, category, top_level_category, category_guid, merchant_guid, "
    "transacted_at, posted_at, updated_at, app_category";

TransactionRecord read_transaction(const Statement& s) {
  TransactionRecord r;
  MxTransaction& t = r.transaction;
  t.guid = s.text(0);
  t.account_guid = s.text(1);
  t.member_guid = s.text(2);
  t.user_guid = s.text(3);
  t.amount = s.real(4);
  t.type = s.text(5);
  t.status = s.text(6);
  t.date = s.text(7);
  t.description = s.text(8);
  t.original_description = s.text(9);
  t.category = s.text(10);
  t.top_level_category = s.text(11);
  t.category_guid = s.optional_text(12);
  t.merchant_guid = s.optional_text(13);
  t.transacted_at = s.optional_text(14);
  t.posted_at = s.optional_text(15);
  t.updated_at = s.optional_text(16);
  r.app_category = s.text(17);
  return r;
}

// Updates in place (PENDING → POSTED keeps the row), except that a POSTED row is never taken
// back to PENDING by a stale page; an identical row is a no-op.
constexpr const char* kUpsertTransactionSql =
    "INSERT INTO transactions (guid, account_guid, member_guid, user_guid, amount, type, status, "
    "date, description, original_description, category, top_level_category, category_guid, "
    "merchant_guid, transacted_at, posted_at, updated_at, app_category) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
    "ON CONFLICT (guid) DO UPDATE SET account_guid = excluded.account_guid, "
    "member_guid = excluded.member_guid, user_guid = excluded.user_guid, "
    "amount = excluded.amount, type = excluded.type, status = excluded.status, "
    "date = excluded.date, description = excluded.description, "
    "original_description = excluded.original_description, category = excluded.category, "
    "top_level_category = excluded.top_level_category, category_guid = excluded.category_guid, "
    "merchant_guid = excluded.merchant_guid, transacted_at = excluded.transacted_at, "
    "posted_at = excluded.posted_at, updated_at = excluded.updated_at, "
    "app_category = excluded.app_category "
    "WHERE NOT (transactions.status = 'POSTED' AND excluded.status = 'PENDING') "
    "AND (account_guid, member_guid, user_guid, amount, type, status, date, description, "
    "original_description, category, top_level_category, category_guid, merchant_guid, "
    "transacted_at, posted_at, updated_at, app_category) IS NOT (excluded.account_guid, "
    "excluded.member_guid, excluded.user_guid, excluded.amount, excluded.type, excluded.status, "
    "excluded.date, excluded.description, excluded.original_description, excluded.category, "
    "excluded.top_level_category, excluded.category_guid, excluded.merchant_guid, "
    "excluded.transacted_at, excluded.posted_at, excluded.updated_at, excluded.app_category)";

void bind_transaction(Statement& s, const TransactionRecord& r) {
  const MxTransaction& t = r.transaction;
  s.bind(1, t.guid)
      .bind(2, t.account_guid)
      .bind(3, t.member_guid)
      .bind(4, t.user_guid)
      .bind(5, t.amount)
      .bind(6, t.type)
      .bind(7, t.status)
      .bind(8, t.date)
      .bind(9, t.description)
      .bind(10, t.original_description)
      .bind(11, t.category)
      .bind(12, t.top_level_category)
      .bind(13, t.category_guid)
      .bind(14, t.merchant_guid)
      .bind(15, t.transacted_at)
      .bind(16, t.posted_at)
      .bind(17, t.updated_at)
      .bind(18, r.app_category);
}

constexpr const char* kTransactionFilter =
    "WHERE (?1 IS NULL OR user_guid = ?1) AND (?2 IS NULL OR member_guid = ?2) "
    "AND (?3 IS NULL OR account_guid = ?3) AND (?4 IS NULL OR date >= ?4) "
    "AND (?5 IS NULL OR date <= ?5) AND (?6 IS NULL OR status = ?6)";

void bind_transaction_query(Statement& s, const TransactionQuery& q) {
  s.bind(1, q.user_guid)
      .bind(2, q.member_guid)
      .bind(3, q.account_guid)
      .bind(4, q.from_date)
      .bind(5, q.to_date)
      .bind(6, q.status);
}

// Runs a batch upsert of `rows`: for each row, whether its key exists, then the upsert; all
// inside the caller's transaction. Counts inserted / updated / unchanged rows.
template <class Row, class KeyOf, class Bind>
Result<UpsertCounts> upsert_rows(Database& db, const std::vector<Row>& rows, const char* table,
                                 const char* upsert_sql, KeyOf key_of, Bind bind) {
  const std::string context = std::string("upsert ") + table;
  auto exists =
      Statement::prepare(db, std::string("SELECT 1 FROM ") + table + " WHERE guid = ?1", context);
  if (!exists) return exists.error();
  auto upsert = Statement::prepare(db, upsert_sql, context);
  if (!upsert) return upsert.error();
  UpsertCounts counts;
  for (const Row& row : rows) {
    exists->reset();
    exists->bind(1, key_of(row));
    auto found = exists->step();
    if (!found) return found.error();
    exists->reset();
    upsert->reset();
    bind(*upsert, row);
    if (auto ran = upsert->run(); !ran) {
      Error error = ran.error();
      error.message += " [" + std::string(table) + " row " + key_of(row) + "]";
      return error;
    }
    if (!*found) {
      ++counts.inserted;
    } else if (db.changes() > 0) {
      ++counts.updated;
    } else {
      ++counts.unchanged;
    }
  }
  return counts;
}

}  // namespace

// --- accounts ---------------------------------------------------------------------------------

Result<UpsertCounts> SqliteStore::upsert_accounts_locked(const std::vector<MxAccount>& accounts) {
  return upsert_rows(
      db_, accounts, "accounts", kUpsertAccountSql,
      [](const MxAccount& a) -> const std::string& { return a.guid; }, bind_account);
}

Result<UpsertCounts> SqliteStore::upsert_accounts(const std::vector<MxAccount>& accounts) {
  Lock lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto counts = upsert_accounts_locked(accounts);
  if (!counts) return counts;
  if (auto committed = tx->commit(); !committed) return committed.error();
  return counts;
}

Result<std::optional<MxAccount>> SqliteStore::find_account(const std::string& guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, select_sql(kAccountColumns, "accounts", "WHERE guid = ?1"),
                              "find_account");
  if (!s) return s.error();
  s->bind(1, guid);
  return read_one<MxAccount>(*s, read_account);
}

Result<std::vector<MxAccount>> SqliteStore::list_accounts_by_member(
    const std::string& member_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, select_sql(kAccountColumns, "accounts", "WHERE member_guid = ?1 ORDER BY guid"),
      "list_accounts_by_member");
  if (!s) return s.error();
  s->bind(1, member_guid);
  return read_all<MxAccount>(*s, read_account);
}

Result<std::vector<MxAccount>> SqliteStore::list_accounts_by_user(const std::string& user_guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, select_sql(kAccountColumns, "accounts", "WHERE user_guid = ?1 ORDER BY guid"),
      "list_accounts_by_user");
  if (!s) return s.error();
  s->bind(1, user_guid);
  return read_all<MxAccount>(*s, read_account);
}

// --- transactions -----------------------------------------------------------------------------

Result<UpsertCounts> SqliteStore::upsert_transactions_locked(
    const std::vector<TransactionRecord>& transactions) {
  return upsert_rows(
      db_, transactions, "transactions", kUpsertTransactionSql,
      [](const TransactionRecord& r) -> const std::string& { return r.transaction.guid; },
      bind_transaction);
}

Result<UpsertCounts> SqliteStore::upsert_transactions(
    const std::vector<TransactionRecord>& transactions) {
  Lock lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto counts = upsert_transactions_locked(transactions);
  if (!counts) return counts;
  if (auto committed = tx->commit(); !committed) return committed.error();
  return counts;
}

Result<std::optional<TransactionRecord>> SqliteStore::find_transaction(const std::string& guid) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, select_sql(kTransactionColumns, "transactions", "WHERE guid = ?1"), "find_transaction");
  if (!s) return s.error();
  s->bind(1, guid);
  return read_one<TransactionRecord>(*s, read_transaction);
}

Result<std::vector<TransactionRecord>> SqliteStore::list_transactions(const TransactionQuery& q) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              std::string("SELECT ") + kTransactionColumns + " FROM transactions " +
                                  kTransactionFilter + " ORDER BY date, guid",
                              "list_transactions");
  if (!s) return s.error();
  bind_transaction_query(*s, q);
  return read_all<TransactionRecord>(*s, read_transaction);
}

Result<std::int64_t> SqliteStore::count_transactions(const TransactionQuery& q) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, std::string("SELECT count(*) FROM transactions ") + kTransactionFilter,
      "count_transactions");
  if (!s) return s.error();
  bind_transaction_query(*s, q);
  return read_count(*s);
}

// --- sync -------------------------------------------------------------------------------------

Result<SyncCounts> SqliteStore::apply_sync(const SyncBatch& batch) {
  const std::string context = "apply_sync " + batch.member_guid;
  std::optional<std::string> latest_date;
  for (const MxAccount& a : batch.accounts) {
    if (a.member_guid != batch.member_guid) {
      return make_error(ErrorKind::kInvalidInput,
                        context + ": account " + a.guid + " belongs to member " + a.member_guid);
    }
  }
  for (const TransactionRecord& r : batch.transactions) {
    if (r.transaction.member_guid != batch.member_guid) {
      return make_error(ErrorKind::kInvalidInput, context + ": transaction " + r.transaction.guid +
                                                      " belongs to member " +
                                                      r.transaction.member_guid);
    }
    if (!latest_date || *latest_date < r.transaction.date) latest_date = r.transaction.date;
  }

  Lock lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto member = find_member(batch.member_guid);
  if (!member) return member.error();
  if (!*member) return make_error(ErrorKind::kNotFound, context + ": the member is not stored");

  SyncCounts counts;
  auto accounts = upsert_accounts_locked(batch.accounts);
  if (!accounts) return accounts.error();
  counts.accounts = *accounts;
  auto transactions = upsert_transactions_locked(batch.transactions);
  if (!transactions) return transactions.error();
  counts.transactions = *transactions;

  auto s = Statement::prepare(
      db_,
      "UPDATE members SET last_synced_at_ms = ?2, updated_at_ms = ?2, "
      "last_transaction_date = CASE WHEN ?3 IS NOT NULL AND (last_transaction_date IS NULL "
      "OR last_transaction_date < ?3) THEN ?3 ELSE last_transaction_date END "
      "WHERE member_guid = ?1",
      context);
  if (!s) return s.error();
  s->bind(1, batch.member_guid).bind(2, to_unix_ms(batch.synced_at)).bind(3, latest_date);
  if (auto ran = s->run(); !ran) return ran.error();
  if (auto committed = tx->commit(); !committed) return committed.error();
  return counts;
}

}  // namespace mxclient::sqlite
