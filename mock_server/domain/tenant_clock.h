#pragma once

#include <chrono>

#include "domain/clock.h"

namespace mxemu::domain {

// One tenant's view of time over the process's base clock (the real clock in `main`, a
// ManualClock in tests): running at the base's pace, frozen, or scaled by a factor. Changing the
// pace never makes time jump: the new pace starts from the present. Jumps forward are the
// Emulator's business (advance), not this clock's.
//
// Thread safety: none; the tenant's World lock guards every use.
class TenantClock final : public Clock {
 public:
  explicit TenantClock(const Clock& base)
      : base_(base), anchor_(base.now()), base_anchor_(anchor_) {}

  TimePoint now() const override;

  // 1 runs with the base clock, 0 freezes, 60 makes one real second a minute. REQUIRES: rate >= 0.
  void set_rate(double rate);
  double rate() const { return rate_; }
  // Reads `reading` now and goes on at `rate` from there (snapshots: time stood still while
  // the world was not served). REQUIRES: rate >= 0.
  void resume_at(TimePoint reading, double rate) {
    anchor_ = reading;
    base_anchor_ = base_.now();
    rate_ = rate < 0 ? 0 : rate;
  }
  // Back to the base clock's present, at its pace.
  void restart() {
    anchor_ = base_anchor_ = base_.now();
    rate_ = 1.0;
  }

 private:
  const Clock& base_;
  TimePoint anchor_;       // this clock's reading when the rate last changed
  TimePoint base_anchor_;  // the base clock's reading then
  double rate_ = 1.0;
};

}  // namespace mxemu::domain
