// The refresh scheduler's vocabulary: enum spellings and the one-line pass summary.
#include <sstream>
#include <string>

#include "mxclient/refresh_scheduler.h"

namespace mxclient {

const char* to_string(RefreshSkip skip) {
  switch (skip) {
    case RefreshSkip::kNeedsUser:
      return "needs_user";
    case RefreshSkip::kGivenUp:
      return "given_up";
    case RefreshSkip::kPaused:
      return "paused";
    case RefreshSkip::kAggregating:
      return "aggregating";
    case RefreshSkip::kWaiting:
      return "waiting";
    case RefreshSkip::kAttemptCap:
      return "attempt_cap";
    case RefreshSkip::kFresh:
      return "fresh";
  }
  return "unknown";
}

const char* to_string(RefreshDeferral deferral) {
  switch (deferral) {
    case RefreshDeferral::kInFlight:
      return "in_flight";
    case RefreshDeferral::kInstitutionInFlight:
      return "institution_in_flight";
    case RefreshDeferral::kUserInFlight:
      return "user_in_flight";
    case RefreshDeferral::kInstitutionRate:
      return "institution_rate";
    case RefreshDeferral::kRate:
      return "rate";
    case RefreshDeferral::kPassFull:
      return "pass_full";
    case RefreshDeferral::kRateLimited:
      return "rate_limited";
    case RefreshDeferral::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

int RefreshPassCounts::skipped_total() const {
  int n = 0;
  for (int s : skipped) n += s;
  return n;
}

int RefreshPassCounts::deferred_total() const {
  int n = 0;
  for (int d : deferred) n += d;
  return n;
}

std::string describe(const RefreshPassCounts& c) {
  std::ostringstream out;
  out << "considered=" << c.considered << " calls=" << c.calls() << " started=" << c.started
      << " throttled=" << c.throttled << " rate_limited=" << c.rate_limited
      << " failed=" << c.failed << " skipped=" << c.skipped_total();
  const auto details = [&out](const auto& values, auto name_of) {
    const char* sep = " [";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i] == 0) continue;
      out << sep << name_of(i) << "=" << values[i];
      sep = " ";
    }
    if (sep[0] == ' ' && sep[1] == '\0') out << "]";
  };
  details(c.skipped, [](std::size_t i) { return to_string(static_cast<RefreshSkip>(i)); });
  out << " deferred=" << c.deferred_total();
  details(c.deferred, [](std::size_t i) { return to_string(static_cast<RefreshDeferral>(i)); });
  out << " max_in_flight=" << c.max_in_flight
      << " waited_s=" << std::chrono::duration_cast<std::chrono::seconds>(c.waited).count();
  return out.str();
}

}  // namespace mxclient
