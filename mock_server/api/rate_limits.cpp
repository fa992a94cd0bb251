#include "api/rate_limits.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "api/errors.h"

namespace mxemu::api {
namespace {

void expire(std::deque<domain::TimePoint>& window, domain::TimePoint now) {
  while (!window.empty() && now - window.front() >= domain::kMinute) window.pop_front();
}

}  // namespace

std::optional<Response> RateLimiter::admit(const RateLimits& limits, domain::TimePoint now,
                                           const std::string& user, const std::string& member) {
  struct Check {
    int limit;
    std::string key;
    const char* scope;
  };
  const std::array<Check, 3> checks{{
      {limits.per_minute, "", "requests per minute"},
      {user.empty() ? 0 : limits.per_user_per_minute, "u:" + user,
       "requests per minute for a user"},
      {member.empty() ? 0 : limits.per_member_per_minute, "m:" + member,
       "requests per minute for a member"},
  }};
  for (const Check& c : checks) {
    if (c.limit <= 0) continue;
    Window& window = windows_[c.key];
    expire(window, now);
    if (window.size() < static_cast<std::size_t>(c.limit)) continue;
    const auto wait = std::chrono::ceil<domain::Seconds>(window.front() + domain::kMinute - now);
    Response r = error_response(
        429, "Too many requests. The limit is " + std::to_string(c.limit) + " " + c.scope + ".");
    r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, wait.count())));
    return r;
  }
  for (const Check& c : checks) {
    if (c.limit > 0) windows_[c.key].push_back(now);
  }
  return std::nullopt;
}

}  // namespace mxemu::api
