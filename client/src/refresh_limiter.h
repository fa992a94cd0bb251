#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include "mxclient/refresh_scheduler.h"

// Internal to mxclient: the bookkeeping behind RefreshLimits. Not thread-safe on its own; the
// scheduler guards it with its limiter_mutex_.
namespace mxclient {

class RefreshScheduler::Limiter {
 public:
  explicit Limiter(const RefreshLimits& limits) : limits_(limits) {}

  // A limit a call would break now, and the earliest time it can stop applying (a job's
  // assumed end, a window sliding on). Call prune(now) first.
  struct Block {
    RefreshDeferral reason;
    TimePoint free_at;
  };
  // Forgets jobs past their assumed end and calls that left their windows.
  void prune(TimePoint now);
  // The limits every call shares (overall in flight, overall rate).
  std::optional<Block> check_global() const;
  // The limits of one institution and one user.
  std::optional<Block> check_institution(const std::string& institution) const;
  std::optional<Block> check_user(const std::string& user) const;

  void note_call(const std::string& institution, TimePoint at);
  // A job runs for `member` (started, or found running) until finish() or `until`.
  void note_job(const std::string& member, const std::string& institution, const std::string& user,
                TimePoint until);
  bool finish(const std::string& member);
  // These read the state as of the last prune().
  bool running(const std::string& member) const;
  int in_flight() const;
  int in_flight_at(const std::string& institution) const;

 private:
  struct Job {
    std::string institution;
    std::string user;
    TimePoint until;
  };
  // The earliest end among the jobs `match` accepts, and how many there are.
  template <class Match>
  std::pair<int, TimePoint> jobs_where(Match match) const;

  const RefreshLimits limits_;
  std::map<std::string, Job> jobs_;  // by member guid
  std::map<std::string, std::deque<TimePoint>> institution_calls_;
  std::deque<TimePoint> calls_;
};

}  // namespace mxclient
