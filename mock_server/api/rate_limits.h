#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "api/http_types.h"
#include "domain/clock.h"

namespace mxemu::api {

// Requests per emulated minute a tenant may send before 429: overall (MX's per-client limit),
// per user guid and per member guid. 0 turns a limit off; all are off by default.
struct RateLimits {
  int per_minute = 0;
  int per_user_per_minute = 0;
  int per_member_per_minute = 0;
};

// Sliding one-minute windows in emulated time. A request counts in every window it falls under
// only when it is let through, so a client that backs off for Retry-After is served again.
//
// Thread safety: none; the tenant's World lock guards it.
class RateLimiter {
 public:
  // The 429 in MX's envelope with Retry-After (whole seconds until the oldest request in the
  // full window leaves it), or nullopt after counting the request. `user` and `member` may be
  // empty when the route names none.
  std::optional<Response> admit(const RateLimits& limits, domain::TimePoint now,
                                const std::string& user, const std::string& member);
  void clear() { windows_.clear(); }

  // The requests counted in each window ("" overall, "u:<guid>", "m:<guid>"), and back.
  using Window = std::deque<domain::TimePoint>;
  const std::map<std::string, Window>& windows() const { return windows_; }
  void restore(std::map<std::string, Window> windows) { windows_ = std::move(windows); }

 private:
  std::map<std::string, Window> windows_;  // "" overall, "u:<guid>", "m:<guid>"
};

}  // namespace mxemu::api
