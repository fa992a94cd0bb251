// RefreshScheduler::Limiter: in-flight jobs and rolling call windows.
#include "refresh_limiter.h"

#include <algorithm>
#include <utility>

namespace mxclient {

template <class Match>
std::pair<int, TimePoint> RefreshScheduler::Limiter::jobs_where(Match match) const {
  int n = 0;
  TimePoint earliest = TimePoint::max();
  for (const auto& [member, job] : jobs_) {
    if (!match(job)) continue;
    ++n;
    earliest = std::min(earliest, job.until);
  }
  return {n, earliest};
}

void RefreshScheduler::Limiter::prune(TimePoint now) {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    it = it->second.until <= now ? jobs_.erase(it) : std::next(it);
  }
  // A call at t counts while t > now - window: it frees its place at t + window.
  const auto slide = [now](std::deque<TimePoint>& calls, std::chrono::seconds window) {
    while (!calls.empty() && calls.front() + window <= now) calls.pop_front();
  };
  slide(calls_, limits_.window);
  for (auto it = institution_calls_.begin(); it != institution_calls_.end();) {
    slide(it->second, limits_.institution_window);
    it = it->second.empty() ? institution_calls_.erase(it) : std::next(it);
  }
}

namespace {
bool full(int limit, int used) { return limit > 0 && used >= limit; }
}  // namespace

std::optional<RefreshScheduler::Limiter::Block> RefreshScheduler::Limiter::check_global() const {
  if (full(limits_.max_in_flight, static_cast<int>(jobs_.size()))) {
    return Block{RefreshDeferral::kInFlight, jobs_where([](const Job&) { return true; }).second};
  }
  if (full(limits_.max_calls, static_cast<int>(calls_.size()))) {
    return Block{RefreshDeferral::kRate, calls_.front() + limits_.window};
  }
  return std::nullopt;
}

std::optional<RefreshScheduler::Limiter::Block> RefreshScheduler::Limiter::check_institution(
    const std::string& institution) const {
  if (limits_.max_in_flight_per_institution > 0) {
    const auto [n, free_at] =
        jobs_where([&](const Job& j) { return j.institution == institution; });
    if (full(limits_.max_in_flight_per_institution, n)) {
      return Block{RefreshDeferral::kInstitutionInFlight, free_at};
    }
  }
  auto it = institution_calls_.find(institution);
  if (it != institution_calls_.end() &&
      full(limits_.max_calls_per_institution, static_cast<int>(it->second.size()))) {
    return Block{RefreshDeferral::kInstitutionRate,
                 it->second.front() + limits_.institution_window};
  }
  return std::nullopt;
}

std::optional<RefreshScheduler::Limiter::Block> RefreshScheduler::Limiter::check_user(
    const std::string& user) const {
  if (limits_.max_in_flight_per_user <= 0) return std::nullopt;
  if (auto [n, free_at] = jobs_where([&](const Job& j) { return j.user == user; });
      full(limits_.max_in_flight_per_user, n)) {
    return Block{RefreshDeferral::kUserInFlight, free_at};
  }
  return std::nullopt;
}

void RefreshScheduler::Limiter::note_call(const std::string& institution, TimePoint at) {
  calls_.push_back(at);
  institution_calls_[institution].push_back(at);
}

void RefreshScheduler::Limiter::note_job(const std::string& member, const std::string& institution,
                                         const std::string& user, TimePoint until) {
  jobs_[member] = Job{institution, user, until};
}

bool RefreshScheduler::Limiter::finish(const std::string& member) {
  return jobs_.erase(member) > 0;
}

bool RefreshScheduler::Limiter::running(const std::string& member) const {
  return jobs_.count(member) > 0;
}

int RefreshScheduler::Limiter::in_flight() const { return static_cast<int>(jobs_.size()); }

int RefreshScheduler::Limiter::in_flight_at(const std::string& institution) const {
  return jobs_where([&](const Job& j) { return j.institution == institution; }).first;
}

}  // namespace mxclient
