// Which transactions a sync asks MX for: the first window and the incremental one.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "civil_date.h"
#include "mxclient/sync.h"

namespace mxclient {
namespace {

// The proleptic Gregorian date of a day number (days since 1970-01-01), as YYYY-MM-DD: the
// inverse of internal::days_from_civil (H. Hinnant's algorithms).
std::string civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "%04lld-%02u-%02u", y + (m <= 2 ? 1 : 0), m, d);
  return buf.data();
}

long long day_number(TimePoint t) {
  const auto days =
      std::chrono::floor<std::chrono::duration<long long, std::ratio<86400>>>(t.time_since_epoch());
  return days.count();
}

}  // namespace

std::string utc_date(TimePoint t) { return civil_from_days(day_number(t)); }

std::string add_days(const std::string& yyyy_mm_dd, int days) {
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(yyyy_mm_dd.c_str(), "%4u-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31) {
    return yyyy_mm_dd;  // not a date: leave it for MX to reject with its own message
  }
  return civil_from_days(internal::days_from_civil(y, static_cast<int>(m), static_cast<int>(d)) +
                         days);
}

SyncWindow choose_sync_window(const MemberRecord& member, const SyncConfig& config, TimePoint now) {
  SyncWindow w;
  if (!member.last_synced_at) {
    if (config.first_sync_lookback_days) {
      w.filter.from_date = add_days(utc_date(now), -std::max(0, *config.first_sync_lookback_days));
    }
    return w;
  }
  w.incremental = true;
  w.filter.from_date =
      add_days(utc_date(*member.last_synced_at), -std::max(0, config.overlap_days));
  return w;
}

}  // namespace mxclient
