#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mxclient/result.h"

// What the Connect widget (or the institution's OAuth page) hands back to the app, parsed into
// the member it is about. Pure functions: no I/O, no clock. Every input is untrusted text from a
// browser or a deep link, so malformed input is an ErrorKind::kInvalidInput value whose message
// says what was wrong; nothing here throws.
//
// Accepted shapes (shared/docs/mx-behavior.md §7b, §7c):
//   postMessage, ui_message_version 4:
//     {"mx":true,"type":"mx/connect/memberConnected",
//      "metadata":{"user_guid":"USR-…","session_guid":"ANS-…","member_guid":"MBR-…"}}
//   the same without the "mx/" prefix ("connect/memberConnected"), `metadata` given as a JSON
//   string, and the SDKs' OAuth messages {"mx":true,"type":"oauthComplete/success",
//   "metadata":{"member_guid":"MBR-…"}} and "mx/client/oauthComplete" (metadata.url holds the
//   OAuth redirect URL);
//   webview navigation (is_mobile_webview): <scheme>://connect/memberConnected?metadata=<JSON,
//     percent-encoded or not>; a host-only URL is a namespace-less event (mx://load → mx/load);
//   OAuth redirect: <scheme>://oauth_complete?status=success|error&member_guid=MBR-… or the
//     client_redirect_url with the same query (the HTML-escaped "amp;member_guid" too).
namespace mxclient {

enum class CallbackKind {
  kMemberConnected,     // mx/connect/memberConnected: the member connected (member_guid)
  kMemberStatusUpdate,  // mx/connect/memberStatusUpdate: member_guid + connection_status id
  kOAuthSuccess,        // the OAuth step succeeded (member_guid)
  kOAuthError,          // the OAuth step failed (member_guid when MX names it)
  kOAuthRequested,      // mx/connect/oauthRequested: open `url` in a browser (member_guid)
  kMemberDeleted,       // mx/connect/memberDeleted: the user deleted the member in the widget
  kOther,               // any other event (load, ping, stepChange, submitMFA, …)
};

struct WidgetCallback {
  CallbackKind kind = CallbackKind::kOther;
  std::string event;        // normalised: "mx/connect/memberConnected", "mx/load", "oauth_complete"
  std::string member_guid;  // "MBR-…"; "" when the event names no member
  std::optional<std::string> user_guid;     // "USR-…" when the payload carries it
  std::optional<std::string> session_guid;  // the widget session, when present
  std::optional<int> connection_status_id;  // kMemberStatusUpdate: MX's integer
  std::optional<std::string> url;           // kOAuthRequested: where to send the user
  std::optional<std::string> error_reason;  // kOAuthError: MX's reason when given
};

// A postMessage payload (the event's `data`, as JSON text).
Result<WidgetCallback> parse_post_message(std::string_view json);
// A webview navigation URL: <scheme>://<namespace>/<event>?metadata=<JSON>.
Result<WidgetCallback> parse_webview_url(std::string_view url);
// An OAuth redirect: any URL whose query has status=success|error (and member_guid).
Result<WidgetCallback> parse_oauth_redirect(std::string_view url);
// Any of the three, told apart by shape: JSON object text is a postMessage; a URL whose host is
// "oauth_complete", or whose query has `status` but no `metadata`, is an OAuth redirect; any
// other URL is a webview navigation. Leading and trailing whitespace is ignored.
Result<WidgetCallback> parse_widget_callback(std::string_view text);

// "member_connected", "member_status_update", "oauth_success", "oauth_error",
// "oauth_requested", "member_deleted", "other".
std::string_view to_string(CallbackKind kind);

}  // namespace mxclient
