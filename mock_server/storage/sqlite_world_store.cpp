#include "storage/sqlite_world_store.h"

#include <unordered_set>
#include <utility>
#include <variant>

#include "api/snapshot_codec.h"
#include "api/world_snapshot.h"
#include "storage/tenant_config_codec.h"

namespace mxemu::storage {
namespace {

using nlohmann::json;

// "MXEM" as a big-endian integer: marks the file as an mxemu data dir.
constexpr int kApplicationId = 0x4d58454d;
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tenants (
  client_id TEXT PRIMARY KEY NOT NULL,
  config    TEXT NOT NULL,  -- tenant_config_codec: credentials and options
  world     TEXT NOT NULL   -- snapshot_codec, with emulator.store.transactions empty
);
CREATE TABLE IF NOT EXISTS transactions (
  client_id    TEXT NOT NULL REFERENCES tenants (client_id) ON DELETE CASCADE,
  user_guid    TEXT NOT NULL,
  transactions TEXT NOT NULL,  -- the user's transactions as the snapshot lists them
  PRIMARY KEY (client_id, user_guid)
);
)sql";

domain::Error corrupt(const std::string& client_id, const std::string& what) {
  return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                            "the data dir's tenant " + client_id + " cannot be read: " + what);
}

// A world's config as it is now: the options the control API changed included.
api::WorldConfig current_config(api::World& world) {
  api::WorldConfig config = world.state().config;
  config.client_id = world.client_id();
  config.api_key = world.api_key();
  config.emulator = world.emulator().options();
  return config;
}

std::string encode_transactions(std::vector<domain::Transaction> transactions) {
  api::WorldSnapshot holder;
  holder.emulator.store.transactions = std::move(transactions);
  return api::encode_snapshot(holder)["emulator"]["store"]["transactions"].dump();
}

// Rolls back an open transaction unless it was committed.
class Rollback {
 public:
  explicit Rollback(const Connection& db) : db_(db) {}
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback() {
    if (!committed_ && sqlite3_get_autocommit(db_.handle()) == 0) {
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  void committed() { committed_ = true; }

 private:
  const Connection& db_;
  bool committed_ = false;
};

}  // namespace

domain::Result<std::unique_ptr<SqliteWorldStore>> SqliteWorldStore::open(
    const std::string& dir, SqliteWorldStoreOptions options) {
  auto lock = DataDirLock::acquire(dir);
  if (!lock) return lock.error();
  const std::string path = dir + "/mxemu.sqlite3";
  auto db = Connection::open(path);
  if (!db) return db.error();
  sqlite3_busy_timeout(db->handle(), 5000);
  const std::string context = "open " + path;

  auto look = Statement::prepare(*db,
                                 "SELECT (SELECT user_version FROM pragma_user_version), "
                                 "(SELECT application_id FROM pragma_application_id), "
                                 "(SELECT count(*) FROM sqlite_master)");
  if (!look) return look.error();
  auto row = look->step(context);
  if (!row) return row.error();
  const std::int64_t version = look->integer(0);
  const std::int64_t app_id = look->integer(1);
  const std::int64_t objects = look->integer(2);
  look->reset();
  if ((version != 0 || objects != 0) && (version != kSchemaVersion || app_id != kApplicationId)) {
    return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                              context + ": not an mxemu data dir of schema version " +
                                  std::to_string(kSchemaVersion) + " (user_version " +
                                  std::to_string(version) + ", application_id " +
                                  std::to_string(app_id) + ")");
  }
  // FULL, not WAL's usual NORMAL: a commit survives power loss too, which is what "a write
  // answered 2xx is durable" means (docs/persistence.md).
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    if (auto done = db->exec(pragma, context); !done) return done.error();
  }
  if (options.max_page_count > 0) {
    const std::string pragma = "PRAGMA max_page_count = " + std::to_string(options.max_page_count);
    if (auto done = db->exec(pragma.c_str(), context); !done) return done.error();
  }
  if (version == 0) {
    const std::string create = std::string("BEGIN IMMEDIATE;") + kSchema +
                               "PRAGMA application_id = " + std::to_string(kApplicationId) +
                               "; PRAGMA user_version = " + std::to_string(kSchemaVersion) +
                               "; COMMIT;";
    Rollback rollback(*db);
    if (auto done = db->exec(create.c_str(), context); !done) return done.error();
    rollback.committed();
  }
  std::unique_ptr<SqliteWorldStore> store(new SqliteWorldStore(std::move(*lock), std::move(*db)));
  if (auto prepared = store->prepare_statements(); !prepared) return prepared.error();
  return store;
}

domain::Status SqliteWorldStore::prepare_statements() {
  auto tenant = Statement::prepare(
      db_,
      "INSERT INTO tenants (client_id, config, world) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (client_id) DO UPDATE SET config = excluded.config, world = excluded.world");
  auto upsert = Statement::prepare(
      db_,
      "INSERT INTO transactions (client_id, user_guid, transactions) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (client_id, user_guid) DO UPDATE SET transactions = excluded.transactions");
  auto erase =
      Statement::prepare(db_, "DELETE FROM transactions WHERE client_id = ?1 AND user_guid = ?2");
  if (!tenant) return tenant.error();
  if (!upsert) return upsert.error();
  if (!erase) return erase.error();
  upsert_tenant_ = std::move(*tenant);
  upsert_transactions_ = std::move(*upsert);
  delete_transactions_ = std::move(*erase);
  return domain::ok_status();
}

domain::Result<std::vector<StoredTenant>> SqliteWorldStore::read_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto tenants = Statement::prepare(db_, "SELECT client_id, config, world FROM tenants ORDER BY 1");
  auto rows = Statement::prepare(
      db_, "SELECT user_guid, transactions FROM transactions WHERE client_id = ?1");
  if (!tenants) return tenants.error();
  if (!rows) return rows.error();
  std::vector<StoredTenant> out;
  for (;;) {
    auto row = tenants->step("read tenants");
    if (!row) return row.error();
    if (!*row) break;
    const std::string client_id = tenants->text(0);
    StoredTenant t;
    const json config = json::parse(tenants->text(1), nullptr, /*allow_exceptions=*/false);
    auto decoded = decode_tenant_config(config);
    if (!decoded) return corrupt(client_id, decoded.error().message);
    if (decoded->client_id != client_id) return corrupt(client_id, "its config names another");
    t.config = std::move(*decoded);
    t.snapshot = json::parse(tenants->text(2), nullptr, /*allow_exceptions=*/false);
    json* users = t.snapshot.is_object() ? &t.snapshot["emulator"]["store"]["users"] : nullptr;
    json* list = users != nullptr ? &t.snapshot["emulator"]["store"]["transactions"] : nullptr;
    if (users == nullptr || !users->is_array() || !list->is_array() || !list->empty()) {
      return corrupt(client_id, "its world is not a snapshot without transactions");
    }
    std::unordered_map<std::string, json> by_user;
    rows->bind(1, client_id);
    for (;;) {
      auto r = rows->step("read transactions");
      if (!r) return r.error();
      if (!*r) break;
      t.transaction_users.push_back(rows->text(0));
      by_user[rows->text(0)] = json::parse(rows->text(1), nullptr, false);
    }
    rows->reset();
    for (const auto& user : *users) {
      if (!user.is_object() || !user.contains("guid") || !user["guid"].is_string()) {
        return corrupt(client_id, "a user has no guid");
      }
      const auto it = by_user.find(user["guid"].get<std::string>());
      if (it == by_user.end()) continue;
      if (!it->second.is_array()) return corrupt(client_id, "transactions that are not a list");
      for (auto& txn : it->second) list->push_back(std::move(txn));
    }
    out.push_back(std::move(t));
  }
  return out;
}

domain::Status SqliteWorldStore::restore(api::World& world, const StoredTenant& stored) {
  auto decoded = api::decode_snapshot(stored.snapshot);
  if (auto* problem = std::get_if<domain::SnapshotProblem>(&decoded)) {
    return corrupt(world.client_id(), "at " + problem->pointer + ": " + problem->message);
  }
  if (auto problem = api::restore_world(world, std::move(std::get<api::WorldSnapshot>(decoded)))) {
    return corrupt(world.client_id(), "at " + problem->pointer + ": " + problem->message);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Written& written = written_[world.client_id()];
  written = Written{};  // config and core empty: the next save writes them once
  const domain::Store& store = world.emulator().store();
  for (const auto& user : stored.transaction_users) written.revisions[user] = UINT64_MAX;
  for (const auto& user : store.user_guids()) {
    if (written.revisions.count(user) != 0)
      written.revisions[user] = store.transactions_revision(user);
  }
  return domain::ok_status();
}

domain::Status SqliteWorldStore::save(api::World& world) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (world.removed()) return domain::ok_status();
  auto saved = save_locked(world);
  if (!saved) {
    return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                              "The write could not be made durable in the data dir, so it is not "
                              "acknowledged: " +
                                  saved.error().message);
  }
  return saved;
}

domain::Status SqliteWorldStore::save_locked(api::World& world) {
  const std::string& client_id = world.client_id();
  const auto found = written_.find(client_id);
  const Written* before = found == written_.end() ? nullptr : &found->second;
  Written next;
  next.config = encode_tenant_config(current_config(world)).dump();
  next.core = api::encode_snapshot(api::snapshot_world(world, /*with_transactions=*/false)).dump();

  // Users whose transactions changed since they were written, and users that are gone.
  const domain::Store& store = world.emulator().store();
  std::vector<std::string> changed;
  for (const auto& user : store.user_guids()) {
    const std::uint64_t revision = store.transactions_revision(user);
    next.revisions[user] = revision;
    if (before == nullptr) {
      if (revision != 0) changed.push_back(user);
      continue;
    }
    const auto it = before->revisions.find(user);
    if (it == before->revisions.end() ? revision != 0 : it->second != revision) {
      changed.push_back(user);
    }
  }
  std::vector<std::string> gone;
  if (before != nullptr) {
    for (const auto& [user, revision] : before->revisions) {
      if (next.revisions.count(user) == 0) gone.push_back(user);
    }
  }
  const bool same_row =
      before != nullptr && before->config == next.config && before->core == next.core;
  if (same_row && changed.empty() && gone.empty()) {
    ++counters_.skipped;
    return domain::ok_status();
  }

  Rollback rollback(db_);
  if (auto begun = db_.exec("BEGIN IMMEDIATE", "save " + client_id); !begun) return begun;
  std::uint64_t bytes = 0;
  if (!same_row) {
    upsert_tenant_.bind(1, client_id).bind(2, next.config).bind(3, next.core);
    if (auto done = upsert_tenant_.run("save tenant " + client_id); !done) return done;
    bytes += next.config.size() + next.core.size();
  }
  for (const auto& user : changed) {
    const std::string rows = encode_transactions(store.transactions_of_user(user));
    upsert_transactions_.bind(1, client_id).bind(2, user).bind(3, rows);
    if (auto done = upsert_transactions_.run("save transactions " + user); !done) return done;
    bytes += rows.size();
  }
  for (const auto& user : gone) {
    delete_transactions_.bind(1, client_id).bind(2, user);
    if (auto done = delete_transactions_.run("delete transactions " + user); !done) return done;
  }
  if (auto committed = db_.exec("COMMIT", "commit " + client_id); !committed) return committed;
  rollback.committed();
  written_[client_id] = std::move(next);
  ++counters_.commits;
  counters_.bytes += bytes;
  return domain::ok_status();
}

domain::Status SqliteWorldStore::remove(api::World& world) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string& client_id = world.client_id();
  Rollback rollback(db_);
  if (auto begun = db_.exec("BEGIN IMMEDIATE", "remove " + client_id); !begun) return begun;
  auto erase = Statement::prepare(db_, "DELETE FROM tenants WHERE client_id = ?1");
  if (!erase) return erase.error();
  erase->bind(1, client_id);
  if (auto done = erase->run("remove " + client_id); !done) return done;
  if (auto committed = db_.exec("COMMIT", "commit " + client_id); !committed) return committed;
  rollback.committed();
  // Under the store's mutex: no save of this world can run between the delete and the mark.
  world.mark_removed();
  written_.erase(client_id);
  return domain::ok_status();
}

SqliteWorldStore::Counters SqliteWorldStore::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

domain::Status load_tenants(SqliteWorldStore& store, const std::vector<StoredTenant>& stored,
                            api::Tenants& tenants) {
  api::World& default_world = tenants.default_world();
  for (const auto& t : stored) {
    if (t.config.client_id == default_world.client_id()) {
      std::lock_guard<std::mutex> lock(default_world.mutex());
      if (auto restored = store.restore(default_world, t); !restored) return restored;
      continue;
    }
    auto loaded =
        tenants.load(t.config, [&](api::World& world) { return store.restore(world, t); });
    if (!loaded) return loaded.error();
  }
  return default_world.save();
}

}  // namespace mxemu::storage
