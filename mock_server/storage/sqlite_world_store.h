#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/tenants.h"
#include "api/world.h"
#include "api/world_store.h"
#include "storage/data_dir_lock.h"
#include "storage/sqlite_handle.h"

namespace mxemu::storage {

// A tenant as the data dir holds it.
struct StoredTenant {
  api::WorldConfig config;  // credentials and options, as saved
  nlohmann::json snapshot;  // the world, in the snapshot codec's form, transactions included
  std::vector<std::string> transaction_users;  // users with a transactions row
};

struct SqliteWorldStoreOptions {
  // PRAGMA max_page_count: a test fills the "disk" with it. 0 keeps SQLite's limit.
  int max_page_count = 0;
};

// `mxemu --data-dir DIR` (docs/persistence.md): DIR/mxemu.sqlite3 in WAL mode with
// synchronous=FULL, claimed by DIR/mxemu.lock for the process's life.
//
// One row per tenant holds its config and its snapshot without transactions; one row per
// (tenant, user) holds that user's transactions, rewritten only when the user's
// transactions_revision moved since the store last wrote it. A save is one SQLite transaction:
// after a crash the data dir holds every tenant as of its last successful save, never part of
// a save. Saving a world whose state equals what was written last writes nothing.
//
// Thread safety: every method may be called from any thread; one mutex orders the writes.
class SqliteWorldStore final : public api::WorldStore {
 public:
  // kConflict when another process (or store) holds DIR; kInsufficientStorage when DIR or the
  // database cannot be made or is not an mxemu data dir.
  static domain::Result<std::unique_ptr<SqliteWorldStore>> open(
      const std::string& dir, SqliteWorldStoreOptions options = {});

  // Every tenant the data dir holds, by client_id.
  domain::Result<std::vector<StoredTenant>> read_all();
  // Replaces the world's state with `stored`'s (api::restore_world) and takes the data dir's
  // rows as written, so the next save writes only what changes after this.
  // REQUIRES: world.mutex() held; world.client_id() == stored.config.client_id.
  domain::Status restore(api::World& world, const StoredTenant& stored);

  domain::Status save(api::World& world) override;
  domain::Status remove(api::World& world) override;

  // Saves that committed, and bytes they wrote (the cost in docs/persistence.md).
  struct Counters {
    std::uint64_t commits = 0;
    std::uint64_t skipped = 0;  // nothing had changed
    std::uint64_t bytes = 0;
  };
  Counters counters() const;

 private:
  // What the data dir holds for one tenant, as this process last wrote or read it.
  struct Written {
    std::string config;
    std::string core;                                          // snapshot without transactions
    std::unordered_map<std::string, std::uint64_t> revisions;  // user guid → revision written
  };

  SqliteWorldStore(DataDirLock lock, Connection db) : lock_(std::move(lock)), db_(std::move(db)) {}
  domain::Status prepare_statements();
  domain::Status save_locked(api::World& world);

  mutable std::mutex mutex_;
  DataDirLock lock_;
  Connection db_;
  Statement upsert_tenant_;
  Statement upsert_transactions_;
  Statement delete_transactions_;
  std::unordered_map<std::string, Written> written_;  // by client_id
  Counters counters_;
};

// Fills `tenants` from what `store` held (read_all): the default tenant's state when `stored`
// has its client_id, every other tenant with its saved config (Tenants::load). Then saves the
// default tenant, so the data dir holds it from the start.
domain::Status load_tenants(SqliteWorldStore& store, const std::vector<StoredTenant>& stored,
                            api::Tenants& tenants);

}  // namespace mxemu::storage
