#pragma once

#include <deque>
#include <utility>

#include "domain/clock.h"

namespace mxemu::domain {

// The opt-in "storm" policy: more than `max_aggregations` aggregation-type jobs started against
// one institution inside `window` of emulated time, and the logins beyond that number fail as
// an institution error would (FAILED, counting toward DEGRADED). MX documents no such rule
// (docs/control-api.md, "Refresh storms"); it exists so clients can rehearse an institution
// that buckles under load. A zero window switches it off.
struct StormPolicy {
  int max_aggregations = 0;
  Seconds window{0};

  bool enabled() const { return window.count() > 0 && max_aggregations >= 0; }
};

// One institution's recent job starts, in emulated time.
//
// Thread safety: none; the Emulator's mutex covers it.
class StormGate {
 public:
  // Records a job start at `now` and says whether it is within the policy: false for every
  // start beyond the first `max_aggregations` inside the window ending at `now`. Starts that
  // were refused still count (they were started). A disabled policy admits everything and
  // records nothing. REQUIRES: `now` never decreases between calls.
  bool admit(const StormPolicy& policy, TimePoint now);

  // Starts still inside the window of the last admit() call.
  std::size_t recent_starts() const { return starts_.size(); }
  // The recorded starts, oldest first, and back (snapshots).
  const std::deque<TimePoint>& starts() const { return starts_; }
  void restore(std::deque<TimePoint> starts) { starts_ = std::move(starts); }

 private:
  std::deque<TimePoint> starts_;
};

}  // namespace mxemu::domain
