// RefreshScheduler: one pass over the members the SLA makes due (run_due), within the limits.
#include "mxclient/refresh_scheduler.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mxclient/retry.h"  // next_random: the seeded generator behind every jitter here
#include "mxclient/watch.h"  // record_member_status
#include "refresh_limiter.h"
#include "sqlite_store_impl.h"  // parse_iso8601_ms

namespace mxclient {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// base * 2^(n-1), capped; n >= 1.
seconds backoff(seconds base, std::int64_t n, seconds cap) {
  seconds d = base;
  for (std::int64_t i = 1; i < n && d < cap; ++i) d *= 2;
  return std::min(d, cap);
}

std::string clip(std::string text, std::size_t max = 200) {
  if (text.size() > max) text.resize(max);
  return text;
}

}  // namespace

// A member that passed screening, with its place in the spread.
struct RefreshScheduler::Planned {
  MemberRecord member;
  TimePoint slot;
  std::optional<RefreshDeferral> blocked;  // the limit that held it back when last examined
};

RefreshScheduler::RefreshScheduler(MxApi& api, Store& store, const Clock& clock, Sleeper& sleeper,
                                   RefreshSchedulerOptions options)
    : api_(api),
      store_(store),
      clock_(clock),
      sleeper_(sleeper),
      options_(std::move(options)),
      limiter_(std::make_unique<Limiter>(options_.limits)) {}

RefreshScheduler::~RefreshScheduler() = default;

bool RefreshScheduler::job_finished(const std::string& member_guid) {
  std::lock_guard<std::mutex> lock(limiter_mutex_);
  return limiter_->finish(member_guid);
}

int RefreshScheduler::in_flight() const {
  std::lock_guard<std::mutex> lock(limiter_mutex_);
  limiter_->prune(clock_.now());
  return limiter_->in_flight();
}

milliseconds RefreshScheduler::jitter_offset(const std::string& member_guid) const {
  const auto spread = duration_cast<milliseconds>(options_.spread).count();
  if (spread <= 0) return milliseconds{0};
  std::uint64_t state = options_.jitter_seed ^ fnv1a(member_guid);
  return milliseconds{
      static_cast<std::int64_t>(next_random(state) % static_cast<std::uint64_t>(spread))};
}

seconds RefreshScheduler::throttle_window_for(const std::string& institution_code) const {
  auto it = options_.institution_throttle_windows.find(institution_code);
  return it == options_.institution_throttle_windows.end() ? options_.throttle_window : it->second;
}

void RefreshScheduler::wait(milliseconds d, RefreshPassCounts& counts) {
  if (d <= milliseconds{0}) return;
  sleeper_.wait(d);
  counts.waited += d;
}

Result<RefreshPassCounts> RefreshScheduler::run_due() {
  std::unique_lock<std::mutex> pass(pass_mutex_, std::try_to_lock);
  if (!pass.owns_lock()) {
    return make_error(ErrorKind::kInvalidInput, "run_due: a refresh pass is already running");
  }
  RefreshPassCounts counts;
  const TimePoint start = clock_.now();
  auto due = store_.list_members_due_for_refresh(start - options_.sla);
  if (!due) return due.error();
  counts.considered = static_cast<int>(due->size());

  std::vector<Planned> plan;
  for (MemberRecord& member : *due) {
    auto skip = screen(member, start);
    if (!skip) return skip.error();
    if (*skip) {
      ++counts.skipped[static_cast<std::size_t>(**skip)];
      continue;
    }
    const TimePoint slot = start + jitter_offset(member.member_guid);
    plan.push_back({std::move(member), slot, std::nullopt});
  }
  // Stable: without a spread the store's order stands (never aggregated, then oldest first).
  std::stable_sort(plan.begin(), plan.end(),
                   [](const Planned& a, const Planned& b) { return a.slot < b.slot; });

  // Work-conserving: the first member in plan order that no limit holds back goes next, so a
  // busy institution or user never stalls the others. When none may go, wait for the earliest
  // moment one might; if that is past the deadline, the rest wait for the next pass.
  const TimePoint deadline = start + std::max(options_.spread, options_.max_pass_duration);
  std::vector<Planned> pending = std::move(plan);
  while (!pending.empty()) {
    if (options_.limits.max_calls_per_pass > 0 &&
        counts.calls() >= options_.limits.max_calls_per_pass) {
      counts.deferred[static_cast<std::size_t>(RefreshDeferral::kPassFull)] +=
          static_cast<int>(pending.size());
      break;
    }
    const TimePoint now = clock_.now();
    TimePoint wake = TimePoint::max();
    if (const auto ready = next_ready(pending, now, wake)) {
      Planned item = std::move(pending[*ready]);
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(*ready));
      // The pass may have waited a while: what the store learned meanwhile (a webhook, a
      // poll) decides, not the plan.
      auto fresh = store_.find_member(item.member.member_guid);
      if (!fresh) return fresh.error();
      if (!*fresh) {
        ++counts.skipped[static_cast<std::size_t>(RefreshSkip::kFresh)];
        continue;
      }
      item.member = std::move(**fresh);
      auto skip = screen(item.member, now);
      if (!skip) return skip.error();
      if (*skip) {
        ++counts.skipped[static_cast<std::size_t>(**skip)];
        continue;
      }
      if (auto called = call(item, counts); !called) return called.error();
      continue;
    }
    if (wake > deadline) {
      for (const Planned& item : pending) {
        ++counts.deferred[static_cast<std::size_t>(
            item.blocked.value_or(RefreshDeferral::kPassFull))];
      }
      break;
    }
    wait(std::max(duration_cast<milliseconds>(wake - now), milliseconds{1}), counts);
    if (sleeper_.interrupted()) {
      counts.deferred[static_cast<std::size_t>(RefreshDeferral::kInterrupted)] +=
          static_cast<int>(pending.size());
      break;
    }
  }
  return counts;
}

std::optional<std::size_t> RefreshScheduler::next_ready(std::vector<Planned>& pending,
                                                        TimePoint now, TimePoint& wake) {
  const auto recheck = now + options_.limit_recheck;
  // When a slot limit holds, job_finished() may free it before its assumed end: look again.
  const auto note = [&](Planned& item, const Limiter::Block& block) {
    item.blocked = block.reason;
    const bool slot = block.reason == RefreshDeferral::kInFlight ||
                      block.reason == RefreshDeferral::kInstitutionInFlight ||
                      block.reason == RefreshDeferral::kUserInFlight;
    wake = std::min(wake, slot ? std::min(block.free_at, recheck) : block.free_at);
  };
  std::lock_guard<std::mutex> lock(limiter_mutex_);
  limiter_->prune(now);
  std::optional<Limiter::Block> global;
  if (paused_until_ > now) {
    global = Limiter::Block{RefreshDeferral::kRateLimited, paused_until_};
  } else {
    global = limiter_->check_global();
  }
  // Per-institution answers, computed once per look.
  std::map<std::string, std::optional<Limiter::Block>> institutions;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Planned& item = pending[i];
    if (item.slot > now) {  // the plan is in slot order: nobody later is due either
      wake = std::min(wake, item.slot);
      break;
    }
    if (global) {
      note(item, *global);
      continue;
    }
    auto [at, fresh] = institutions.try_emplace(item.member.institution_code);
    if (fresh) at->second = limiter_->check_institution(item.member.institution_code);
    if (at->second) {
      note(item, *at->second);
      continue;
    }
    if (auto user = limiter_->check_user(item.member.user_guid)) {
      note(item, *user);
      continue;
    }
    return i;
  }
  return std::nullopt;
}

Result<std::optional<RefreshSkip>> RefreshScheduler::screen(const MemberRecord& member,
                                                            TimePoint now) {
  using Skip = std::optional<RefreshSkip>;
  // Still due? The store's due list was read when the pass began.
  if (member.successfully_aggregated_at) {
    const auto ms = sqlite::parse_iso8601_ms(*member.successfully_aggregated_at);
    if (ms && TimePoint(milliseconds{*ms}) >= now - options_.sla) return Skip{RefreshSkip::kFresh};
  }
  if (member.watch_state == WatchState::kNeedsUser) return Skip{RefreshSkip::kNeedsUser};

  // The member's status, through the one policy table. A stored is_being_aggregated is
  // believed only while fresh: a failed job sends no webhook to clear it.
  MxMember view;
  view.guid = member.member_guid;
  view.user_guid = member.user_guid;
  view.institution_code = member.institution_code;
  view.connection_status = member.connection_status;
  view.is_being_aggregated =
      member.is_being_aggregated && member.updated_at + options_.aggregating_grace > now;
  if (auto skip = policy_skip(decide(view))) return skip;
  {
    std::lock_guard<std::mutex> lock(limiter_mutex_);
    limiter_->prune(now);
    if (limiter_->running(member.member_guid)) return Skip{RefreshSkip::kAggregating};
  }

  auto last = store_.last_refresh_attempt(member.member_guid);
  if (!last) return last.error();
  if (*last && (*last)->next_allowed_at && *(*last)->next_allowed_at > now) {
    return Skip{RefreshSkip::kWaiting};
  }

  if (options_.max_attempts_per_member > 0) {
    RefreshAttemptQuery query;
    query.member_guid = member.member_guid;
    query.from = now - options_.attempt_window;
    auto all = store_.count_refresh_attempts(query);
    if (!all) return all.error();
    query.outcome = RefreshOutcome::kSkipped;  // someone else's bookkeeping, not a call
    auto skipped = store_.count_refresh_attempts(query);
    if (!skipped) return skipped.error();
    if (*all - *skipped >= options_.max_attempts_per_member) return Skip{RefreshSkip::kAttemptCap};
  }
  return Skip{};
}

std::optional<RefreshSkip> RefreshScheduler::policy_skip(const PolicyDecision& decision) const {
  const auto& skips = options_.skip_statuses;
  if (std::find(skips.begin(), skips.end(), decision.status) != skips.end()) {
    return RefreshSkip::kPaused;
  }
  if (decision.may_refresh) return std::nullopt;
  if (decision.action == Action::kGiveUp) return RefreshSkip::kGivenUp;
  if (decision.action == Action::kWaitAndPoll) return RefreshSkip::kAggregating;
  if (decision.action == Action::kRetryLater) return RefreshSkip::kPaused;
  return RefreshSkip::kNeedsUser;
}

Status RefreshScheduler::call(const Planned& item, RefreshPassCounts& counts) {
  const MemberRecord& m = item.member;
  const TimePoint at = clock_.now();
  {
    std::lock_guard<std::mutex> lock(limiter_mutex_);
    limiter_->note_call(m.institution_code, at);
  }
  // MX may have changed the status since the store learned it (a background aggregation met
  // a new MFA question): the policy judges the member MX shows just before the POST.
  auto reply = api_.aggregate_member(m.user_guid, m.member_guid, [this](const MxMember& current) {
    return !policy_skip(decide(current));
  });
  const TimePoint done = clock_.now();  // MxApi may have waited out retries meanwhile

  RefreshAttempt attempt;
  attempt.member_guid = m.member_guid;
  attempt.attempted_at = at;
  bool job_running = false;
  seconds base{0};  // the backoff base when no job started
  if (reply && reply->outcome == AggregateOutcome::kHeld) {
    const PolicyDecision now = decide(reply->member);
    const RefreshSkip skip = policy_skip(now).value_or(RefreshSkip::kNeedsUser);
    ++counts.skipped[static_cast<std::size_t>(skip)];
    attempt.outcome = RefreshOutcome::kSkipped;
    attempt.detail =
        "not sent: MX shows " + std::string(to_string(now.status)) + " (" + to_string(skip) + ")";
    attempt.next_allowed_at = done;  // the stored status, updated below, screens it next time
  } else if (reply && reply->outcome == AggregateOutcome::kStarted) {
    ++counts.started;
    attempt.outcome = RefreshOutcome::kStarted;
    attempt.detail = "202, job started";
    attempt.next_allowed_at = done + throttle_window_for(m.institution_code);
    job_running = true;
  } else if (reply) {
    ++counts.throttled;
    job_running = reply->member.is_being_aggregated;
    attempt.outcome = RefreshOutcome::kThrottled;
    attempt.detail = job_running ? "202, no job started: a job is already running"
                                 : "202, no job started: throttled";
    base = throttle_window_for(m.institution_code);
  } else if (reply.error().kind == ErrorKind::kHttp && reply.error().http_status == 429) {
    ++counts.rate_limited;
    attempt.outcome = RefreshOutcome::kThrottled;
    attempt.detail = clip("429 after retries: " + reply.error().message);
    base = options_.failure_backoff;
    std::lock_guard<std::mutex> lock(limiter_mutex_);
    paused_until_ = std::max(paused_until_, done + options_.rate_limit_pause);
  } else {
    ++counts.failed;
    attempt.outcome = RefreshOutcome::kFailed;
    attempt.detail = clip(reply.error().message);
    base = options_.failure_backoff;
  }

  if (!attempt.next_allowed_at) {
    // Calls without a job in the window, this one included, double the wait each time.
    RefreshAttemptQuery query;
    query.member_guid = m.member_guid;
    query.from = at - options_.attempt_window;
    query.outcome = RefreshOutcome::kThrottled;
    auto throttled = store_.count_refresh_attempts(query);
    if (!throttled) return throttled.error();
    query.outcome = RefreshOutcome::kFailed;
    auto failed = store_.count_refresh_attempts(query);
    if (!failed) return failed.error();
    attempt.next_allowed_at = done + backoff(base, *throttled + *failed + 1, options_.max_backoff);
  }
  if (auto recorded = store_.record_refresh_attempt(attempt); !recorded) return recorded.error();
  if (reply && options_.update_members) {
    if (auto kept = remember_reply(m, reply->member, done); !kept) return kept.error();
  }

  RefreshCall event;
  {
    std::lock_guard<std::mutex> lock(limiter_mutex_);
    if (job_running) {
      limiter_->note_job(m.member_guid, m.institution_code, m.user_guid,
                         done + options_.limits.assumed_job_duration);
    }
    limiter_->prune(done);
    event.in_flight = limiter_->in_flight();
    event.institution_in_flight = limiter_->in_flight_at(m.institution_code);
  }
  counts.max_in_flight = std::max(counts.max_in_flight, event.in_flight);
  if (options_.on_call) {
    event.member_guid = m.member_guid;
    event.user_guid = m.user_guid;
    event.institution_code = m.institution_code;
    event.at = at;
    event.outcome = attempt.outcome;
    event.detail = attempt.detail;
    event.next_allowed_at = attempt.next_allowed_at;
    options_.on_call(event);
  }
  return Done{};
}

// What the aggregate reply says about the member is the freshest news there is: keep it, so
// the next pass screens the member by its real status.
Status RefreshScheduler::remember_reply(const MemberRecord& member, const MxMember& reply,
                                        TimePoint at) {
  MxMemberStatus status = status_of(reply);
  status.guid = member.member_guid;
  auto written = record_member_status(store_, status, StatusSource::kPoll, at, at);
  if (!written && written.error().kind == ErrorKind::kNotFound) return Done{};  // deleted
  if (!written) return written.error();
  return Done{};
}

}  // namespace mxclient
