#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
// record_member_status() is the only code that writes a member's status (connection_status,
// is_being_aggregated, watch_state) and its status history. Every source of news calls it: the
// watcher's polls and on_status, ConnectFlow::complete (the widget's callback), the webhook
// receiver and the refresh scheduler (aggregate replies). Other writers of a member record
// (sync, the receiver's successfully_aggregated_at) leave these fields as stored.
//
// The policy is applied to each observation on its own: a member that was CONNECTED is treated
// by what MX says now (CHALLENGED, DEGRADED, …), never assumed to stay CONNECTED.
//
// Notices are deduplicated per episode. An episode ends each time the member is seen CONNECTED
// and idle; the dedupe key is "<kind>:<member>:<STATUS>:<episode>", so the same status seen
// twice (a poll and a webhook, or two polls) notifies once, and the same status recurring after
// a recovery notifies again. An interruption (kNoticeConnectionInterrupted: DEGRADED, DISABLED)
// is one notice per episode whatever the status ("connection_interrupted:<member>:<episode>"),
// so a DEGRADED member that MX then pauses is not told twice. A recovery after a status the
// user was told about sends kNoticeConnectionRestored once
// ("connection_restored:<member>:<episode>").
namespace mxclient {

class ConnectFlow;

// What WatchConfig::on_progress is told.
struct WatchProgress {
  std::string member_guid;
  MxMemberStatus last;  // the latest status read
  std::chrono::milliseconds elapsed{0};
  int polls = 0;
};

struct WatchConfig {
  // MX recommends polling GET …/status no faster than every 3 s (S002/S004).
  std::chrono::milliseconds poll_interval{3000};
  int max_polls = 200;  // attempt cap: polls per watch() call
  // Overall bound on one watch() call, measured on the injected Clock.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // answer_challenges(): follow-up questions answered before handing back (two-step MFA).
  int max_mfa_rounds = 3;
  // Heartbeat of a long watch: called every `progress_every` of the watch's time (the wait
  // between polls is cut into slices for it). Unset: waits are whole and nothing is called.
  std::function<void(const WatchProgress&)> on_progress;
  std::chrono::milliseconds progress_every{10000};
};

// Why watch() stopped.
enum class WatchEnd {
  kReady,        // CONNECTED, not aggregating, data processed (or the settle cap hit): sync now
  kNeedsUser,    // the policy's action needs the user: MFA, credentials, widget, institution, OAuth
  kRetryLater,   // MX-side or temporary (DEGRADED, FAILED, DISABLED, DISCONNECTED, null): the
                 // refresh scheduler may try again later
  kGaveUp,       // the connection cannot come back (DISCONTINUED, CLOSED)
  kTimedOut,     // the poll cap or the timeout was reached while MX was still working
  kInterrupted,  // the Sleeper was interrupted (SIGINT): the watch stopped at once
};
// "ready", "needs_user", "retry_later", "gave_up", "timed_out", "interrupted".
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

// What record_member_status() did with one observation.
struct RecordedStatus {
  bool stale = false;     // older than the member's latest observation: nothing was written
  bool recorded = false;  // appended to the history (it differs from the latest entry)
  PolicyDecision decision;
  MemberRecord member;                     // as stored afterwards (as found, when stale)
  std::vector<StatusObservation> earlier;  // the history before it (empty when stale)
};

// The one writer of a member's status (see the top of this file). In one store transaction,
// joining the caller's: ignores `status` when it is older than the member's latest recorded
// observation (stale); otherwise appends it to the history (unless it repeats the latest),
// sets the member's connection_status and is_being_aggregated, its aggregated_at and
// successfully_aggregated_at when MX sent them (an unreadable successfully_aggregated_at is
// not stored), its watch_state from the policy (watch_state_for) and updated_at = `now`.
// kNotFound for a member that is not stored.
Result<RecordedStatus> record_member_status(Store& store, const MxMemberStatus& status,
                                            StatusSource source, TimePoint observed_at,
                                            TimePoint now);

// The status read an observation from a webhook or callback stands for: is_being_aggregated as
// given, data counted as processed (they do not report has_processed_*).
MxMemberStatus status_of(const StatusObservation& observation);

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
        config_(std::move(config)) {}

  const WatchConfig& config() const { return config_; }

  // Notices that offer a repair (PolicyDecision::link) carry a widget URL minted by `flow`
  // (ConnectFlow::widget_url_for). Without one, or when minting fails, they go out with the
  // link alone. `flow` must outlive this object; nullptr turns it off.
  void offer_repair_links(ConnectFlow* flow) { repairs_ = flow; }

  // Polls GET …/status every poll_interval (through the Sleeper) and observes each reply
  // (StatusSource::kPoll) until CONNECTED and idle (kReady), a status that needs the user or
  // that MX must resolve, the cap/timeout, or an interrupted Sleeper (kInterrupted: checked
  // before each poll and after each wait). The member must be stored (kNotFound).
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
  // Waits `d` on the Sleeper, in slices that let on_progress beat on time (`progress` gets the
  // elapsed time since `start`). False when the Sleeper was interrupted.
  bool pause(std::chrono::milliseconds d, WatchProgress& progress, TimePoint start,
             TimePoint& next_beat);
  // The settle cap was hit: WatchState::kSettled, nothing else changed.
  Status mark_settled(const std::string& member_guid);

  MxApi& api_;
  Store& store_;
  const Clock& clock_;
  Sleeper& sleeper_;
  Notifier& notifier_;
  WatchConfig config_;
  ConnectFlow* repairs_ = nullptr;
};

}  // namespace mxclient
