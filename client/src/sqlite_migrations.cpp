// The store's schema, as an ordered list of migrations. Each one runs in its own transaction
// together with the PRAGMA user_version bump that records it, so a database is always at
// exactly one version. Never edit a released migration: append a new one.
//
// Encodings: client-chosen times are INTEGER Unix milliseconds (*_ms columns); MX's timestamps
// are TEXT as MX sent them; dates are TEXT YYYY-MM-DD; booleans are INTEGER 0/1.

#include <string>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient {
namespace sqlite {
namespace {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// v1: every table, with the keys and constraints the store's semantics rely on.
constexpr const char* kV1 = R"sql(
PRAGMA application_id = 1297630028;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE end_users (
  app_user_id   TEXT PRIMARY KEY NOT NULL CHECK (app_user_id <> ''),
  user_guid     TEXT NOT NULL UNIQUE CHECK (user_guid <> ''),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (app_user_id, user_guid)
);

CREATE TABLE members (
  member_guid                   TEXT PRIMARY KEY NOT NULL CHECK (member_guid <> ''),
  user_guid                     TEXT NOT NULL,
  app_user_id                   TEXT NOT NULL,
  institution_code              TEXT NOT NULL,
  connection_status             TEXT NOT NULL,
  is_being_aggregated           INTEGER NOT NULL CHECK (is_being_aggregated IN (0, 1)),
  aggregated_at                 TEXT,
  successfully_aggregated_at    TEXT,
  successfully_aggregated_at_ms INTEGER,
  last_synced_at_ms             INTEGER,
  last_transaction_date         TEXT
    CHECK (last_transaction_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  watch_state                   TEXT NOT NULL
    CHECK (watch_state IN ('watching', 'settled', 'needs_user')),
  created_at_ms                 INTEGER NOT NULL,
  updated_at_ms                 INTEGER NOT NULL,
  FOREIGN KEY (app_user_id, user_guid) REFERENCES end_users (app_user_id, user_guid)
);

CREATE TABLE status_history (
  id                  INTEGER PRIMARY KEY,
  member_guid         TEXT NOT NULL REFERENCES members (member_guid) ON DELETE CASCADE,
  connection_status   TEXT NOT NULL,
  is_being_aggregated INTEGER NOT NULL CHECK (is_being_aggregated IN (0, 1)),
  observed_at_ms      INTEGER NOT NULL,
  source              TEXT NOT NULL CHECK (source IN ('poll', 'webhook', 'callback'))
);

CREATE TABLE refresh_attempts (
  id                 INTEGER PRIMARY KEY,
  member_guid        TEXT NOT NULL REFERENCES members (member_guid) ON DELETE CASCADE,
  attempted_at_ms    INTEGER NOT NULL,
  outcome            TEXT NOT NULL CHECK (outcome IN ('started', 'throttled', 'failed', 'skipped')),
  detail             TEXT NOT NULL,
  next_allowed_at_ms INTEGER
);

CREATE TABLE accounts (
  guid              TEXT PRIMARY KEY NOT NULL CHECK (guid <> ''),
  member_guid       TEXT NOT NULL REFERENCES members (member_guid) ON DELETE CASCADE,
  user_guid         TEXT NOT NULL,
  name              TEXT NOT NULL,
  type              TEXT NOT NULL,
  subtype           TEXT,
  balance           REAL NOT NULL,
  available_balance REAL,
  currency_code     TEXT NOT NULL,
  updated_at        TEXT
);

CREATE TABLE transactions (
  guid                 TEXT PRIMARY KEY NOT NULL CHECK (guid <> ''),
  account_guid         TEXT NOT NULL REFERENCES accounts (guid) ON DELETE CASCADE,
  member_guid          TEXT NOT NULL REFERENCES members (member_guid) ON DELETE CASCADE,
  user_guid            TEXT NOT NULL,
  amount               REAL NOT NULL,
  type                 TEXT NOT NULL CHECK (type IN ('CREDIT', 'DEBIT')),
  status               TEXT NOT NULL CHECK (status IN ('POSTED', 'PENDING')),
  date                 TEXT NOT NULL
    CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  description          TEXT NOT NULL,
  original_description TEXT NOT NULL,
  category             TEXT NOT NULL,
  top_level_category   TEXT NOT NULL,
  category_guid        TEXT,
  merchant_guid        TEXT,
  transacted_at        TEXT,
  posted_at            TEXT,
  updated_at           TEXT,
  app_category         TEXT NOT NULL
);

CREATE TABLE notifications (
  dedupe_key  TEXT PRIMARY KEY NOT NULL CHECK (dedupe_key <> ''),
  member_guid TEXT,
  app_user_id TEXT,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL,
  sent_at_ms  INTEGER NOT NULL,
  CHECK (member_guid IS NOT NULL OR app_user_id IS NOT NULL)
);

CREATE TABLE webhook_events (
  event_id       TEXT PRIMARY KEY NOT NULL CHECK (event_id <> ''),
  type           TEXT NOT NULL,
  member_guid    TEXT,
  payload        TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL
);
)sql";

// v2: indexes for the store's lookups (the foreign-key children, the per-member histories, the
// date-ordered transaction lists and the due-for-refresh scan).
constexpr const char* kV2 = R"sql(
CREATE INDEX members_by_user ON members (user_guid, member_guid);
CREATE INDEX members_by_success ON members (successfully_aggregated_at_ms);
CREATE INDEX status_history_by_member ON status_history (member_guid, observed_at_ms, id);
CREATE INDEX refresh_attempts_by_member ON refresh_attempts (member_guid, attempted_at_ms, id);
CREATE INDEX refresh_attempts_by_time ON refresh_attempts (attempted_at_ms);
CREATE INDEX accounts_by_member ON accounts (member_guid);
CREATE INDEX accounts_by_user ON accounts (user_guid);
CREATE INDEX transactions_by_account ON transactions (account_guid, date);
CREATE INDEX transactions_by_member ON transactions (member_guid, date);
CREATE INDEX transactions_by_user ON transactions (user_guid, date);
CREATE INDEX webhook_events_by_time ON webhook_events (received_at_ms);
)sql";

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "create the store's tables", kV1},
      {2, "index lookups", kV2},
  };
  return kMigrations;
}

}  // namespace

Status migrate(Database& db, int current_version, int target_version) {
  for (const Migration& m : migrations()) {
    if (m.version <= current_version) continue;  // no write lock for what is already done
    if (m.version > target_version) break;
    const std::string context =
        "migrate to schema v" + std::to_string(m.version) + " (" + m.description + ")";
    auto tx = Transaction::begin(db);
    if (!tx) return tx.error();
    // Read under the write lock: another process may have migrated since we last looked.
    auto current = db.query_int("PRAGMA user_version", context);
    if (!current) return current.error();
    if (*current >= m.version) continue;  // done already; the guard ends the transaction
    if (*current != m.version - 1) {
      return make_error(ErrorKind::kStorage,
                        context + ": the database is at v" + std::to_string(*current));
    }
    if (auto applied = db.exec(m.sql, context); !applied) return applied;
    const std::string bump = "PRAGMA user_version = " + std::to_string(m.version);
    if (auto bumped = db.exec(bump.c_str(), context); !bumped) return bumped;
    if (auto committed = tx->commit(); !committed) return committed;
  }
  return Done{};
}

}  // namespace sqlite

int latest_store_schema_version() { return sqlite::migrations().back().version; }

}  // namespace mxclient
