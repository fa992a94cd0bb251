#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.h"

namespace mxemu::domain {

// What a due event does when its time comes.
enum class TimerKind {
  kJobStep,                // move the member's running job to its next phase
  kChallengeExpiry,        // CHALLENGED for too long → EXPIRED
  kOAuthExpiry,            // PENDING for an hour → MX deletes the member
  kBackgroundAggregation,  // MX's ~24 h background refresh
  kSuccessOverdue,         // two weeks since the last success: a failing member DISCONNECTS
  kMicrodepositStep,       // a microdeposit's next status (requested, deposited, retention)
};

struct Timer {
  TimePoint due;
  std::uint64_t id = 0;  // also the tie-breaker: equal deadlines fire in scheduling order
  TimerKind kind = TimerKind::kJobStep;
  std::string member_guid;  // the member's guid; the microdeposit's for kMicrodepositStep
};

// Due events in (deadline, id) order: the emulator's only notion of "later". Nothing here
// sleeps or reads a clock; the Emulator pops what is due whenever time moves. Timers are never
// cancelled: a handler checks that the timer still matches the member's state and ignores it
// otherwise, which keeps cancellation bugs impossible.
class TimerQueue {
 public:
  std::uint64_t schedule(TimePoint due, TimerKind kind, std::string member_guid);
  // Removes and returns the earliest timer due at or before `now`.
  std::optional<Timer> pop_due(TimePoint now);
  std::optional<TimePoint> next_due() const;
  std::size_t size() const { return heap_.size(); }
  // Forgets every timer and restarts the ids, as a new queue.
  void clear() {
    heap_.clear();
    next_id_ = 1;
  }
  // Every pending timer in (due, id) order, and the id the next one gets; restore() replaces
  // the queue with them (snapshots).
  std::vector<Timer> pending() const;
  std::uint64_t next_id() const { return next_id_; }
  void restore(std::vector<Timer> timers, std::uint64_t next_id);
  // The deadline of the pending timer `id`, if it is still queued. Linear in size().
  std::optional<TimePoint> due_of(std::uint64_t id) const;
  // Whether every timer due at or before `t` is of `kind`. Linear in size().
  bool only_kind_due_by(TimePoint t, TimerKind kind) const;

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.id > b.id;
    }
  };
  std::vector<Timer> heap_;  // a binary heap under Later (std::push_heap / std::pop_heap)
  std::uint64_t next_id_ = 1;
};

}  // namespace mxemu::domain
