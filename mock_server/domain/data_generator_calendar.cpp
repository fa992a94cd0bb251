// The data generator's calendar: civil dates and month indexes (UTC).
#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {

// The calendar arithmetic itself lives in timestamps.h; these adapt it to the generator's types.
Ymd civil(DayNumber z) { return civil_from_day(z); }

DayNumber from_civil(std::int64_t y, int m, int d) { return day_from_civil(y, m, d); }

MonthIndex month_of(DayNumber d) {
  const Ymd c = civil(d);
  return c.year * 12 + (c.month - 1);
}

DayNumber first_day(MonthIndex m) {
  const std::int64_t y = m >= 0 ? m / 12 : (m - 11) / 12;
  return from_civil(y, static_cast<int>(m - y * 12) + 1, 1);
}

}  // namespace mxemu::domain::generator_detail
