#include "api/world_snapshot.h"

#include <utility>

#include "api/world.h"

namespace mxemu::api {
namespace {

std::optional<domain::SnapshotProblem> check_api_state(const WorldSnapshot& s) {
  if (!(s.clock.rate >= 0 && s.clock.rate <= 1e6)) {
    return domain::SnapshotProblem{"/clock/rate", "a rate from 0 to 1000000"};
  }
  if (s.limits.per_minute < 0 || s.limits.per_user_per_minute < 0 ||
      s.limits.per_member_per_minute < 0) {
    return domain::SnapshotProblem{"/limits", "limits are 0 (off) or positive"};
  }
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultRule& f = s.faults[i];
    const FaultEffect& e = f.effect;
    const bool valid =
        f.id >= 1 && f.id < s.next_fault_id && (i == 0 || f.id > s.faults[i - 1].id) &&
        (e.status == 0 || (e.status >= 400 && e.status <= 599)) &&
        !(e.status != 0 && e.drop_connection) && e.latency_seconds >= 0 &&
        e.real_delay.count() >= 0 && e.real_delay <= kMaxRealDelay &&
        (!f.remaining || *f.remaining >= 1) && f.probability > 0 && f.probability <= 1 &&
        (!e.retry_after_seconds || *e.retry_after_seconds >= 0);
    if (!valid) {
      return domain::SnapshotProblem{"/faults/" + std::to_string(i),
                                     "a rule as POST /_emulator/faults makes: ids increasing "
                                     "below next_fault_id, a status from 400 to 599 or 0, "
                                     "remaining >= 1, 0 < probability <= 1"};
    }
  }
  for (std::size_t i = 0; i < s.webhooks.subscriptions.size(); ++i) {
    const auto& sub = s.webhooks.subscriptions[i];
    auto checked = make_subscription(sub.url, sub.types, sub.username, sub.password);
    if (!checked) {
      return domain::SnapshotProblem{"/webhooks/subscriptions/" + std::to_string(i),
                                     checked.error().message};
    }
  }
  for (std::size_t i = 0; i < s.webhooks.pending.size(); ++i) {
    const auto& d = s.webhooks.pending[i];
    if (d.id == 0 || d.id >= s.webhooks.next_delivery_id ||
        (i > 0 && d.id <= s.webhooks.pending[i - 1].id)) {
      return domain::SnapshotProblem{"/webhooks/pending/" + std::to_string(i) + "/id",
                                     "ids increase and stay below next_delivery_id"};
    }
    if (d.attempt < 1 || d.attempt > kWebhookMaxRetries + 1) {
      return domain::SnapshotProblem{"/webhooks/pending/" + std::to_string(i) + "/attempt",
                                     "an attempt from 1 to 13"};
    }
  }
  return std::nullopt;
}

}  // namespace

WorldSnapshot snapshot_world(World& world, bool with_transactions) {
  WorldSnapshot s;
  s.emulator = world.emulator().snapshot(with_transactions);
  s.clock = ClockSnapshot{world.clock().now(), world.clock().rate(), world.auto_time()};
  const ServiceState& state = world.state();
  s.limits = state.config.limits;
  s.rate_windows = state.rate_limiter.windows();
  s.faults = state.faults.rules();
  s.next_fault_id = state.faults.next_id();
  s.webhooks = state.webhooks.state();
  return s;
}

std::optional<domain::SnapshotProblem> restore_world(World& world, WorldSnapshot s) {
  if (auto problem = check_api_state(s)) return problem;
  if (auto problem = world.emulator().restore(std::move(s.emulator))) {
    problem->pointer = "/emulator" + problem->pointer;
    return problem;
  }
  world.clock().resume_at(s.clock.reading, s.clock.rate);
  world.set_auto_time(s.clock.auto_time);
  ServiceState& state = world.state();
  state.config.limits = s.limits;
  state.rate_limiter.restore(std::move(s.rate_windows));
  state.faults.restore(std::move(s.faults), s.next_fault_id);
  state.webhooks.restore(std::move(s.webhooks));
  return std::nullopt;
}

}  // namespace mxemu::api
