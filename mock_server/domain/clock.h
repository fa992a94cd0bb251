#pragma once

#include <chrono>

namespace mxemu::domain {

// MX timestamps are wall-clock (ISO-8601 in REST, Unix seconds in webhooks).
using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;
inline constexpr Seconds kMinute{60};

// The one seam for time. Only main() constructs a clock that reads the real time; everything
// else receives a `const Clock&`, so tests and scenario replays move time by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// A clock that moves only when told to. Used by tests, the scenario runner and `--clock manual`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::nanoseconds d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d);
  }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// A base clock shifted by an offset that only grows: how the control API "advances" time on a
// server that otherwise follows the real clock. Thread safety: callers serialise (the Emulator
// holds its lock around every use).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(const Clock& base) : base_(base) {}
  TimePoint now() const override { return base_.now() + offset_; }
  void advance(Seconds d) { offset_ += d; }
  Seconds offset() const { return offset_; }

 private:
  const Clock& base_;
  Seconds offset_{0};
};

}  // namespace mxemu::domain
