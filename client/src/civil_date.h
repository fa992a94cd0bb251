// Internal to mxclient: civil (proleptic Gregorian) dates as day numbers, for the store's
// ISO-8601 reader (sqlite_store_codec.cpp) and the sync window's date arithmetic
// (sync_window.cpp).
#pragma once

#include <cstdint>

namespace mxclient::internal {

// Days since 1970-01-01 of the civil date y-m-d, m in 1..12 (Howard Hinnant's public-domain
// algorithm).
inline std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace mxclient::internal
