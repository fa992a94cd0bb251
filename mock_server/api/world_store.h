#pragma once

#include "domain/error.h"

namespace mxemu::api {

class World;

// Where a process keeps its tenants durable (`mxemu --data-dir`, docs/persistence.md). The API
// layer only calls it; the SQLite implementation lives in mock_server/storage/. A process
// without a data dir has none, and its worlds live in memory only.
//
// Contract: when save() returns ok, the tenant's credentials, options and whole state
// (snapshot_world) as they are at the call are durable, and a process that starts from the same
// store serves exactly that state. A failure is a value (kInsufficientStorage), never a throw;
// the store stays usable and keeps the last state it saved.
//
// Thread safety: every method may be called from any thread; the store orders them itself.
class WorldStore {
 public:
  virtual ~WorldStore() = default;

  // Makes `world` durable as it is now. A world marked removed (remove()) is not written: a
  // request that was still running on a deleted tenant cannot bring it back.
  // REQUIRES: world.mutex() held, so the state written is the state the answer describes.
  virtual domain::Status save(World& world) = 0;
  // Forgets the tenant for good and marks `world` removed. Does not take world.mutex().
  virtual domain::Status remove(World& world) = 0;
};

}  // namespace mxemu::api
