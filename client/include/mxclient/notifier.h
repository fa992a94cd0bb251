#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mxclient/result.h"
#include "mxclient/status_policy.h"
#include "mxclient/time.h"

// How the flow tells an end user about a member: the app implements Notifier (push, e-mail,
// in-app banner). The flow decides what to say and when (status_policy.h), and guarantees each
// notice is sent at most once per dedupe key (Store::insert_notification_if_absent).
namespace mxclient {

// Notice kinds, one per policy action that involves the user, plus recovery.
inline constexpr std::string_view kNoticeMfaRequired = "mfa_required";              // kAnswerMfa
inline constexpr std::string_view kNoticeReconnectRequired = "reconnect_required";  // credentials
inline constexpr std::string_view kNoticeRepairRequired = "repair_required";  // kRepairInWidget
inline constexpr std::string_view kNoticeInstitutionAction =
    "institution_action_required";                                              // kTellUserAndWait
inline constexpr std::string_view kNoticeOAuthIncomplete = "oauth_incomplete";  // kCompleteOAuth
inline constexpr std::string_view kNoticeConnectionLost = "connection_lost";    // kGiveUp
inline constexpr std::string_view kNoticeConnectionStale = "connection_stale";  // kRetryLater
// kRetryLater with a repair link (DEGRADED, DISABLED): the connection is interrupted; MX will
// retry or resume it, and the user may reconnect in the widget meanwhile.
inline constexpr std::string_view kNoticeConnectionInterrupted = "connection_interrupted";
// The member is CONNECTED again after a status the user was told about.
inline constexpr std::string_view kNoticeConnectionRestored = "connection_restored";

// The notice kind for a policy decision's action and link ("" for kWaitAndPoll and kNothing,
// which need no notice).
std::string_view notice_kind(Action action, RepairLink link);

struct Notice {
  std::string dedupe_key;  // e.g. "mfa_required:MBR-…:CHALLENGED:2" (see MemberWatcher)
  std::string kind;        // one of the kNotice* values
  std::string app_user_id;
  std::string user_guid;
  std::string member_guid;
  ConnectionStatus status = ConnectionStatus::kUnknown;  // what MX reported
  Action action = Action::kNothing;                      // what the app should offer
  std::string message;                                   // user-facing, institution filled in
  TimePoint at{};
  // The repair the notice offers, and its widget URL when the watcher could mint one
  // (MemberWatcher::offer_repair_links). MX's widget URLs are single use and expire after ten
  // minutes: an app showing the notice later mints a fresh one with
  // ConnectFlow::widget_url_for(member_guid, link).
  RepairLink link = RepairLink::kNone;
  std::optional<std::string> repair_url;
};

// The app's delivery channel. notify() returns an error when the notice could not be
// delivered; the flow then forgets the dedupe claim so that the next observation of the same
// status tries again.
//
// Thread safety: called from whichever thread observes the status (the watch loop, or the
// webhook receiver through MemberWatcher::on_status); implementations must allow that.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual Status notify(const Notice& notice) = 0;
};

}  // namespace mxclient
