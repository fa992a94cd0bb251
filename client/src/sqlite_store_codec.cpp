// Spellings of the store's enums, and the ISO-8601 reader behind the due-for-refresh query.

#include <array>
#include <cstdint>
#include <string_view>

#include "civil_date.h"
#include "sqlite_store_impl.h"

namespace mxclient {

// --- enum spellings -------------------------------------------------------------------------

const char* to_string(WatchState state) {
  switch (state) {
    case WatchState::kWatching:
      return "watching";
    case WatchState::kSettled:
      return "settled";
    case WatchState::kNeedsUser:
      return "needs_user";
  }
  return "watching";
}

const char* to_string(StatusSource source) {
  switch (source) {
    case StatusSource::kPoll:
      return "poll";
    case StatusSource::kWebhook:
      return "webhook";
    case StatusSource::kCallback:
      return "callback";
  }
  return "poll";
}

const char* to_string(RefreshOutcome outcome) {
  switch (outcome) {
    case RefreshOutcome::kStarted:
      return "started";
    case RefreshOutcome::kThrottled:
      return "throttled";
    case RefreshOutcome::kFailed:
      return "failed";
    case RefreshOutcome::kSkipped:
      return "skipped";
  }
  return "started";
}

std::optional<WatchState> parse_watch_state(std::string_view text) {
  for (auto s : {WatchState::kWatching, WatchState::kSettled, WatchState::kNeedsUser}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<StatusSource> parse_status_source(std::string_view text) {
  for (auto s : {StatusSource::kPoll, StatusSource::kWebhook, StatusSource::kCallback}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<RefreshOutcome> parse_refresh_outcome(std::string_view text) {
  for (auto o : {RefreshOutcome::kStarted, RefreshOutcome::kThrottled, RefreshOutcome::kFailed,
                 RefreshOutcome::kSkipped}) {
    if (text == to_string(o)) return o;
  }
  return std::nullopt;
}

namespace sqlite {
namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool valid_date(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (s.size() < 19 || !read_digits(s, 0, 4, year) || s[4] != '-' || !read_digits(s, 5, 2, month) ||
      s[7] != '-' || !read_digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !read_digits(s, 11, 2, hour) || s[13] != ':' || !read_digits(s, 14, 2, minute) ||
      s[16] != ':' || !read_digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (!valid_date(year, month, day) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {  // any number of digits; beyond milliseconds ignored
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const std::int64_t sign = s[pos] == '-' ? -1 : 1;
      int offset_hours = 0;
      int offset_mins = 0;
      if (!read_digits(s, pos + 1, 2, offset_hours)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!read_digits(s, mpos, 2, offset_mins) || offset_hours > 23 || offset_mins > 59) {
        return std::nullopt;
      }
      offset_minutes = sign * (std::int64_t{offset_hours} * 60 + offset_mins);
      pos = mpos + 2;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t seconds = internal::days_from_civil(year, month, day) * 86400 +
                               std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second -
                               offset_minutes * 60;
  return seconds * 1000 + ms;
}

}  // namespace sqlite
}  // namespace mxclient
