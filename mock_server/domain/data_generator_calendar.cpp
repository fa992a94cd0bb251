// The data generator's calendar: civil dates and month indexes (UTC).
#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {

// Howard Hinnant's civil_from_days / days_from_civil (public-domain algorithms).
Ymd civil(DayNumber z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

DayNumber from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mu = static_cast<unsigned>(m);
  const unsigned doy = (153 * (mu > 2 ? mu - 3 : mu + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

MonthIndex month_of(DayNumber d) {
  const Ymd c = civil(d);
  return c.year * 12 + (c.month - 1);
}

DayNumber first_day(MonthIndex m) {
  const std::int64_t y = m >= 0 ? m / 12 : (m - 11) / 12;
  return from_civil(y, static_cast<int>(m - y * 12) + 1, 1);
}

}  // namespace mxemu::domain::generator_detail
