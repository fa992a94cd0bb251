#include "mxclient/status_policy.h"

namespace mxclient {
namespace {

using S = ConnectionStatus;
using A = Action;
namespace L {
constexpr RepairLink kNone = RepairLink::kNone;
constexpr RepairLink kWidget = RepairLink::kWidget;
constexpr RepairLink kCreds = RepairLink::kWidgetWithCredentials;
constexpr RepairLink kOAuth = RepairLink::kOAuthWindow;
}  // namespace L
constexpr bool T = true;
constexpr bool F = false;

// Sources, as in shared/docs/mx-behavior.md: S003 = MX Platform API reference ("Connection
// statuses" table), S002/S004 = MX integration guides, CW = MX's open-source Connect widget
// (src/const/Statuses.js), EMP = third-party live observation of int-api.mx.com.
//
// Columns: poll = keep_polling, note = notify_user, rfr = may_refresh (scheduler may
// POST …/aggregate without the user), wagg = while is_being_aggregated, answer kWaitAndPoll.
//
// Decisions that need a word:
// - DISABLED: no refresh (rfr F). MX paused the member's aggregation and resumes it itself; an
//   aggregate call cannot start a job until then (the emulator refuses it too).
// - wagg on REJECTED, DEGRADED, DISCONNECTED and FAILED: during a job MX keeps showing the
//   pre-job status with is_being_aggregated true, so a member retried (or re-aggregated after a
//   wrong MFA answer) reads its old status until the job decides; acting on it then would
//   notify about a state that is being resolved.
// - Credentials are asked for (kReconnectWithCredentials) only where MX says they are the
//   problem: PREVENTED, DENIED, IMPORTED, IMPAIRED.
// - REJECTED and EXPIRED repair in the widget: the credentials are fine, only the MFA step must
//   run again, and MX lists challenges only while CHALLENGED, so there is nothing to answer via
//   the API. The widget with current_member_guid starts a fresh attempt and shows whatever MX
//   asks next.
// - RECONNECTED: MX stops background aggregation and wants a re-aggregation with the user
//   present. The widget is that foreground run (it handles any MFA); while a job runs, wait.
// - DEGRADED, DISABLED, DELAYED, FAILED, DISCONNECTED are MX-side or temporary. The user can't
//   fix them, so no credentials are asked for. A refresh may be attempted later: the
//   scheduler caps its retries.
// - DEGRADED and DISABLED interrupt a working connection, so the user is told (once per
//   episode, MemberWatcher) with a link to the widget on the member (current_member_guid, no
//   update_credentials: MX does not need credentials for them). Nothing else changes: DEGRADED
//   is still refreshed later by the scheduler (capped, backed off), DISABLED is left to MX.
// - link: the widget URL a notice offers. Credentials (update_credentials) only where MX says
//   they are the problem; current_member_guid alone where the widget resolves it (MFA, a
//   retry); none where no widget helps (LOCKED and IMPEDED are fixed at the institution).
// - Statuses that need the user present (MFA, credentials, institution site, OAuth) forbid a
//   background refresh: it can only fail again, or raise a challenge nobody answers.
// - Unknown (a status added after this build): no credentials are asked for and nothing is
//   given up. If a job is running, wait for MX to settle on a known status; otherwise retry
//   later. Polling a member with no running job would never end, and asking for credentials
//   on a guess could make a working connection worse. The caller's overall poll deadline still
//   applies.
// clang-format off
constexpr std::array<StatusRule, kConnectionStatusCount> kTable{{
  // status          action                        poll note rfr wagg link      message                                                                                             basis
  {S::kNone,         A::kNothing,                  F,   F,   F,  T,   L::kNone,  "{institution} has no saved sign-in details, so it won't update on its own.",                      "null: the member has no credentials; manual members always have it [S003]"},
  {S::kCreated,      A::kWaitAndPoll,              T,   F,   T,  T,   L::kNone,  "Connecting to {institution}...",                                                                   "0 CREATED: new, not yet aggregated; aggregation starts on create unless skipped [S003; CW processing]"},
  {S::kPrevented,    A::kReconnectWithCredentials, F,   T,   F,  F,   L::kCreds, "We couldn't sign in to {institution} after several tries. Please re-enter your sign-in details.", "1 PREVENTED: MX blocks aggregation until credentials are updated (last 3 attempts failed) [S003]"},
  {S::kDenied,       A::kReconnectWithCredentials, F,   T,   F,  F,   L::kCreds, "{institution} didn't accept your sign-in details. Please re-enter them.",                         "2 DENIED: the credentials are invalid [S003]"},
  {S::kChallenged,   A::kAnswerMfa,                F,   T,   F,  F,   L::kWidget,"{institution} needs to verify it's you. Please answer its security question.",                   "3 CHALLENGED: MFA challenge issued; answer (widget with current_member_guid, or PUT resume), then poll [S003, S004]"},
  {S::kRejected,     A::kRepairInWidget,           F,   T,   F,  T,   L::kWidget,"{institution} didn't accept that answer. Please try verifying again.",                            "4 REJECTED: MFA answered wrongly; another challenge may follow (so wait while a job runs) or aggregation must restart; challenges are listed only while CHALLENGED [S003]"},
  {S::kLocked,       A::kTellUserAndWait,          F,   T,   F,  F,   L::kNone,  "{institution} has locked your account. Please contact {institution}, then try again.",           "5 LOCKED: the institution blocks authentication; the user must contact it [S003]"},
  {S::kConnected,    A::kNothing,                  F,   F,   T,  T,   L::kNone,  "Connected to {institution}.",                                                                      "6 CONNECTED: authenticated, data is aggregating; done when is_being_aggregated is false [S003, S002/S004]"},
  {S::kImpeded,      A::kTellUserAndWait,          F,   T,   F,  F,   L::kNone,  "{institution} needs your attention. Please sign in on its website, follow any prompts, then try again.", "7 IMPEDED: user action needed on the institution's site (terms, messages) [S003]"},
  {S::kReconnected,  A::kRepairInWidget,           F,   T,   F,  T,   L::kWidget,"{institution} needs a quick refresh while you're in the app. Tap to update it.",                  "8 RECONNECTED: moved to a new data source; no background aggregation; re-aggregate with the user present [S003; CW processing]"},
  {S::kDegraded,     A::kRetryLater,               F,   T,   T,  T,   L::kWidget,"Your connection to {institution} is interrupted: we're having trouble reaching it. We'll try again later on our own, or you can reconnect now.", "9 DEGRADED: aggregation failed >= 3 times in a short period; MX-side, not user-fixable, so no credentials are asked for [S003; mx-behavior 11]"},
  {S::kDisconnected, A::kRetryLater,               F,   T,   T,  T,   L::kNone,  "We haven't been able to update {institution} for a while, so your data may be out of date. We'll keep trying.", "10 DISCONNECTED: failed >= 3 times and no success for >= 2 weeks [S003]"},
  {S::kDiscontinued, A::kGiveUp,                   F,   T,   F,  F,   L::kNone,  "{institution} can no longer be connected. Its accounts won't update any more.",                   "11 DISCONTINUED: the connection to the institution is no longer available [S003]"},
  {S::kClosed,       A::kGiveUp,                   F,   T,   F,  F,   L::kNone,  "Your connection to {institution} is closed. Connect it again to keep it up to date.",            "12 CLOSED: the member was marked closed (by the user, MX, the client or a partner) [S003]"},
  {S::kDelayed,      A::kRetryLater,               T,   F,   T,  F,   L::kNone,  "Updating {institution} is taking longer than usual. We'll keep trying.",                          "13 DELAYED: aggregating is taking longer than expected; keep polling, no user action [S003]"},
  {S::kFailed,       A::kRetryLater,               F,   F,   T,  T,   L::kNone,  "We couldn't update {institution} this time. We'll try again later.",                              "14 FAILED: aggregation failed without being connected; retry later [S003]"},
  {S::kUpdated,      A::kWaitAndPoll,              T,   F,   T,  T,   L::kNone,  "Checking your new sign-in details for {institution}...",                                           "15 UPDATED: credentials updated, not yet connected; aggregate and poll; throttle-exempt [S003; CW processing]"},
  {S::kDisabled,     A::kRetryLater,               F,   T,   F,  F,   L::kWidget,"Your connection to {institution} is interrupted: updates are paused for now and will resume on their own, or you can reconnect now.", "16 DISABLED: aggregation momentarily paused, the member is still connected; not a credential problem [S003; mx-behavior 11]"},
  {S::kImported,     A::kReconnectWithCredentials, F,   T,   F,  F,   L::kCreds, "Please enter your {institution} sign-in details to start updating your accounts.",                "17 IMPORTED: MX has no credentials and will not aggregate until the user provides them [S003]"},
  {S::kResumed,      A::kWaitAndPoll,              T,   F,   F,  T,   L::kNone,  "Checking your answer with {institution}...",                                                       "18 RESUMED: MFA answer received, correctness not yet known; poll [S003; CW processing]"},
  {S::kExpired,      A::kRepairInWidget,           F,   T,   F,  F,   L::kWidget,"Verification for {institution} timed out. Please try again.",                                      "19 EXPIRED: MFA not answered in time; credentials are fine, only MFA must run again [S003; nexus members overview]"},
  {S::kImpaired,     A::kReconnectWithCredentials, F,   T,   F,  F,   L::kCreds, "We need more sign-in details for {institution}. Please update them.",                             "20 IMPAIRED: some or all required credentials are missing [S003]"},
  {S::kPending,      A::kCompleteOAuth,            F,   T,   F,  F,   L::kOAuth, "Please finish signing in on {institution}'s website.",                                             "21 PENDING: OAuth step not finished; MX deletes the member after 1 h [S003]"},
  {S::kUnknown,      A::kRetryLater,               F,   F,   T,  T,   L::kNone,  "We're checking on your connection to {institution}.",                                              "not an MX status this build knows: ask nothing, give up nothing; wait if a job runs [INF]"},
}};
// clang-format on

constexpr bool table_is_in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].status) != i) return false;
  }
  return true;
}
// A link is offered in a notice; a row that tells nobody has no link to offer.
constexpr bool links_only_where_notified() {
  for (const StatusRule& rule : kTable) {
    if (rule.link != RepairLink::kNone && !rule.notify_user) return false;
  }
  return true;
}

static_assert(table_is_in_enum_order(), "one row per ConnectionStatus, in enum order");
static_assert(links_only_where_notified(), "a repair link goes with a notice");
static_assert(static_cast<std::size_t>(RepairLink::kOAuthWindow) + 1 == kRepairLinkCount);
static_assert(static_cast<std::size_t>(S::kUnknown) + 1 == kConnectionStatusCount);
static_assert(static_cast<std::size_t>(A::kNothing) + 1 == kActionCount);

// MX's wire strings, index = MX's integer id (S003; CW src/const/Statuses.js).
constexpr std::array<std::string_view, 22> kWireNames{
    "CREATED",   "PREVENTED", "DENIED",      "CHALLENGED", "REJECTED",     "LOCKED",
    "CONNECTED", "IMPEDED",   "RECONNECTED", "DEGRADED",   "DISCONNECTED", "DISCONTINUED",
    "CLOSED",    "DELAYED",   "FAILED",      "UPDATED",    "DISABLED",     "IMPORTED",
    "RESUMED",   "EXPIRED",   "IMPAIRED",    "PENDING",
};

constexpr std::array<std::string_view, kActionCount> kActionNames{
    "wait_and_poll",    "answer_mfa",         "reconnect_with_credentials",
    "repair_in_widget", "tell_user_and_wait", "retry_later",
    "give_up",          "complete_oauth",     "nothing",
};

// Shown while decide() overrides a row because MX is still working.
constexpr std::string_view kUpdatingMessage = "Updating your {institution} accounts...";
constexpr std::string_view kUpdatingBasis =
    "is_being_aggregated: a job is running; poll until it ends [S003 2c, S002/S004]";
constexpr std::string_view kSettlingBasis =
    "CONNECTED, job over, transactions not processed yet: accounts can race the transaction "
    "pull [EMP]; poll at most kMaxSettlePolls more times, then sync";

PolicyDecision from_rule(const StatusRule& rule) {
  PolicyDecision d;
  d.status = rule.status;
  d.action = rule.action;
  d.keep_polling = rule.keep_polling;
  d.notify_user = rule.notify_user;
  d.may_refresh = rule.may_refresh;
  d.link = rule.link;
  d.message_template = rule.message;
  d.basis = rule.basis;
  return d;
}

}  // namespace

const std::array<StatusRule, kConnectionStatusCount>& status_policy_table() { return kTable; }

const StatusRule& rule_for(ConnectionStatus status) {
  const auto i = static_cast<std::size_t>(status);
  return i < kTable.size() ? kTable[i] : kTable.back();
}

std::string PolicyDecision::message(std::string_view institution) const {
  return format_status_message(message_template, institution);
}

PolicyDecision decide(const MxMemberStatus& observed) {
  const StatusRule& rule = rule_for(parse_connection_status(observed.connection_status));
  PolicyDecision d = from_rule(rule);
  if (observed.is_being_aggregated && rule.wait_if_aggregating) {
    d.action = A::kWaitAndPoll;
    d.keep_polling = true;
    d.notify_user = false;
    d.may_refresh = false;  // a job is running: an aggregate now starts nothing
    d.link = RepairLink::kNone;
    d.message_template = kUpdatingMessage;
    d.basis = kUpdatingBasis;
    return d;
  }
  if (rule.status == S::kConnected) {
    if (observed.has_processed_accounts && observed.has_processed_transactions) {
      d.data_ready = true;
    } else {
      d.action = A::kWaitAndPoll;
      d.keep_polling = true;
      d.may_refresh = false;
      d.settling = true;
      d.message_template = kUpdatingMessage;
      d.basis = kSettlingBasis;
    }
  }
  return d;
}

MxMemberStatus status_of(const MxMember& member) {
  MxMemberStatus status;
  status.guid = member.guid;
  status.connection_status = member.connection_status;
  status.is_being_aggregated = member.is_being_aggregated;
  status.has_processed_accounts = true;
  status.has_processed_transactions = true;
  status.aggregated_at = member.aggregated_at;
  status.successfully_aggregated_at = member.successfully_aggregated_at;
  return status;
}

PolicyDecision decide(const MxMember& observed) { return decide(status_of(observed)); }

std::string describe_plan(const PolicyDecision& d) {
  std::string plan;
  switch (d.action) {
    case A::kWaitAndPoll:
      plan = "poll until MX settles";
      break;
    case A::kAnswerMfa:
      plan = "ask the user to answer MFA";
      break;
    case A::kReconnectWithCredentials:
      plan = "ask the user for new credentials";
      break;
    case A::kRepairInWidget:
      plan = "ask the user to repair it in the widget";
      break;
    case A::kTellUserAndWait:
      plan = "tell the user to act at the institution";
      break;
    case A::kRetryLater:
      plan = d.may_refresh ? "refresh later" : "wait for MX to resume it (no refresh)";
      break;
    case A::kGiveUp:
      plan = "give up (never refreshed)";
      break;
    case A::kCompleteOAuth:
      plan = "ask the user to finish OAuth";
      break;
    case A::kNothing:
      plan = d.status == S::kNone ? "nothing (no credentials)" : "nothing; refresh when stale";
      break;
  }
  if (d.notify_user && d.action == A::kRetryLater) plan += ", user told";
  if (d.link != RepairLink::kNone) plan += " (link: " + std::string(to_string(d.link)) + ")";
  return plan;
}

ConnectionStatus parse_connection_status(std::string_view text) {
  if (text.empty()) return S::kNone;
  for (std::size_t i = 0; i < kWireNames.size(); ++i) {
    if (kWireNames[i] == text) return connection_status_from_id(static_cast<int>(i));
  }
  return S::kUnknown;
}

std::string_view to_string(ConnectionStatus status) {
  if (status == S::kNone) return "";
  if (const auto id = connection_status_id(status)) {
    return kWireNames[static_cast<std::size_t>(*id)];
  }
  return "UNKNOWN";
}

std::optional<int> connection_status_id(ConnectionStatus status) {
  if (status == S::kNone || status == S::kUnknown) return std::nullopt;
  const int index = static_cast<int>(status);
  if (index < 1 || index > static_cast<int>(kWireNames.size())) return std::nullopt;
  return index - 1;
}

ConnectionStatus connection_status_from_id(int id) {
  if (id < 0 || id >= static_cast<int>(kWireNames.size())) return S::kUnknown;
  return static_cast<ConnectionStatus>(id + 1);
}

std::string_view to_string(Action action) {
  const auto i = static_cast<std::size_t>(action);
  return i < kActionNames.size() ? kActionNames[i] : "unknown";
}

std::string_view to_string(RepairLink link) {
  switch (link) {
    case RepairLink::kNone:
      return "none";
    case RepairLink::kWidget:
      return "widget";
    case RepairLink::kWidgetWithCredentials:
      return "widget_with_credentials";
    case RepairLink::kOAuthWindow:
      return "oauth_window";
  }
  return "none";
}

std::optional<Action> parse_action(std::string_view text) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == text) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::string format_status_message(std::string_view message_template, std::string_view institution) {
  constexpr std::string_view kPlaceholder = "{institution}";
  std::string out;
  out.reserve(message_template.size() + institution.size());
  std::size_t from = 0;
  for (std::size_t at = message_template.find(kPlaceholder); at != std::string_view::npos;
       at = message_template.find(kPlaceholder, from)) {
    out.append(message_template.substr(from, at - from));
    if (!institution.empty()) {
      out.append(institution);
    } else {
      out.append(at == 0 ? "Your bank" : "your bank");
    }
    from = at + kPlaceholder.size();
  }
  out.append(message_template.substr(from));
  return out;
}

}  // namespace mxclient
