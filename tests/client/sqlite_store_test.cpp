// The SQLite Store: every table round-trips, the upsert and dedupe rules hold, batches are
// atomic, and the schema migrates forward (and refuses a database from the future). File tests
// use a fresh directory under the system temp dir, removed afterwards; the rest use ":memory:".

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mxclient/store.h"

namespace mxclient {
namespace {

namespace fs = std::filesystem;

TimePoint at(std::int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

// A unique directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info != nullptr ? info->name() : "store";
    for (int i = 0; i < 100 && path_.empty(); ++i) {
      fs::path candidate =
          fs::temp_directory_path() /
          ("mxclient_store_" + test + "_" + std::to_string(rd()) + "_" + std::to_string(rd()));
      std::error_code ec;
      if (fs::create_directory(candidate, ec)) path_ = candidate;
    }
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  bool ok() const { return !path_.empty(); }

 private:
  fs::path path_;
};

// A raw SQLite connection, to build or inspect databases behind the Store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  bool exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(stmt, 0);
      out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  std::int64_t integer(const std::string& sql) { return std::stoll(text(sql)); }

 private:
  sqlite3* db_ = nullptr;
};

std::unique_ptr<Store> open_or_die(const std::string& path,
                                   const SqliteStoreOptions& options = {}) {
  auto store = open_sqlite_store(path, options);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

EndUserRecord user(const std::string& app_id, const std::string& guid, std::int64_t t = 1000) {
  return EndUserRecord{app_id, guid, at(t)};
}

MemberRecord member(const std::string& guid, const std::string& user_guid,
                    const std::string& app_user_id = "") {
  MemberRecord m;
  m.member_guid = guid;
  m.user_guid = user_guid;
  m.app_user_id = app_user_id;
  m.institution_code = "mxbank";
  m.connection_status = "CREATED";
  m.is_being_aggregated = true;
  m.created_at = at(2000);
  m.updated_at = at(2000);
  return m;
}

MxAccount account(const std::string& guid, const std::string& member_guid,
                  const std::string& user_guid = "USR-1") {
  MxAccount a;
  a.guid = guid;
  a.member_guid = member_guid;
  a.user_guid = user_guid;
  a.name = "Checking " + guid;
  a.type = "CHECKING";
  a.balance = 1234.5;
  return a;
}

TransactionRecord txn(const std::string& guid, const std::string& account_guid,
                      const std::string& date, const std::string& status = "POSTED",
                      const std::string& member_guid = "MBR-1") {
  TransactionRecord r;
  MxTransaction& t = r.transaction;
  t.guid = guid;
  t.account_guid = account_guid;
  t.member_guid = member_guid;
  t.user_guid = "USR-1";
  t.amount = 12.34;
  t.type = "DEBIT";
  t.status = status;
  t.date = date;
  t.description = "Grocery Store";
  t.original_description = "GROCERY STORE #123";
  t.category = "Groceries";
  t.top_level_category = "Food & Dining";
  r.app_category = "food";
  return r;
}

// An in-memory store with end user app-1/USR-1, member MBR-1 and account ACT-1.
class SeededStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(":memory:");
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->upsert_end_user(user("app-1", "USR-1")).ok());
    ASSERT_TRUE(store_->upsert_member(member("MBR-1", "USR-1")).ok());
    ASSERT_TRUE(store_->upsert_accounts({account("ACT-1", "MBR-1")}).ok());
  }
  std::int64_t count(const TransactionQuery& q = {}) {
    auto n = store_->count_transactions(q);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }
  std::unique_ptr<Store> store_;
};

// --- opening ----------------------------------------------------------------------------------

TEST(SqliteStoreOpen, InMemoryStoreIsAtTheLatestVersion) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  auto v = store->schema_version();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, latest_store_schema_version());
  EXPECT_GE(latest_store_schema_version(), 2);
}

TEST(SqliteStoreOpen, FileStoreUsesWalAndPersistsAcrossReopen) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("store.db");
  {
    auto store = open_or_die(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
    ASSERT_TRUE(store->set_meta("cursor", "42").ok());
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.integer("PRAGMA user_version"), latest_store_schema_version());
  }
  auto store = open_or_die(path);
  ASSERT_NE(store, nullptr);
  auto found = store->find_end_user_by_app_id("app-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user_guid, "USR-1");
  auto meta = store->get_meta("cursor");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->value_or(""), "42");
}

TEST(SqliteStoreOpen, ForeignKeysAreEnforced) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  // No end user USR-9 exists, so the member cannot reference it.
  auto s = store->upsert_member(member("MBR-9", "USR-9", "app-9"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kStorage);
  EXPECT_NE(s.error().message.find("FOREIGN KEY"), std::string::npos) << s.error().message;
}

TEST(SqliteStoreOpen, DatabaseFromTheFutureIsRefusedAndLeftAlone) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("future.db");
  {
    RawDb raw(path);
    ASSERT_TRUE(
        raw.exec("PRAGMA application_id = 1297630028; PRAGMA user_version = 99; "
                 "CREATE TABLE from_the_future (x INTEGER);"));
  }
  auto store = open_sqlite_store(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kStorage);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
  RawDb raw(path);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 99);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "delete");  // not switched to WAL either
}

TEST(SqliteStoreOpen, NonDatabaseFileFailsCleanly) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 200; ++i) out << "this is not an sqlite database\n";
  }
  auto store = open_sqlite_store(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kStorage);
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

TEST(SqliteStoreOpen, AnotherProgramsDatabaseIsRefused) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("other.db");
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.exec("CREATE TABLE users (id INTEGER PRIMARY KEY)"));
  }
  auto store = open_sqlite_store(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kStorage);
  EXPECT_NE(store.error().message.find("not an mxclient store"), std::string::npos)
      << store.error().message;
}

TEST(SqliteStoreOpen, UnopenablePathFailsCleanly) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto store = open_sqlite_store(dir.file("no/such/dir/store.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kStorage);
  EXPECT_FALSE(store.error().message.empty());
}

TEST(SqliteStoreOpen, UnknownRequestedSchemaVersionIsInvalidInput) {
  for (int v : {-1, latest_store_schema_version() + 1}) {
    SqliteStoreOptions options;
    options.schema_version = v;
    auto store = open_sqlite_store(":memory:", options);
    ASSERT_FALSE(store.ok()) << v;
    EXPECT_EQ(store.error().kind, ErrorKind::kInvalidInput);
  }
}

// --- migrations -------------------------------------------------------------------------------

TEST(SqliteStoreMigration, V1DatabaseMigratesToLatestKeepingItsData) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("v1.db");
  {
    SqliteStoreOptions v1;
    v1.schema_version = 1;
    auto store = open_or_die(path, v1);
    ASSERT_NE(store, nullptr);
    auto v = store->schema_version();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, 1);
    ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
    MemberRecord m = member("MBR-1", "USR-1");
    m.successfully_aggregated_at = "2026-01-01T00:00:00Z";
    ASSERT_TRUE(store->upsert_member(m).ok());
    ASSERT_TRUE(store->upsert_accounts({account("ACT-1", "MBR-1")}).ok());
    ASSERT_TRUE(store->upsert_transactions({txn("TRN-1", "ACT-1", "2026-01-01")}).ok());
    ASSERT_TRUE(
        store->record_status({"MBR-1", "CONNECTED", false, at(5000), StatusSource::kPoll}).ok());
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 1);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                          "name = 'transactions_by_member'"),
              0);
  }
  // A store built at v1 cannot be asked for less than it has, nor is it touched by that.
  {
    auto reopened = open_sqlite_store(path);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    auto v = (*reopened)->schema_version();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, latest_store_schema_version());
    auto tx = (*reopened)->find_transaction("TRN-1");
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->has_value());
    EXPECT_EQ((*tx)->app_category, "food");
    auto m = (*reopened)->find_member("MBR-1");
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE(m->has_value());
    EXPECT_EQ((*m)->successfully_aggregated_at.value_or(""), "2026-01-01T00:00:00Z");
    auto history = (*reopened)->list_status_history("MBR-1");
    ASSERT_TRUE(history.ok());
    EXPECT_EQ(history->size(), 1U);
    // The migrated store still works: the due query uses data written at v1.
    auto due = (*reopened)->list_members_due_for_refresh(at(1767225600 + 1));
    ASSERT_TRUE(due.ok());
    EXPECT_EQ(due->size(), 1U);
  }
  RawDb raw(path);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), latest_store_schema_version());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                        "name = 'transactions_by_member'"),
            1);
}

TEST(SqliteStoreMigration, AskingForAnOlderVersionThanTheDatabaseHasFails) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("v2.db");
  ASSERT_NE(open_or_die(path), nullptr);
  SqliteStoreOptions v1;
  v1.schema_version = 1;
  auto store = open_sqlite_store(path, v1);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kInvalidInput);
}

TEST(SqliteStoreMigration, ReopeningTheLatestVersionIsANoOp) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("latest.db");
  ASSERT_NE(open_or_die(path), nullptr);
  ASSERT_NE(open_or_die(path), nullptr);
  RawDb raw(path);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), latest_store_schema_version());
}

TEST(SqliteStoreMigration, ConcurrentFirstOpensOfOneFileMigrateItOnce) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("race.db");
  constexpr int kOpeners = 4;
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  threads.reserve(kOpeners);
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto store = open_sqlite_store(path);
      if (!store.ok()) {
        errors[static_cast<std::size_t>(i)] = store.error().message;
        return;
      }
      auto set = (*store)->set_meta("opener" + std::to_string(i), "ok");
      if (!set.ok()) errors[static_cast<std::size_t>(i)] = set.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  RawDb raw(path);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), latest_store_schema_version());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM meta"), kOpeners);
}

// --- end users --------------------------------------------------------------------------------

TEST(SqliteStoreEndUsers, RoundTripByEitherId) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-2", "USR-2", 20)).ok());
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1", 10)).ok());

  auto by_app = store->find_end_user_by_app_id("app-1");
  ASSERT_TRUE(by_app.ok());
  ASSERT_TRUE(by_app->has_value());
  EXPECT_EQ((*by_app)->user_guid, "USR-1");
  EXPECT_EQ((*by_app)->created_at, at(10));

  auto by_guid = store->find_end_user_by_guid("USR-2");
  ASSERT_TRUE(by_guid.ok());
  ASSERT_TRUE(by_guid->has_value());
  EXPECT_EQ((*by_guid)->app_user_id, "app-2");

  auto missing = store->find_end_user_by_guid("USR-404");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto all = store->list_end_users();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].app_user_id, "app-1");
  EXPECT_EQ((*all)[1].app_user_id, "app-2");
}

TEST(SqliteStoreEndUsers, UpsertKeepsCreatedAtAndGuardsTheMapping) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1", 10)).ok());
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1", 99)).ok());  // idempotent
  auto found = store->find_end_user_by_app_id("app-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->created_at, at(10));

  // Re-pointing an app user at a new MX user (its old one had no members) is allowed.
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1b", 99)).ok());
  found = store->find_end_user_by_guid("USR-1b");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->app_user_id, "app-1");
  EXPECT_EQ((*found)->created_at, at(10));

  // One MX user cannot belong to two app users.
  auto clash = store->upsert_end_user(user("app-2", "USR-1b"));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().kind, ErrorKind::kStorage);
  EXPECT_NE(clash.error().message.find("UNIQUE"), std::string::npos) << clash.error().message;

  // Nor can the mapping move away from a user whose members are stored.
  ASSERT_TRUE(store->upsert_member(member("MBR-1", "USR-1b")).ok());
  auto orphaning = store->upsert_end_user(user("app-1", "USR-1c"));
  ASSERT_FALSE(orphaning.ok());
  EXPECT_EQ(orphaning.error().kind, ErrorKind::kStorage);

  auto empty = store->upsert_end_user(user("", "USR-x"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, ErrorKind::kStorage);
}

// --- members ----------------------------------------------------------------------------------

TEST(SqliteStoreMembers, RoundTripEveryField) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
  MemberRecord m = member("MBR-1", "USR-1");  // app_user_id left empty: filled from end_users
  m.connection_status = "CONNECTED";
  m.is_being_aggregated = false;
  m.aggregated_at = "2026-03-01T10:00:00.000Z";
  m.successfully_aggregated_at = "2026-03-01T10:00:05.000Z";
  m.last_synced_at = at(1772359300) + std::chrono::milliseconds(123);
  m.last_transaction_date = "2026-02-28";
  m.watch_state = WatchState::kSettled;
  ASSERT_TRUE(store->upsert_member(m).ok());

  auto found = store->find_member("MBR-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const MemberRecord& f = **found;
  EXPECT_EQ(f.member_guid, "MBR-1");
  EXPECT_EQ(f.user_guid, "USR-1");
  EXPECT_EQ(f.app_user_id, "app-1");
  EXPECT_EQ(f.institution_code, "mxbank");
  EXPECT_EQ(f.connection_status, "CONNECTED");
  EXPECT_FALSE(f.is_being_aggregated);
  EXPECT_EQ(f.aggregated_at, m.aggregated_at);
  EXPECT_EQ(f.successfully_aggregated_at, m.successfully_aggregated_at);
  EXPECT_EQ(f.last_synced_at, m.last_synced_at);
  EXPECT_EQ(f.last_transaction_date, m.last_transaction_date);
  EXPECT_EQ(f.watch_state, WatchState::kSettled);
  EXPECT_EQ(f.created_at, at(2000));
  EXPECT_EQ(f.updated_at, at(2000));

  // An update replaces the fields (nulls included) but keeps created_at.
  MemberRecord changed = m;
  changed.connection_status = "";  // MX sent null
  changed.is_being_aggregated = true;
  changed.aggregated_at.reset();
  changed.successfully_aggregated_at.reset();
  changed.last_synced_at.reset();
  changed.last_transaction_date.reset();
  changed.watch_state = WatchState::kNeedsUser;
  changed.created_at = at(9999);
  changed.updated_at = at(3000);
  ASSERT_TRUE(store->upsert_member(changed).ok());
  found = store->find_member("MBR-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->connection_status, "");
  EXPECT_TRUE((*found)->is_being_aggregated);
  EXPECT_FALSE((*found)->aggregated_at.has_value());
  EXPECT_FALSE((*found)->successfully_aggregated_at.has_value());
  EXPECT_FALSE((*found)->last_synced_at.has_value());
  EXPECT_FALSE((*found)->last_transaction_date.has_value());
  EXPECT_EQ((*found)->watch_state, WatchState::kNeedsUser);
  EXPECT_EQ((*found)->created_at, at(2000));
  EXPECT_EQ((*found)->updated_at, at(3000));

  auto missing = store->find_member("MBR-404");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(SqliteStoreMembers, ListAllAndByUser) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
  ASSERT_TRUE(store->upsert_end_user(user("app-2", "USR-2")).ok());
  ASSERT_TRUE(store->upsert_member(member("MBR-b", "USR-1")).ok());
  ASSERT_TRUE(store->upsert_member(member("MBR-a", "USR-1")).ok());
  ASSERT_TRUE(store->upsert_member(member("MBR-c", "USR-2", "app-2")).ok());

  auto all = store->list_members();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].member_guid, "MBR-a");
  EXPECT_EQ((*all)[2].member_guid, "MBR-c");

  auto mine = store->list_members_by_user("USR-1");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2U);
  EXPECT_EQ((*mine)[0].member_guid, "MBR-a");
  EXPECT_EQ((*mine)[1].member_guid, "MBR-b");
  EXPECT_EQ((*mine)[1].app_user_id, "app-1");

  auto none = store->list_members_by_user("USR-404");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(SqliteStoreMembers, MismatchedAppUserIdOrBadTimestampIsRefused) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
  ASSERT_TRUE(store->upsert_end_user(user("app-2", "USR-2")).ok());
  auto mismatched = store->upsert_member(member("MBR-1", "USR-1", "app-2"));
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().kind, ErrorKind::kStorage);

  for (const char* bad : {"yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-01-01T00:00:00Q", "2026-01-01T00:00:00.Z", ""}) {
    MemberRecord m = member("MBR-1", "USR-1");
    m.successfully_aggregated_at = bad;
    auto s = store->upsert_member(m);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput) << bad;
  }
  auto none = store->list_members();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(SqliteStoreMembers, DueForRefreshUsesTheCutoffAndSkipsMembersNeedingTheUser) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->upsert_end_user(user("app-1", "USR-1")).ok());
  auto add = [&](const std::string& guid, std::optional<std::string> success, WatchState state) {
    MemberRecord m = member(guid, "USR-1");
    m.successfully_aggregated_at = std::move(success);
    m.watch_state = state;
    ASSERT_TRUE(store->upsert_member(m).ok()) << guid;
  };
  // The cutoff: 2026-03-01T00:00:00Z.
  const TimePoint cutoff = at(1772323200);
  add("MBR-never", std::nullopt, WatchState::kWatching);
  add("MBR-old", "2026-02-27T12:00:00.000Z", WatchState::kSettled);
  add("MBR-older", "2026-02-20T00:00:00Z", WatchState::kSettled);
  add("MBR-offset", "2026-03-01T00:30:00+01:00", WatchState::kSettled);  // 23:30Z, before cutoff
  add("MBR-exact", "2026-03-01T00:00:00Z", WatchState::kSettled);        // not strictly before
  add("MBR-fresh", "2026-03-01T06:00:00.5Z", WatchState::kSettled);
  add("MBR-stuck", "2026-01-01T00:00:00Z", WatchState::kNeedsUser);
  add("MBR-stuck-never", std::nullopt, WatchState::kNeedsUser);

  auto due = store->list_members_due_for_refresh(cutoff);
  ASSERT_TRUE(due.ok()) << due.error().message;
  std::vector<std::string> guids;
  for (const auto& m : *due) guids.push_back(m.member_guid);
  EXPECT_EQ(guids, (std::vector<std::string>{"MBR-never", "MBR-older", "MBR-old", "MBR-offset"}));

  auto later = store->list_members_due_for_refresh(cutoff + std::chrono::hours(24));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 6U);
}

TEST_F(SeededStore, DeleteMemberCascadesToItsRows) {
  ASSERT_TRUE(store_->upsert_transactions({txn("TRN-1", "ACT-1", "2026-01-01")}).ok());
  ASSERT_TRUE(
      store_->record_status({"MBR-1", "CONNECTED", false, at(1), StatusSource::kPoll}).ok());
  ASSERT_TRUE(
      store_->record_refresh_attempt({"MBR-1", at(1), RefreshOutcome::kStarted, "", {}}).ok());
  auto deleted = store_->delete_member("MBR-1");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(count(), 0);
  auto accounts = store_->list_accounts_by_member("MBR-1");
  ASSERT_TRUE(accounts.ok());
  EXPECT_TRUE(accounts->empty());
  auto history = store_->list_status_history("MBR-1");
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
  auto attempts = store_->list_refresh_attempts("MBR-1");
  ASSERT_TRUE(attempts.ok());
  EXPECT_TRUE(attempts->empty());
  auto again = store_->delete_member("MBR-1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

// --- status history ---------------------------------------------------------------------------

TEST_F(SeededStore, StatusHistoryRoundTripsAndSkipsIdenticalConsecutiveObservations) {
  auto record = [&](const std::string& status, bool aggregating, std::int64_t t,
                    StatusSource source) {
    auto r = store_->record_status({"MBR-1", status, aggregating, at(t), source});
    EXPECT_TRUE(r.ok());
    return r.ok() && *r;
  };
  EXPECT_TRUE(record("CREATED", true, 10, StatusSource::kCallback));
  EXPECT_FALSE(record("CREATED", true, 13, StatusSource::kPoll));   // same again: skipped
  EXPECT_TRUE(record("CONNECTED", true, 16, StatusSource::kPoll));  // aggregating differs
  EXPECT_TRUE(record("CONNECTED", false, 19, StatusSource::kPoll));
  EXPECT_FALSE(record("CONNECTED", false, 22, StatusSource::kWebhook));  // any source
  EXPECT_TRUE(record("CHALLENGED", false, 30, StatusSource::kWebhook));
  EXPECT_TRUE(record("CONNECTED", false, 40, StatusSource::kPoll));  // back again: recorded

  auto history = store_->list_status_history("MBR-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 5U);
  EXPECT_EQ((*history)[0].connection_status, "CREATED");
  EXPECT_TRUE((*history)[0].is_being_aggregated);
  EXPECT_EQ((*history)[0].source, StatusSource::kCallback);
  EXPECT_EQ((*history)[0].observed_at, at(10));
  EXPECT_EQ((*history)[3].connection_status, "CHALLENGED");
  EXPECT_EQ((*history)[3].source, StatusSource::kWebhook);
  EXPECT_EQ((*history)[4].observed_at, at(40));

  auto latest = store_->latest_status("MBR-1");
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->connection_status, "CONNECTED");
  EXPECT_EQ((*latest)->observed_at, at(40));

  auto none = store_->latest_status("MBR-404");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto unknown = store_->record_status({"MBR-404", "CONNECTED", false, at(1), StatusSource::kPoll});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kStorage);
}

// --- refresh attempts -------------------------------------------------------------------------

TEST_F(SeededStore, RefreshAttemptsRoundTripCountInAWindowAndReportTheLast) {
  ASSERT_TRUE(store_->upsert_member(member("MBR-2", "USR-1")).ok());
  const std::vector<RefreshAttempt> attempts = {
      {"MBR-1", at(100), RefreshOutcome::kStarted, "202", at(100 + 3 * 3600)},
      {"MBR-1", at(200), RefreshOutcome::kThrottled, "202 throttled", std::nullopt},
      {"MBR-1", at(300), RefreshOutcome::kFailed, "HTTP 500", at(400)},
      {"MBR-2", at(250), RefreshOutcome::kSkipped, "cap reached", std::nullopt},
  };
  for (const auto& a : attempts) ASSERT_TRUE(store_->record_refresh_attempt(a).ok());

  auto listed = store_->list_refresh_attempts("MBR-1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3U);
  EXPECT_EQ((*listed)[0].outcome, RefreshOutcome::kStarted);
  EXPECT_EQ((*listed)[0].detail, "202");
  EXPECT_EQ((*listed)[0].next_allowed_at, at(100 + 3 * 3600));
  EXPECT_FALSE((*listed)[1].next_allowed_at.has_value());
  EXPECT_EQ((*listed)[2].attempted_at, at(300));

  auto count = [&](const RefreshAttemptQuery& q) {
    auto n = store_->count_refresh_attempts(q);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  };
  RefreshAttemptQuery q;
  q.member_guid = "MBR-1";
  EXPECT_EQ(count(q), 3);
  q.from = at(200);
  q.to = at(300);  // [200, 300)
  EXPECT_EQ(count(q), 1);
  q.outcome = RefreshOutcome::kStarted;
  EXPECT_EQ(count(q), 0);
  RefreshAttemptQuery global;
  global.from = at(200);
  EXPECT_EQ(count(global), 3);  // every member
  global.outcome = RefreshOutcome::kSkipped;
  EXPECT_EQ(count(global), 1);

  auto last = store_->last_refresh_attempt("MBR-1");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->outcome, RefreshOutcome::kFailed);
  EXPECT_EQ((*last)->next_allowed_at, at(400));
  auto none = store_->last_refresh_attempt("MBR-404");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// --- accounts ---------------------------------------------------------------------------------

TEST_F(SeededStore, AccountsRoundTripAndUpsertByGuid) {
  ASSERT_TRUE(store_->upsert_end_user(user("app-2", "USR-2")).ok());
  ASSERT_TRUE(store_->upsert_member(member("MBR-2", "USR-2")).ok());
  MxAccount card = account("ACT-2", "MBR-1");
  card.type = "CREDIT_CARD";
  card.subtype = "REWARDS";
  card.balance = -50.25;
  card.available_balance = 949.75;
  card.currency_code = "CAD";
  card.updated_at = "2026-03-01T00:00:00Z";
  auto counts = store_->upsert_accounts({card, account("ACT-3", "MBR-2", "USR-2")});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->inserted, 2);

  auto found = store_->find_account("ACT-2");
  ASSERT_TRUE(found.ok() && found->has_value());
  const MxAccount& f = **found;
  EXPECT_EQ(f.member_guid, "MBR-1");
  EXPECT_EQ(f.user_guid, "USR-1");
  EXPECT_EQ(f.name, "Checking ACT-2");
  EXPECT_EQ(f.type, "CREDIT_CARD");
  EXPECT_EQ(f.subtype, card.subtype);
  EXPECT_DOUBLE_EQ(f.balance, -50.25);
  EXPECT_EQ(f.available_balance, card.available_balance);
  EXPECT_EQ(f.currency_code, "CAD");
  EXPECT_EQ(f.updated_at, card.updated_at);

  card.balance = 10;
  counts = store_->upsert_accounts({card, account("ACT-1", "MBR-1")});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->inserted, 0);
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->unchanged, 1);

  auto by_member = store_->list_accounts_by_member("MBR-1");
  ASSERT_TRUE(by_member.ok());
  ASSERT_EQ(by_member->size(), 2U);
  EXPECT_EQ((*by_member)[0].guid, "ACT-1");
  EXPECT_DOUBLE_EQ((*by_member)[1].balance, 10);
  auto by_user = store_->list_accounts_by_user("USR-2");
  ASSERT_TRUE(by_user.ok());
  ASSERT_EQ(by_user->size(), 1U);
  EXPECT_EQ((*by_user)[0].guid, "ACT-3");

  auto orphan = store_->upsert_accounts({account("ACT-9", "MBR-404")});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().kind, ErrorKind::kStorage);
  EXPECT_NE(orphan.error().message.find("ACT-9"), std::string::npos) << orphan.error().message;
}

// --- transactions -----------------------------------------------------------------------------

TEST_F(SeededStore, TransactionsRoundTripEveryField) {
  TransactionRecord r = txn("TRN-1", "ACT-1", "2026-02-03");
  MxTransaction& t = r.transaction;
  t.type = "CREDIT";
  t.amount = 1500.01;
  t.category_guid = "CAT-1";
  t.merchant_guid = "MCH-1";
  t.transacted_at = "2026-02-03T12:00:00Z";
  t.posted_at = "2026-02-04T12:00:00Z";
  t.updated_at = "2026-02-04T12:00:01Z";
  r.app_category = "income";
  ASSERT_TRUE(store_->upsert_transactions({r}).ok());

  auto found = store_->find_transaction("TRN-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const MxTransaction& f = (*found)->transaction;
  EXPECT_EQ(f.guid, "TRN-1");
  EXPECT_EQ(f.account_guid, "ACT-1");
  EXPECT_EQ(f.member_guid, "MBR-1");
  EXPECT_EQ(f.user_guid, "USR-1");
  EXPECT_DOUBLE_EQ(f.amount, 1500.01);
  EXPECT_EQ(f.type, "CREDIT");
  EXPECT_EQ(f.status, "POSTED");
  EXPECT_EQ(f.date, "2026-02-03");
  EXPECT_EQ(f.description, "Grocery Store");
  EXPECT_EQ(f.original_description, "GROCERY STORE #123");
  EXPECT_EQ(f.category, "Groceries");
  EXPECT_EQ(f.top_level_category, "Food & Dining");
  EXPECT_EQ(f.category_guid, t.category_guid);
  EXPECT_EQ(f.merchant_guid, t.merchant_guid);
  EXPECT_EQ(f.transacted_at, t.transacted_at);
  EXPECT_EQ(f.posted_at, t.posted_at);
  EXPECT_EQ(f.updated_at, t.updated_at);
  EXPECT_EQ((*found)->app_category, "income");

  auto missing = store_->find_transaction("TRN-404");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SeededStore, PendingThenPostedUnderTheSameGuidUpdatesInPlace) {
  TransactionRecord pending = txn("TRN-1", "ACT-1", "2026-02-03", "PENDING");
  pending.transaction.amount = 10;
  auto counts = store_->upsert_transactions({pending});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->inserted, 1);

  TransactionRecord posted = txn("TRN-1", "ACT-1", "2026-02-04", "POSTED");
  posted.transaction.amount = 10.5;  // a tip settled
  posted.transaction.posted_at = "2026-02-04T08:00:00Z";
  counts = store_->upsert_transactions({posted});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->inserted, 0);
  EXPECT_EQ(counts->updated, 1);

  EXPECT_EQ(count(), 1);
  auto found = store_->find_transaction("TRN-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->transaction.status, "POSTED");
  EXPECT_EQ((*found)->transaction.date, "2026-02-04");
  EXPECT_DOUBLE_EQ((*found)->transaction.amount, 10.5);

  // The same row again changes nothing; a stale PENDING copy never undoes the posting.
  counts = store_->upsert_transactions({posted, pending});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->unchanged, 2);
  found = store_->find_transaction("TRN-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->transaction.status, "POSTED");
  EXPECT_DOUBLE_EQ((*found)->transaction.amount, 10.5);
}

TEST_F(SeededStore, TransactionsListByMemberAccountDateRangeAndStatus) {
  ASSERT_TRUE(store_->upsert_member(member("MBR-2", "USR-1")).ok());
  ASSERT_TRUE(store_->upsert_accounts({account("ACT-2", "MBR-1"), account("ACT-3", "MBR-2")}).ok());
  ASSERT_TRUE(store_
                  ->upsert_transactions({
                      txn("TRN-c", "ACT-1", "2026-01-03"),
                      txn("TRN-a", "ACT-1", "2026-01-01"),
                      txn("TRN-b", "ACT-2", "2026-01-02", "PENDING"),
                      txn("TRN-d", "ACT-2", "2026-01-02"),
                      txn("TRN-e", "ACT-3", "2026-01-05", "POSTED", "MBR-2"),
                  })
                  .ok());
  auto guids = [&](const TransactionQuery& q) {
    std::vector<std::string> out;
    auto list = store_->list_transactions(q);
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const auto& r : *list) out.push_back(r.transaction.guid);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(guids({}), (V{"TRN-a", "TRN-b", "TRN-d", "TRN-c", "TRN-e"}));
  TransactionQuery by_member;
  by_member.member_guid = "MBR-1";
  EXPECT_EQ(guids(by_member), (V{"TRN-a", "TRN-b", "TRN-d", "TRN-c"}));
  EXPECT_EQ(count(by_member), 4);
  TransactionQuery by_account;
  by_account.account_guid = "ACT-2";
  EXPECT_EQ(guids(by_account), (V{"TRN-b", "TRN-d"}));
  TransactionQuery range;
  range.from_date = "2026-01-02";
  range.to_date = "2026-01-03";  // inclusive
  EXPECT_EQ(guids(range), (V{"TRN-b", "TRN-d", "TRN-c"}));
  range.member_guid = "MBR-1";
  range.status = "PENDING";
  EXPECT_EQ(guids(range), (V{"TRN-b"}));
  EXPECT_EQ(count(range), 1);
  TransactionQuery by_user;
  by_user.user_guid = "USR-1";
  EXPECT_EQ(count(by_user), 5);
  by_user.user_guid = "USR-404";
  EXPECT_EQ(count(by_user), 0);
}

TEST_F(SeededStore, InvalidTransactionRowsAreRefusedByTheSchema) {
  std::vector<TransactionRecord> bad(5, txn("TRN-x", "ACT-1", "2026-01-01"));
  bad[0].transaction.status = "SETTLED";
  bad[1].transaction.type = "REFUND";
  bad[2].transaction.date = "01/02/2026";
  bad[3].transaction.account_guid = "ACT-404";
  bad[4].transaction.guid = "";
  for (const auto& r : bad) {
    auto counts = store_->upsert_transactions({r});
    ASSERT_FALSE(counts.ok());
    EXPECT_EQ(counts.error().kind, ErrorKind::kStorage);
    EXPECT_NE(counts.error().message.find("constraint"), std::string::npos)
        << counts.error().message;
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(SeededStore, TenThousandRowBatchIsAtomic) {
  // One row already stored, which the failing batch also updates.
  ASSERT_TRUE(store_->upsert_transactions({txn("TRN-00000", "ACT-1", "2025-01-01")}).ok());

  std::vector<TransactionRecord> batch;
  batch.reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    std::string guid = std::to_string(i);
    guid.insert(0, 5 - guid.size(), '0');
    batch.push_back(txn("TRN-" + guid, "ACT-1", "2026-01-01"));
  }
  std::vector<TransactionRecord> failing = batch;
  failing[7777].transaction.status = "";  // violates the status CHECK deep in the batch
  auto result = store_->upsert_transactions(failing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kStorage);
  EXPECT_NE(result.error().message.find("CHECK constraint failed"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("TRN-07777"), std::string::npos);
  EXPECT_EQ(count(), 1);  // none of the 7777 rows before the bad one landed
  auto kept = store_->find_transaction("TRN-00000");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->transaction.date, "2025-01-01");  // and the update was undone too

  auto ok = store_->upsert_transactions(batch);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->inserted, 9999);
  EXPECT_EQ(ok->updated, 1);
  EXPECT_EQ(count(), 10000);
}

// --- sync and caller transactions -------------------------------------------------------------

TEST_F(SeededStore, ApplySyncWritesAccountsTransactionsAndTheMemberTogether) {
  SyncBatch batch;
  batch.member_guid = "MBR-1";
  batch.accounts = {account("ACT-1", "MBR-1"), account("ACT-2", "MBR-1")};
  batch.transactions = {txn("TRN-1", "ACT-1", "2026-01-05"), txn("TRN-2", "ACT-2", "2026-01-09"),
                        txn("TRN-3", "ACT-2", "2026-01-07", "PENDING")};
  batch.synced_at = at(5000);
  auto counts = store_->apply_sync(batch);
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->accounts.inserted, 1);
  EXPECT_EQ(counts->accounts.unchanged, 1);
  EXPECT_EQ(counts->transactions.inserted, 3);
  auto m = store_->find_member("MBR-1");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->last_synced_at, at(5000));
  EXPECT_EQ((*m)->updated_at, at(5000));
  EXPECT_EQ((*m)->last_transaction_date.value_or(""), "2026-01-09");

  // An incremental sync with older rows only never moves the anchor back.
  SyncBatch older;
  older.member_guid = "MBR-1";
  older.transactions = {txn("TRN-0", "ACT-1", "2026-01-01")};
  older.synced_at = at(6000);
  ASSERT_TRUE(store_->apply_sync(older).ok());
  m = store_->find_member("MBR-1");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->last_synced_at, at(6000));
  EXPECT_EQ((*m)->last_transaction_date.value_or(""), "2026-01-09");

  // A failing sync leaves no trace: not the new account, the good rows, nor the member's times.
  SyncBatch failing;
  failing.member_guid = "MBR-1";
  failing.accounts = {account("ACT-9", "MBR-1")};
  failing.transactions = {txn("TRN-8", "ACT-9", "2026-02-01"),
                          txn("TRN-9", "ACT-404", "2026-02-02")};
  failing.synced_at = at(7000);
  auto failed = store_->apply_sync(failing);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::kStorage);
  auto act9 = store_->find_account("ACT-9");
  ASSERT_TRUE(act9.ok());
  EXPECT_FALSE(act9->has_value());
  EXPECT_EQ(count(), 4);
  m = store_->find_member("MBR-1");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->last_synced_at, at(6000));
  EXPECT_EQ((*m)->last_transaction_date.value_or(""), "2026-01-09");
}

TEST_F(SeededStore, ApplySyncRefusesUnknownMembersAndForeignRows) {
  SyncBatch unknown;
  unknown.member_guid = "MBR-404";
  auto r = store_->apply_sync(unknown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);

  SyncBatch mixed;
  mixed.member_guid = "MBR-1";
  mixed.transactions = {txn("TRN-1", "ACT-1", "2026-01-01", "POSTED", "MBR-2")};
  r = store_->apply_sync(mixed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(count(), 0);
}

TEST_F(SeededStore, RunInTransactionCommitsOrRollsBackTheWholeBody) {
  auto committed = store_->run_in_transaction([](Store& s) -> Status {
    if (auto r = s.set_meta("a", "1"); !r) return r;
    // Nested: a batch method and an inner transaction join the outer one.
    if (auto r = s.upsert_transactions({txn("TRN-1", "ACT-1", "2026-01-01")}); !r) {
      return r.error();
    }
    return s.run_in_transaction([](Store& inner) { return inner.set_meta("b", "2"); });
  });
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  EXPECT_EQ(count(), 1);
  auto b = store_->get_meta("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->value_or(""), "2");

  auto rolled_back = store_->run_in_transaction([](Store& s) -> Status {
    if (auto r = s.set_meta("a", "changed"); !r) return r;
    if (auto r = s.upsert_transactions({txn("TRN-2", "ACT-1", "2026-01-02")}); !r) {
      return r.error();
    }
    // An inner failure that the body recovers from undoes only the inner part…
    auto inner = s.run_in_transaction([](Store& in) -> Status {
      if (auto r = in.set_meta("c", "3"); !r) return r;
      return make_error(ErrorKind::kConflict, "inner gives up");
    });
    if (inner.ok()) return make_error(ErrorKind::kStorage, "inner should have failed");
    // …and then the body itself fails.
    return make_error(ErrorKind::kConflict, "caller gives up");
  });
  ASSERT_FALSE(rolled_back.ok());
  EXPECT_EQ(rolled_back.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(rolled_back.error().message, "caller gives up");
  EXPECT_EQ(count(), 1);
  auto a = store_->get_meta("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value_or(""), "1");
  auto c = store_->get_meta("c");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());

  // The store is usable afterwards (no transaction left open).
  ASSERT_TRUE(store_->set_meta("d", "4").ok());
  auto empty = store_->run_in_transaction(nullptr);
  EXPECT_FALSE(empty.ok());
}

// --- notifications, webhook events, meta ------------------------------------------------------

TEST(SqliteStoreNotifications, SameDedupeKeyIsRecordedOnce) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  NotificationRecord n{"reconnect:MBR-1:DEGRADED", "MBR-1", "app-1", "reconnect_required",
                       "Please reconnect MX Bank", at(100)};
  auto first = store->insert_notification_if_absent(n);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  NotificationRecord again = n;
  again.message = "a different text";
  again.sent_at = at(200);
  auto second = store->insert_notification_if_absent(again);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);

  auto found = store->find_notification(n.dedupe_key);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->member_guid, "MBR-1");
  EXPECT_EQ((*found)->app_user_id, "app-1");
  EXPECT_EQ((*found)->kind, "reconnect_required");
  EXPECT_EQ((*found)->message, "Please reconnect MX Bank");  // the first one stays
  EXPECT_EQ((*found)->sent_at, at(100));

  NotificationRecord user_only{"mfa:app-2", "", "app-2", "mfa_required", "Answer MFA", at(50)};
  ASSERT_TRUE(store->insert_notification_if_absent(user_only).ok());
  auto all = store->list_notifications();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].dedupe_key, "mfa:app-2");
  EXPECT_EQ((*all)[0].member_guid, "");

  // Releasing a claim (sending failed) lets it be claimed again.
  auto released = store->release_notification(n.dedupe_key);
  ASSERT_TRUE(released.ok());
  EXPECT_TRUE(*released);
  auto third = store->insert_notification_if_absent(again);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(*third);

  NotificationRecord nobody{"nobody", "", "", "x", "y", at(1)};
  auto refused = store->insert_notification_if_absent(nobody);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kStorage);
}

TEST(SqliteStoreWebhooks, EventIdsAreProcessedOnceAndExpire) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  WebhookEventRecord e{"sha256:abc", "CONNECTION_STATUS", "MBR-1",
                       R"({"type":"CONNECTION_STATUS","connection_status":"CHALLENGED"})",
                       at(1000)};
  auto first = store->insert_webhook_event_if_absent(e);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto retry = store->insert_webhook_event_if_absent(e);  // MX redelivers
  ASSERT_TRUE(retry.ok());
  EXPECT_FALSE(*retry);

  auto found = store->find_webhook_event("sha256:abc");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->type, "CONNECTION_STATUS");
  EXPECT_EQ((*found)->member_guid, "MBR-1");
  EXPECT_EQ((*found)->payload, e.payload);
  EXPECT_EQ((*found)->received_at, at(1000));

  ASSERT_TRUE(store
                  ->insert_webhook_event_if_absent(
                      {"sha256:def", "AGGREGATION", "", "{}", at(1000 + 86400 * 3)})
                  .ok());
  auto n = store->count_webhook_events();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto deleted = store->delete_webhook_events_before(at(1000 + 86400));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  auto gone = store->find_webhook_event("sha256:abc");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto kept = store->find_webhook_event("sha256:def");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->member_guid, "");

  auto empty_id = store->insert_webhook_event_if_absent({"", "X", "", "{}", at(1)});
  ASSERT_FALSE(empty_id.ok());
  EXPECT_EQ(empty_id.error().kind, ErrorKind::kStorage);
}

TEST(SqliteStoreMeta, SetGetOverwrite) {
  auto store = open_or_die(":memory:");
  ASSERT_NE(store, nullptr);
  auto missing = store->get_meta("k");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(store->set_meta("k", "v1").ok());
  ASSERT_TRUE(store->set_meta("k", "v2").ok());
  ASSERT_TRUE(store->set_meta("quote", "it's \"odd\"\n\x01").ok());
  auto k = store->get_meta("k");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->value_or(""), "v2");
  auto q = store->get_meta("quote");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->value_or(""), "it's \"odd\"\n\x01");
}

TEST(SqliteStoreEnums, SpellingsRoundTrip) {
  for (auto s : {WatchState::kWatching, WatchState::kSettled, WatchState::kNeedsUser}) {
    EXPECT_EQ(parse_watch_state(to_string(s)), s);
  }
  for (auto s : {StatusSource::kPoll, StatusSource::kWebhook, StatusSource::kCallback}) {
    EXPECT_EQ(parse_status_source(to_string(s)), s);
  }
  for (auto o : {RefreshOutcome::kStarted, RefreshOutcome::kThrottled, RefreshOutcome::kFailed,
                 RefreshOutcome::kSkipped}) {
    EXPECT_EQ(parse_refresh_outcome(to_string(o)), o);
  }
  EXPECT_EQ(std::string(to_string(WatchState::kNeedsUser)), "needs_user");
  EXPECT_FALSE(parse_watch_state("NEEDS_USER").has_value());
  EXPECT_FALSE(parse_refresh_outcome("").has_value());
}

// --- concurrency ------------------------------------------------------------------------------

TEST(SqliteStoreThreads, OneStoreSharedByThreadsAndTwoStoresOnOneFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.file("shared.db");
  auto a = open_or_die(path);
  auto b = open_or_die(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->upsert_end_user(user("app-1", "USR-1")).ok());
  ASSERT_TRUE(a->upsert_member(member("MBR-1", "USR-1")).ok());

  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    Store* store = (t % 2 == 0) ? a.get() : b.get();
    threads.emplace_back([store, t, &failures] {
      for (int i = 0; i < kPerThread; ++i) {
        RefreshAttempt attempt{"MBR-1", at(t * 1000 + i), RefreshOutcome::kStarted, "", {}};
        if (!store->record_refresh_attempt(attempt).ok()) ++failures;
        const std::string key = "k" + std::to_string(t) + "_" + std::to_string(i);
        auto claimed =
            store->insert_notification_if_absent({key, "MBR-1", "", "kind", "msg", at(i)});
        if (!claimed.ok() || !*claimed) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  RefreshAttemptQuery all;
  auto n = b->count_refresh_attempts(all);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kThreads * kPerThread);
  auto notes = a->list_notifications();
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(notes->size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace mxclient
