#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/rate_limits.h"
#include "api/route_context.h"
#include "api/webhook_outbox.h"
#include "domain/emulator_snapshot.h"

namespace mxemu::api {

class World;

// The tenant's time beside the emulator's offset: its clock's reading, pace and auto mode.
struct ClockSnapshot {
  domain::TimePoint reading;
  double rate = 1.0;
  bool auto_time = false;
};

// Everything of one tenant's world that its requests can change: the emulator and the API-layer
// state (GET/PUT /_emulator/snapshot, persistence). Not in it: the credentials, the options the
// flags set and the base URL, which belong to the process that serves the world.
struct WorldSnapshot {
  domain::EmulatorSnapshot emulator;
  ClockSnapshot clock;
  RateLimits limits;
  std::map<std::string, RateLimiter::Window> rate_windows;
  std::vector<FaultRule> faults;  // in matching order
  std::uint64_t next_fault_id = 1;
  WebhookOutbox::State webhooks;
};

// REQUIRES: world.mutex() held (both). Without `with_transactions` the store's transactions
// are left out (persistence keeps them per user, domain::Store::transactions_of_user).
WorldSnapshot snapshot_world(World& world, bool with_transactions = true);
// Replaces the world's state with `s`, or changes nothing and says which field is wrong (a JSON
// pointer from the snapshot's root). The restored clock reads `s.clock.reading` now: time stood
// still while the snapshot was not served.
std::optional<domain::SnapshotProblem> restore_world(World& world, WorldSnapshot s);

}  // namespace mxemu::api
