#include "domain/timer_queue.h"

#include <utility>

namespace mxemu::domain {

std::uint64_t TimerQueue::schedule(TimePoint due, TimerKind kind, std::string member_guid) {
  const std::uint64_t id = next_id_++;
  heap_.push(Timer{due, id, kind, std::move(member_guid)});
  return id;
}

std::optional<Timer> TimerQueue::pop_due(TimePoint now) {
  if (heap_.empty() || heap_.top().due > now) return std::nullopt;
  Timer t = heap_.top();
  heap_.pop();
  return t;
}

std::optional<TimePoint> TimerQueue::next_due() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due;
}

}  // namespace mxemu::domain
