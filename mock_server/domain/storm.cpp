#include "domain/storm.h"

namespace mxemu::domain {

bool StormGate::admit(const StormPolicy& policy, TimePoint now) {
  if (!policy.enabled()) {
    starts_.clear();
    return true;
  }
  // "Inside W seconds": a start exactly W ago has left the window.
  while (!starts_.empty() && now - starts_.front() >= policy.window) starts_.pop_front();
  const bool admitted = starts_.size() < static_cast<std::size_t>(policy.max_aggregations);
  starts_.push_back(now);
  return admitted;
}

}  // namespace mxemu::domain
