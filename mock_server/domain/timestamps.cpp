#include "domain/timestamps.h"

#include <array>
#include <cstdio>

namespace mxemu::domain {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::optional<unsigned> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return v;
}

bool valid_date(unsigned y, unsigned m, unsigned d) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
DayNumber day_from_civil(std::int64_t y, int month, int day) {
  const auto m = static_cast<unsigned>(month);
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_day(DayNumber z) {
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

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

DayNumber day_of(TimePoint t) { return floor_div(unix_seconds(t), kSecondsPerDay); }

TimePoint start_of_day(DayNumber day) {
  return TimePoint(std::chrono::seconds(day * kSecondsPerDay));
}

std::string format_day(DayNumber day) {
  const CivilDate c = civil_from_day(day);
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month,
                c.day);
  return buf.data();
}

std::string format_date(TimePoint t) { return format_day(day_of(t)); }

std::string format_iso8601(TimePoint t) {
  const std::int64_t secs = unix_seconds(t);
  const DayNumber day = floor_div(secs, kSecondsPerDay);
  const std::int64_t rem = secs - day * kSecondsPerDay;
  std::array<char, 48> tod{};
  std::snprintf(tod.data(), tod.size(), "T%02d:%02d:%02d.000Z", static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return format_day(day) + tod.data();
}

std::optional<DayNumber> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text, 0, 4);
  auto m = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !m || !d || !valid_date(*y, *m, *d)) return std::nullopt;
  return day_from_civil(*y, static_cast<int>(*m), static_cast<int>(*d));
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  if (text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  auto day = parse_day(text.substr(0, 10));
  auto hh = digits(text, 11, 2);
  auto mm = digits(text, 14, 2);
  auto ss = digits(text, 17, 2);
  if (!day || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  // UBSan found "1012-01-01T00:00:00Z" overflowing a TimePoint.
  if (*day < kFirstRepresentableDay || *day > kLastRepresentableDay) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "+00:00" && !zone.empty()) return std::nullopt;
  return start_of_day(*day) + std::chrono::seconds(*hh * 3600 + *mm * 60 + *ss);
}

}  // namespace mxemu::domain
