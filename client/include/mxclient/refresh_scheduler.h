#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mxclient/mx_api.h"
#include "mxclient/result.h"
#include "mxclient/status_policy.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// The stale-data refresh scheduler: POST …/aggregate for the members whose last successful
// aggregation is older than the SLA, without hammering MX or the institutions behind it.
//
// What MX does that shapes it (mx-behavior.md §3):
// - A standard aggregation inside the throttle window (3 h by default, per institution; none
//   for MX Bank) answers 202 with the member and starts NO job. MxApi::aggregate_member tells
//   the two apart (AggregateOutcome). Calling again before the window passes only gets another
//   202, so a throttled member waits out the window (then, if throttled again, twice as long).
// - 429 is MX's per-client/IP rate limit. MxApi already waits out Retry-After and retries; a
//   429 that outlasts those retries pauses the whole pass (options.rate_limit_pause).
// - Members whose status needs the user (MFA, credentials, the institution's site, OAuth) can
//   only fail again or raise a challenge nobody answers: status_policy.h's decide() says which
//   (may_refresh), so there is no second table here.
// - MX documents no per-member or per-user rate limit; the per-institution, per-user and
//   in-flight limits are this client's courtesy to the institutions' sites [INF].
namespace mxclient {

// Why a member the SLA made due got no aggregate call in a pass (not recorded in the store).
enum class RefreshSkip {
  kNeedsUser,    // decide(): only the user can move it (MFA, credentials, OAuth, site, no creds)
  kGivenUp,      // decide(): kGiveUp (DISCONTINUED, CLOSED)
  kPaused,       // MX resolves it itself (DISABLED: paused; decide() says retry later but
                 // not now), or its status is in options.skip_statuses
  kAggregating,  // a job runs: the stored member says so (recently), or one this scheduler
                 // started is still in flight, or decide() says MX is still working
  kWaiting,      // its last attempt's next_allowed_at is still ahead (throttle window, backoff)
  kAttemptCap,   // options.max_attempts_per_member calls within options.attempt_window
  kFresh,        // by its turn in the pass, the store knew of a newer successful aggregation
                 // (a webhook arrived meanwhile), or the member was deleted
};
inline constexpr std::size_t kRefreshSkipCount = 7;

// Why a member that could be refreshed was left for a later pass.
enum class RefreshDeferral {
  kInFlight,             // limits.max_in_flight
  kInstitutionInFlight,  // limits.max_in_flight_per_institution
  kUserInFlight,         // limits.max_in_flight_per_user
  kInstitutionRate,      // limits.max_calls_per_institution per institution_window
  kRate,                 // limits.max_calls per window
  kPassFull,             // limits.max_calls_per_pass
  kRateLimited,          // MX answered 429 (after MxApi's retries): no more calls this pass
  kInterrupted,          // the Sleeper was interrupted (SIGINT) while the pass waited
};
inline constexpr std::size_t kRefreshDeferralCount = 8;

const char* to_string(RefreshSkip skip);          // "needs_user", "given_up", …
const char* to_string(RefreshDeferral deferral);  // "in_flight", "institution_rate", …

// What limits the calls. A job counts as "in flight" from the aggregate call that started it
// (or found it running) until job_finished() is called for its member, or assumed_job_duration
// passes, whichever is first. Zero disables a limit.
struct RefreshLimits {
  int max_in_flight = 16;
  int max_in_flight_per_institution = 4;
  int max_in_flight_per_user = 1;  // per member it is always 1
  std::chrono::seconds assumed_job_duration{120};
  // Aggregate calls (every call, whatever MX answered) per institution per rolling window.
  int max_calls_per_institution = 20;
  std::chrono::seconds institution_window{60};
  // Aggregate calls overall per rolling window. Each aggregate_member is two requests (GET
  // member, POST aggregate); MX's startup partners get 100 requests per minute in all.
  int max_calls = 40;
  std::chrono::seconds window{60};
  int max_calls_per_pass = 0;
};

// One aggregate call, as it happened (for logs, metrics and tests).
struct RefreshCall {
  std::string member_guid;
  std::string user_guid;
  std::string institution_code;
  TimePoint at{};  // when the call was made (before MxApi's own retries, if any)
  RefreshOutcome outcome = RefreshOutcome::kFailed;
  std::string detail;  // as recorded in the store
  std::optional<TimePoint> next_allowed_at;
  int in_flight = 0;              // jobs believed running after the call, overall
  int institution_in_flight = 0;  // … at this member's institution
};
using RefreshObserver = std::function<void(const RefreshCall&)>;

struct RefreshSchedulerOptions {
  // A member is due when its successfully_aggregated_at is older than this (or missing).
  std::chrono::seconds sla{24 * 3600};
  // MX's standard-aggregation throttle: 3 h unless the institution's is known to differ.
  std::chrono::seconds throttle_window{3 * 3600};
  std::map<std::string, std::chrono::seconds> institution_throttle_windows;
  // At most this many calls per member within attempt_window (started ones included: a start
  // the store never hears completing would otherwise repeat every throttle window).
  int max_attempts_per_member = 4;
  std::chrono::seconds attempt_window{24 * 3600};
  // After a call that started no job, the member waits base * 2^(n-1), capped at max_backoff:
  // base is the throttle window after a 202 without a job, failure_backoff after an error;
  // n counts the calls without a job in attempt_window, this one included.
  std::chrono::seconds failure_backoff{15 * 60};
  std::chrono::seconds max_backoff{24 * 3600};
  // After a 429 that outlasted MxApi's retries, no call is made for this long.
  std::chrono::seconds rate_limit_pause{60};
  // A stored member flagged is_being_aggregated is taken at its word for this long after its
  // updated_at; older flags are stale (a failed job sends no webhook) and are ignored.
  std::chrono::seconds aggregating_grace{3600};
  // Each member's call is placed at a seeded, deterministic offset in [0, spread) from the
  // pass's start, so a pass does not hit every institution in the same second. 0: no spread.
  std::chrono::seconds spread{0};
  // How long a pass may go on, from its start, waiting for the spread and for limits to free
  // up; a member whose turn cannot come before then is deferred to the next pass. It is never
  // shorter than `spread`.
  std::chrono::seconds max_pass_duration{0};
  // While waiting for an in-flight slot, look again this often (job_finished() may free one).
  std::chrono::seconds limit_recheck{5};
  std::uint64_t jitter_seed = 0;
  // Statuses the app wants left alone although decide() allows a refresh (none by default;
  // DISABLED, which MX pauses and resumes itself, is already a may_refresh=false row).
  std::vector<ConnectionStatus> skip_statuses;
  // Record what an aggregate reply says about the member (status, is_being_aggregated,
  // aggregated_at, successfully_aggregated_at) as a kPoll observation, through
  // record_member_status (watch.h), the one writer of member statuses.
  bool update_members = true;
  RefreshLimits limits;
  RefreshObserver on_call;  // called after each aggregate call, on the pass's thread
};

// What one pass did.
struct RefreshPassCounts {
  int considered = 0;    // due by the SLA (Store::list_members_due_for_refresh)
  int started = 0;       // a job started
  int throttled = 0;     // 202 without a job: throttled, or a job was already running
  int rate_limited = 0;  // 429 after MxApi's retries
  int failed = 0;        // any other error (transport, HTTP, unreadable reply)
  std::array<int, kRefreshSkipCount> skipped{};
  std::array<int, kRefreshDeferralCount> deferred{};
  int max_in_flight = 0;                // the most jobs believed running at once during the pass
  std::chrono::milliseconds waited{0};  // time the pass spent waiting (spread, limits)

  int calls() const { return started + throttled + rate_limited + failed; }
  int skipped_total() const;
  int deferred_total() const;
  int skipped_for(RefreshSkip skip) const { return skipped[static_cast<std::size_t>(skip)]; }
  int deferred_for(RefreshDeferral d) const { return deferred[static_cast<std::size_t>(d)]; }
};

// "considered=12 started=7 throttled=1 … skipped[needs_user=2 waiting=1] deferred[…]": one line
// for logs and `mxctl refresh --due`.
std::string describe(const RefreshPassCounts& counts);

// Runs refresh passes. Single-threaded by design: one pass at a time, one call at a time (the
// jobs run at MX, asynchronously; "in flight" counts those). Time only through the injected
// Clock and Sleeper: the pass waits on the Sleeper (spread, limits), so a test's virtual
// sleeper makes a day of passes cost nothing.
//
// Thread safety: run_due() refuses to run twice at once (kInvalidInput). job_finished() and
// in_flight() may be called from any thread at any time, including from the Sleeper while a
// pass waits (a test feeding webhooks) or from a WebhookServer handler.
//
// Limits live in this object (in-flight jobs, the rolling windows): keep one scheduler for the
// life of the process. Across processes only the store's records carry over (next_allowed_at,
// the attempt cap). `api`, `store`, `clock` and `sleeper` must outlive the scheduler.
class RefreshScheduler {
 public:
  RefreshScheduler(MxApi& api, Store& store, const Clock& clock, Sleeper& sleeper,
                   RefreshSchedulerOptions options = {});
  ~RefreshScheduler();
  RefreshScheduler(const RefreshScheduler&) = delete;
  RefreshScheduler& operator=(const RefreshScheduler&) = delete;

  // One pass: select the due members, skip what must be skipped, then call aggregate_member
  // for the rest in jitter order within the limits, recording each call with
  // Store::record_refresh_attempt. Errors: kStorage when the store fails (the pass stops, as
  // the caps would no longer hold), kInvalidInput when a pass is already running.
  Result<RefreshPassCounts> run_due();

  // The member's job has ended (an AGGREGATION, HISTORY or CONNECTION_STATUS webhook, or a
  // poll that saw is_being_aggregated false): frees its in-flight slot. Returns whether it was
  // in flight.
  bool job_finished(const std::string& member_guid);
  int in_flight() const;

  // Where the member's call falls within the spread: a pure function of (jitter_seed, guid).
  std::chrono::milliseconds jitter_offset(const std::string& member_guid) const;
  // options.institution_throttle_windows' entry, else options.throttle_window.
  std::chrono::seconds throttle_window_for(const std::string& institution_code) const;
  const RefreshSchedulerOptions& options() const { return options_; }

 private:
  struct Planned;
  class Limiter;

  // Why `member` must not be called at `now`, if it must not. Run when the pass plans and
  // again, on a fresh read of the member, just before its call.
  Result<std::optional<RefreshSkip>> screen(const MemberRecord& member, TimePoint now);
  // Why the status policy (and options.skip_statuses) keeps a member with this decision from
  // being aggregated; nullopt when it may be. screen() asks it of the stored status, call()
  // of the status MX shows just before the POST.
  std::optional<RefreshSkip> policy_skip(const PolicyDecision& decision) const;
  // The first pending member (in plan order) that may be called at `now`. Otherwise nullopt,
  // with `wake` lowered to the earliest time one might, and each examined member's blocking
  // limit noted in it.
  std::optional<std::size_t> next_ready(std::vector<Planned>& pending, TimePoint now,
                                        TimePoint& wake);
  Status call(const Planned& item, RefreshPassCounts& counts);
  Status remember_reply(const MemberRecord& member, const MxMember& reply, TimePoint at);
  void wait(std::chrono::milliseconds d, RefreshPassCounts& counts);

  MxApi& api_;
  Store& store_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const RefreshSchedulerOptions options_;

  std::mutex pass_mutex_;             // one pass at a time
  mutable std::mutex limiter_mutex_;  // guards limiter_ and paused_until_
  std::unique_ptr<Limiter> limiter_;
  TimePoint paused_until_{};  // after a 429
};

}  // namespace mxclient
