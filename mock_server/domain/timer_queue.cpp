#include "domain/timer_queue.h"

#include <algorithm>
#include <utility>

namespace mxemu::domain {

std::uint64_t TimerQueue::schedule(TimePoint due, TimerKind kind, std::string member_guid) {
  const std::uint64_t id = next_id_++;
  heap_.push_back(Timer{due, id, kind, std::move(member_guid)});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  return id;
}

std::optional<Timer> TimerQueue::pop_due(TimePoint now) {
  if (heap_.empty() || heap_.front().due > now) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Timer t = std::move(heap_.back());
  heap_.pop_back();
  return t;
}

std::optional<TimePoint> TimerQueue::next_due() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().due;
}

std::optional<TimePoint> TimerQueue::due_of(std::uint64_t id) const {
  for (const Timer& t : heap_) {
    if (t.id == id) return t.due;
  }
  return std::nullopt;
}

bool TimerQueue::only_kind_due_by(TimePoint t, TimerKind kind) const {
  return std::none_of(heap_.begin(), heap_.end(),
                      [&](const Timer& x) { return x.due <= t && x.kind != kind; });
}

}  // namespace mxemu::domain

namespace mxemu::domain {

std::vector<Timer> TimerQueue::pending() const {
  std::vector<Timer> out = heap_;
  std::sort(out.begin(), out.end(), [](const Timer& a, const Timer& b) { return Later{}(b, a); });
  return out;
}

void TimerQueue::restore(std::vector<Timer> timers, std::uint64_t next_id) {
  heap_ = std::move(timers);
  std::make_heap(heap_.begin(), heap_.end(), Later{});
  next_id_ = next_id;
}

}  // namespace mxemu::domain
