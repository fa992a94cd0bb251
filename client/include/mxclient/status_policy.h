#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mxclient/mx_types.h"

// What the app does about a member's `connection_status`. One table (status_policy.cpp) holds a
// row for each of MX's 22 statuses, plus JSON null and a catch-all for statuses this build does
// not know. Each row records MX's documented meaning next to the decision taken from it.
//
// The policy is a pure function of ONE observation. It never remembers earlier ones. A member
// that was CONNECTED yesterday can be CHALLENGED, DENIED or anything else on its next
// aggregation, and decide() treats it by what MX says now, not by what it said before.
namespace mxclient {

// MX's member connection_status. The enumerators, kNone and kUnknown excepted, are in MX's
// integer order, so static_cast<int>(s) - 1 is MX's `connection_status_id`. Use
// connection_status_id() rather than doing that arithmetic.
enum class ConnectionStatus {
  kNone,  // JSON null (mx_types carries it as ""): a member with no credentials
  kCreated,
  kPrevented,
  kDenied,
  kChallenged,
  kRejected,
  kLocked,
  kConnected,
  kImpeded,
  kReconnected,
  kDegraded,
  kDisconnected,
  kDiscontinued,
  kClosed,
  kDelayed,
  kFailed,
  kUpdated,
  kDisabled,
  kImported,
  kResumed,
  kExpired,
  kImpaired,
  kPending,
  kUnknown,  // a string this build does not know (a status MX added later)
};
inline constexpr std::size_t kConnectionStatusCount = 24;

// What the app should do next.
enum class Action {
  kWaitAndPoll,  // MX is working: poll GET …/status again (MX recommends >= 3 s apart)
  kAnswerMfa,    // open the widget with current_member_guid, or answer the challenges via
                 // PUT …/resume if the app collects the answers itself
  kReconnectWithCredentials,  // widget with current_member_guid + update_credentials: true
  kRepairInWidget,   // widget with current_member_guid; the widget decides what it needs (MX's
                     // recommended repair path)
  kTellUserAndWait,  // the user must act at the institution (LOCKED, IMPEDED); no widget helps
  kRetryLater,       // MX-side or temporary; ask nothing of the user, refresh later (capped)
  kGiveUp,           // the connection cannot come back (DISCONTINUED, CLOSED)
  kCompleteOAuth,    // the user must finish the institution's OAuth step (PENDING)
  kNothing,          // done: CONNECTED and not aggregating (sync if data_ready)
};
inline constexpr std::size_t kActionCount = 9;

// The repair a notice offers the user: which Connect widget URL opens it (mx-behavior §7a, §11:
// MX has no UPDATE or RECONNECT mode; a repair loads the widget with current_member_guid).
enum class RepairLink {
  kNone,    // no widget helps: MX is working, the user must act at the institution, or the
            // connection is gone
  kWidget,  // current_member_guid: the widget shows what the member needs (MFA, a retry)
  kWidgetWithCredentials,  // current_member_guid + update_credentials: the credential form
  kOAuthWindow,            // a fresh oauth_window_uri (PENDING)
};
inline constexpr std::size_t kRepairLinkCount = 4;

// One row of the policy table.
struct StatusRule {
  ConnectionStatus status;
  Action action;
  bool keep_polling;  // MX will move the member without the user: poll GET …/status again
  bool notify_user;   // tell the user (push or in-app): they must act or should know
  bool may_refresh;   // the refresh scheduler may POST …/aggregate without the user present
  // If is_being_aggregated is true, MX is still working: decide() answers kWaitAndPoll instead.
  bool wait_if_aggregating;
  RepairLink link;           // what a notice offers (notify_user rows; kNone otherwise)
  std::string_view message;  // the app's wording; "{institution}" is replaced by the name
  std::string_view basis;    // MX's documented meaning this row is decided from
};

// The whole table, one row per ConnectionStatus, in enum order.
const std::array<StatusRule, kConnectionStatusCount>& status_policy_table();
// The row for `status`.
const StatusRule& rule_for(ConnectionStatus status);

// A CONNECTED member whose job has ended but whose transactions are not processed yet may be a
// race (accounts arrive before transactions) or an institution with no transactions. Poll at
// most this many more times (decide() sets `settling`), then sync anyway.
inline constexpr int kMaxSettlePolls = 5;

// decide()'s answer for one observation.
struct PolicyDecision {
  ConnectionStatus status = ConnectionStatus::kUnknown;
  Action action = Action::kRetryLater;
  bool keep_polling = false;
  bool notify_user = false;
  bool may_refresh = false;
  RepairLink link = RepairLink::kNone;  // the repair a notice offers
  // CONNECTED, not aggregating, accounts and transactions processed: fetch them now.
  bool data_ready = false;
  // CONNECTED, not aggregating, data not yet processed: keep polling, but at most
  // kMaxSettlePolls times in a row, then treat as data_ready.
  bool settling = false;
  std::string_view message_template;  // never empty
  std::string_view basis;

  // The user-facing message with the institution's name filled in.
  std::string message(std::string_view institution) const;
};

// The decision for the member as MX reports it now. Pure: same observation, same decision,
// whatever was observed before.
PolicyDecision decide(const MxMemberStatus& observed);
// The same, from the full member object (no has_processed_* there: treated as processed, since
// only GET …/status reports them).
PolicyDecision decide(const MxMember& observed);
// The status read a full member object stands for: data counted as processed, as above.
MxMemberStatus status_of(const MxMember& member);

// What the client will do about a decision, in a few words for operators ("refresh later,
// user told with a repair link", "ask the user for new credentials"): `mxctl status`.
std::string describe_plan(const PolicyDecision& decision);

// MX's wire string ("CONNECTED"). "" (JSON null) parses to kNone; anything else that is not
// one of the 22 parses to kUnknown. Matching is exact: MX sends upper case.
ConnectionStatus parse_connection_status(std::string_view text);
// The wire string: "" for kNone, "UNKNOWN" for kUnknown (which is not an MX value).
std::string_view to_string(ConnectionStatus status);
// MX's integer (webhook `connection_status_id`, widget postMessage `connection_status`).
// nullopt for kNone and kUnknown.
std::optional<int> connection_status_id(ConnectionStatus status);
// 0…21 map to the 22 statuses; any other integer is kUnknown.
ConnectionStatus connection_status_from_id(int id);

// "wait_and_poll", "answer_mfa", "reconnect_with_credentials", "repair_in_widget",
// "tell_user_and_wait", "retry_later", "give_up", "complete_oauth", "nothing".
std::string_view to_string(Action action);
std::optional<Action> parse_action(std::string_view text);
// "none", "widget", "widget_with_credentials", "oauth_window".
std::string_view to_string(RepairLink link);

// Replaces every "{institution}" in `message_template`. An empty name becomes "your bank"
// ("Your bank" at the start).
std::string format_status_message(std::string_view message_template, std::string_view institution);

}  // namespace mxclient
