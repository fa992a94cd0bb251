// Failed aggregations: what counts as one, the facts DEGRADED and DISCONNECTED are decided on,
// the two-week clock, and the opt-in storm policy that makes logins fail under load.
#include <algorithm>
#include <utility>

#include "domain/emulator.h"

namespace mxemu::domain {

TimePoint Emulator::last_success(const Member& member) const {
  return member.successfully_aggregated_at.value_or(member.created_at);
}

MachineEvent Emulator::record_failure(Member& member) {
  FailureRecord& f = member.failures;
  f.recent.erase(std::remove_if(f.recent.begin(), f.recent.end(),
                                [&](TimePoint t) { return now_ - t > options_.degraded_window; }),
                 f.recent.end());
  f.recent.push_back(now_);
  ++f.since_success;

  MachineEvent e{MemberEvent::kAggregationFailed};
  e.recent_failures = static_cast<int>(f.recent.size());
  e.failures_since_success = f.since_success;
  // While a job runs the member shows its pre-job status: a member made DEGRADED through the
  // control API has no failure history, yet a failure must not turn it back into FAILED.
  e.degraded_since_success =
      f.degraded_since_success || member.status() == ConnectionStatus::kDegraded;
  e.stale_for_two_weeks = now_ - last_success(member) >= options_.disconnected_after;

  if (e.recent_failures >= kFailuresToDegrade) f.degraded_since_success = true;
  // The third failure since the last success arms the two-week clock once; a later success
  // moves last_success() and on_success_overdue() then finds nothing to do.
  if (f.since_success == kFailuresToDegrade && !e.stale_for_two_weeks) {
    timers_.schedule(last_success(member) + options_.disconnected_after, TimerKind::kSuccessOverdue,
                     member.guid);
  }
  return e;
}

void Emulator::record_success(Member& member) {
  member.successfully_aggregated_at = now_;
  member.failures.since_success = 0;
  member.failures.degraded_since_success = false;
}

// MX's DISCONNECTED is a fact about time as much as failures: two weeks after the last
// success, a FAILED or DEGRADED member that has failed three times since is DISCONNECTED
// without waiting for another attempt. A member showing any other status (a job running, the
// user's turn, recovered) is left to its next outcome.
void Emulator::on_success_overdue(Member& member) {
  if (now_ - last_success(member) < options_.disconnected_after) return;
  if (!accepts(member.machine, MemberEvent::kNoSuccessForTwoWeeks)) return;
  MachineEvent e{MemberEvent::kNoSuccessForTwoWeeks};
  e.failures_since_success = member.failures.since_success;
  (void)transition(member, e);
}

void Emulator::set_storm_policy(StormPolicy all,
                                std::map<std::string, StormPolicy> by_institution) {
  options_.storm = all;
  options_.storm_by_institution = std::move(by_institution);
}

const StormPolicy& Emulator::storm_policy(const Institution& institution) const {
  auto it = options_.storm_by_institution.find(institution.code);
  return it == options_.storm_by_institution.end() ? options_.storm : it->second;
}

}  // namespace mxemu::domain
