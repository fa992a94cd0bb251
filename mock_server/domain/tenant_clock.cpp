#include "domain/tenant_clock.h"

namespace mxemu::domain {

TimePoint TenantClock::now() const {
  if (rate_ == 1.0) return anchor_ + (base_.now() - base_anchor_);
  const auto elapsed = std::chrono::duration<double>(base_.now() - base_anchor_) * rate_;
  return anchor_ + std::chrono::duration_cast<TimePoint::duration>(elapsed);
}

void TenantClock::set_rate(double rate) {
  const TimePoint present = now();
  base_anchor_ = base_.now();
  anchor_ = present;
  rate_ = rate < 0 ? 0 : rate;
}

}  // namespace mxemu::domain
