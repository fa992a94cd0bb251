#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.h"

// Calendar arithmetic for MX's wire formats, in UTC (C++17 has no <chrono> calendar).
namespace mxemu::domain {

// Days since 1970-01-01 (may be negative).
using DayNumber = std::int64_t;

// A TimePoint counts nanoseconds in 64 bits: about 1678-2262. Times this emulator holds stay
// within these days (1679-10-13 to 2260-03-21); a time outside is no time at all.
constexpr DayNumber kFirstRepresentableDay = -106000;
constexpr DayNumber kLastRepresentableDay = 106000;

// A proleptic Gregorian calendar date.
struct CivilDate {
  std::int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};
CivilDate civil_from_day(DayNumber z);
// REQUIRES: a valid date (month 1-12, day within the month).
DayNumber day_from_civil(std::int64_t year, int month, int day);

DayNumber day_of(TimePoint t);
TimePoint start_of_day(DayNumber day);
// "2024-03-01"
std::string format_day(DayNumber day);
std::string format_date(TimePoint t);
// "2024-03-01T09:00:00.000Z", the shape MX's REST examples use.
std::string format_iso8601(TimePoint t);
// Unix seconds, as MX's webhooks carry them.
std::int64_t unix_seconds(TimePoint t);

// Strict YYYY-MM-DD with a real calendar date; nullopt otherwise.
std::optional<DayNumber> parse_day(std::string_view text);
// YYYY-MM-DDTHH:MM:SS with optional fraction and a Z or +00:00 suffix; nullopt otherwise.
std::optional<TimePoint> parse_iso8601(std::string_view text);

}  // namespace mxemu::domain
