#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxclient/mx_api.h"
#include "mxclient/mx_types.h"
#include "mxclient/notifier.h"
#include "mxclient/result.h"
#include "mxclient/status_policy.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// Step 4 of the flow: follow a member's connection_status until there is something to do, from
// polls (watch) and from anyone else who learns a status (on_status: the webhook receiver).
// Every observation goes through the same path: out-of-order check, status history, the
// status policy (decide()), the member's WatchState, and deduplicated notices.
//
// The policy is applied to each observation on its own: a member that was CONNECTED is treated
// by what MX says now (CHALLENGED, DEGRADED, …), never assumed to stay CONNECTED.
//
// Notices are deduplicated per episode. An episode ends each time the member is seen CONNECTED
// and idle; the dedupe key is "<kind>:<member>:<STATUS>:<episode>", so the same status seen
// twice (a poll and a webhook, or two polls) notifies once, and the same status recurring after
// a recovery notifies again. A recovery after a status the user was told about sends
// kNoticeConnectionRestored once ("connection_restored:<member>:<episode>").
namespace mxclient {

struct WatchConfig {
  // MX recommends polling GET …/status no faster than every 3 s (S002/S004).
  std::chrono::milliseconds poll_interval{3000};
  int max_polls = 200;  // attempt cap: polls per watch() call
  // Overall bound on one watch() call, measured on the injected Clock.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // answer_challenges(): follow-up questions answered before handing back (two-step MFA).
  int max_mfa_rounds = 3;
};

// Why watch() stopped.
enum class WatchEnd {
  kReady,       // CONNECTED, not aggregating, data processed (or the settle cap hit): sync now
  kNeedsUser,   // the policy's action needs the user: MFA, credentials, widget, institution, OAuth
  kRetryLater,  // MX-side or temporary (DEGRADED, FAILED, DISABLED, DISCONNECTED, null): the
                // refresh scheduler may try again later
  kGaveUp,      // the connection cannot come back (DISCONTINUED, CLOSED)
  kTimedOut,    // the poll cap or the timeout was reached while MX was still working
};
// "ready", "needs_user", "retry_later", "gave_up", "timed_out".
std::string_view to_string(WatchEnd end);

// What one observation did.
struct StatusOutcome {
  // Ignored: older than the member's latest recorded observation (out-of-order delivery). Only
  // `decision` is filled in then; nothing was stored or sent.
  bool stale = false;
  bool recorded = false;  // appended to the status history (it differs from the latest)
  PolicyDecision decision;
  WatchState watch_state = WatchState::kWatching;  // as stored for the member
  bool recovered = false;    // CONNECTED and idle again after a status the user was told about
  std::vector<Notice> sent;  // notices delivered because of this observation
  std::optional<Error> notify_error;  // a notice that could not be claimed or delivered
};

struct WatchResult {
  WatchEnd end = WatchEnd::kTimedOut;
  MxMemberStatus last;  // the last status read; its challenges when CHALLENGED
  PolicyDecision decision;
  int polls = 0;
  std::vector<Notice> notices;        // every notice delivered during the watch
  std::optional<Error> notify_error;  // the last notice failure, if any
};

// The app's answers to MFA challenges, when it collects them itself instead of opening the
// widget (ConnectFlow::resume_mfa).
class ChallengeAnswerer {
 public:
  virtual ~ChallengeAnswerer() = default;
  // One answer per challenge: {challenge guid, value} (for OPTIONS, the chosen option's
  // value). nullopt declines: the app will use the widget instead.
  virtual std::optional<std::vector<MxCredentialValue>> answer(
      const MemberRecord& member, const std::vector<MxChallenge>& challenges) = 0;
};

// The WatchState a decision leaves a member in: kWatching while MX works (keep_polling),
// kNeedsUser when only the user can move it (including kGiveUp), kSettled otherwise.
WatchState watch_state_for(const PolicyDecision& decision);
// How watch() ends on a decision that does not keep polling.
WatchEnd watch_end_for(const PolicyDecision& decision);

// Thread safety: on_status() may be called from several threads (webhook receiver) while
// watch() runs on another: each observation is checked and recorded in one store transaction.
// The Notifier is called outside it. Ownership: every reference must outlive this object.
class MemberWatcher {
 public:
  MemberWatcher(MxApi& api, Store& store, const Clock& clock, Sleeper& sleeper, Notifier& notifier,
                WatchConfig config = {})
      : api_(api),
        store_(store),
        clock_(clock),
        sleeper_(sleeper),
        notifier_(notifier),
        config_(config) {}

  const WatchConfig& config() const { return config_; }

  // Polls GET …/status every poll_interval (through the Sleeper) and observes each reply
  // (StatusSource::kPoll) until CONNECTED and idle (kReady), a status that needs the user or
  // that MX must resolve, or the cap/timeout. The member must be stored (kNotFound).
  // Errors: a status read that MxApi's retries did not cure, and storage errors.
  Result<WatchResult> watch(const std::string& member_guid);

  // The entry for other sources (StatusSource::kWebhook, kCallback): one observed status of a
  // stored member at `observation.observed_at`. is_being_aggregated is taken as given and data
  // as processed (webhooks do not report has_processed_*). Ignored (stale) when older than the
  // member's latest recorded observation. kNotFound for a member that is not stored.
  Result<StatusOutcome> on_status(const StatusObservation& observation);

  // The same for a full status read (what watch() does with each poll).
  Result<StatusOutcome> observe(const MxMemberStatus& status, StatusSource source,
                                TimePoint observed_at);

  // Answers a CHALLENGED member through the API: lists its challenges, asks `answerer`, PUTs
  // …/resume, then watch()es. A follow-up question (CHALLENGED again) is answered the same
  // way, up to max_mfa_rounds. kInvalidInput when the member has no open challenges or the
  // answerer declines (offer ConnectFlow::resume_mfa then).
  Result<WatchResult> answer_challenges(const std::string& member_guid,
                                        ChallengeAnswerer& answerer);

 private:
  Result<MemberRecord> stored_member(const std::string& member_guid);
  // Claims `key` and sends the notice; fills out.sent / out.notify_error.
  void send_notice(const MemberRecord& member, std::string_view kind, const std::string& key,
                   const PolicyDecision& decision, TimePoint at, StatusOutcome& out);
  // The institution's display name for messages ("" when unknown), cached in the store's meta.
  std::string institution_name(const std::string& institution_code);

  MxApi& api_;
  Store& store_;
  const Clock& clock_;
  Sleeper& sleeper_;
  Notifier& notifier_;
  WatchConfig config_;
};

}  // namespace mxclient
