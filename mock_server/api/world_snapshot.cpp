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
    if (f.status < 400 || f.status > 599 || f.remaining < 1) {
      return domain::SnapshotProblem{"/faults/" + std::to_string(i),
                                     "a status from 400 to 599 and remaining >= 1"};
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

WorldSnapshot snapshot_world(World& world) {
  WorldSnapshot s;
  s.emulator = world.emulator().snapshot();
  s.clock = ClockSnapshot{world.clock().now(), world.clock().rate(), world.auto_time()};
  const ServiceState& state = world.state();
  s.limits = state.config.limits;
  s.rate_windows = state.rate_limiter.windows();
  s.faults.assign(state.faults.begin(), state.faults.end());
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
  state.faults.assign(s.faults.begin(), s.faults.end());
  state.webhooks.restore(std::move(s.webhooks));
  return std::nullopt;
}

}  // namespace mxemu::api
