#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mxclient/callback.h"
#include "mxclient/mx_api.h"
#include "mxclient/result.h"
#include "mxclient/status_policy.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// Steps 2 and 3 of the flow: the Connect widget URL the app opens, and what the app does with
// what the widget hands back. MX has no UPDATE or RECONNECT mode (mx-behavior §11): repairs and
// MFA load the widget with current_member_guid, plus update_credentials when fresh credentials
// are needed.
namespace mxclient {

enum class Platform { kWeb, kIos, kAndroid };

// How one platform embeds the widget (mx-behavior §7a). Use the factories below.
struct PlatformConfig {
  Platform platform = Platform::kWeb;
  // Webview apps get navigation events (scheme://…) instead of postMessages.
  bool is_mobile_webview = false;
  // Where MX sends the user after OAuth (APP referral): an app link or custom-scheme URL.
  std::optional<std::string> client_redirect_url;
  // The scheme of webview navigation events and of <scheme>://oauth_complete (MX default "mx").
  std::optional<std::string> ui_message_webview_url_scheme;
  std::string oauth_referral_source = "BROWSER";  // "BROWSER" (postMessage) or "APP" (redirect)
  int ui_message_version = 4;                     // MX: all new implementations use 4
  // Unset: MX's defaults.
  std::optional<bool> wait_for_full_aggregation;
  std::optional<std::string> color_scheme;     // "light" or "dark"
  std::optional<std::string> accept_language;  // e.g. "en-US"
};

// A web page embedding the widget in an iframe: postMessages, OAuth in a browser popup.
// `client_redirect_url` is sent when given (MX uses it only with APP referral).
PlatformConfig web_platform(std::optional<std::string> client_redirect_url = std::nullopt);
// A native app embedding the widget in a WebView: navigation events under `url_scheme`, OAuth
// opened by the app and ending at `client_redirect_url` (a universal link / app link, or a
// `url_scheme` URL).
PlatformConfig ios_platform(std::string url_scheme, std::string client_redirect_url);
PlatformConfig android_platform(std::string url_scheme, std::string client_redirect_url);

// kInvalidInput when the configuration cannot work: a webview platform without a valid URL
// scheme (RFC 3986: a letter, then letters, digits, '+', '-', '.'), a referral source other
// than APP/BROWSER, a ui_message_version below 4.
Status validate(const PlatformConfig& config);

// The widget_urls request a platform sends for a new connection (no member yet).
WidgetUrlRequest widget_request_for(const PlatformConfig& config);

// "web", "ios", "android".
std::string_view to_string(Platform platform);

// What ConnectFlow::connect_with_credentials did.
struct CredentialConnection {
  MemberRecord member;  // as stored
  // MX already had a member for this login (its 409, resolved by MxApi::create_member).
  bool existing = false;
  // That member's status asked for credentials (DENIED, PREVENTED, IMPAIRED, IMPORTED: the
  // policy's kReconnectWithCredentials), so the new ones were PUT to it; previous_status says
  // what it was.
  bool credentials_updated = false;
  std::string previous_status;
};

// Widget URLs for new connections and repairs, and the completion of a connection from the
// widget's callback.
//
// Errors: kInvalidInput (bad config, malformed callback, an app user that is not the
// callback's), kNotFound (app user not enrolled, member not stored), MxApi's and the Store's.
// Thread safety: as safe as the MxApi and Store it uses (both allow concurrent calls).
// Ownership: `api`, `store` and `clock` must outlive this object.
class ConnectFlow {
 public:
  ConnectFlow(MxApi& api, Store& store, const Clock& clock, PlatformConfig config)
      : api_(api), store_(store), clock_(clock), config_(std::move(config)) {}

  const PlatformConfig& config() const { return config_; }

  // A fresh widget URL (single use, ten minutes) for the enrolled app user to add a member;
  // `institution_code` preselects an institution.
  Result<std::string> connect(const std::string& app_user_id,
                              const std::optional<std::string>& institution_code = std::nullopt);
  // Repair with fresh credentials: current_member_guid + update_credentials: true.
  Result<std::string> reconnect(const std::string& member_guid);
  // Finish MFA (or any repair the widget resolves itself): current_member_guid only.
  Result<std::string> resume_mfa(const std::string& member_guid);
  // The URL that opens the repair a policy decision offers (PolicyDecision::link, also in each
  // Notice) for a stored member: kWidget → resume_mfa; kWidgetWithCredentials → reconnect;
  // kOAuthWindow → a fresh oauth_window_uri with this platform's referral settings. kNone:
  // kInvalidInput (no widget repairs it).
  Result<std::string> widget_url_for(const std::string& member_guid, RepairLink link);

  // For apps that collect credentials themselves (no widget): POST …/members with them, then
  // store the member (as complete() does, but StatusSource::kPoll: the status is MX's reply to
  // this call, no callback led to it). MX allows one member per
  // login: when it answers with the member it already has (409) and the policy says that
  // member needs credentials, the new ones are PUT to it (MX: UPDATED, then a job) instead of
  // reusing it with the credentials MX refused. Another existing member is reused as it is.
  Result<CredentialConnection> connect_with_credentials(
      const std::string& app_user_id, const std::string& institution_code,
      const std::vector<MxCredentialValue>& credentials);
  // Repair by API: PUT new credentials to a stored member, then store what MX answered.
  Result<MemberRecord> update_credentials(const std::string& member_guid,
                                          const std::vector<MxCredentialValue>& credentials);

  // Step 3: the widget reported a member. Checks the callback belongs to `app_user_id`'s MX
  // user, reads the member from MX, stores it (keeping what the store already knew: created_at,
  // last sync) and records its status with StatusSource::kCallback through
  // record_member_status (which sets the WatchState from the policy). Returns the stored
  // record.
  // kInvalidInput for callbacks that complete nothing: no member guid (mx/load, …), OAuth
  // errors (the message carries MX's reason), memberDeleted.
  Result<MemberRecord> complete(const std::string& app_user_id, const WidgetCallback& callback);
  // The same from the raw text the app received (parse_widget_callback).
  Result<MemberRecord> complete(const std::string& app_user_id, std::string_view raw_callback);

  // mx/connect/memberDeleted: the user deleted the member in the widget, so MX no longer has
  // it. Deletes the stored member with its history, accounts and transactions; returns whether
  // it was stored. kInvalidInput for another event, or a member of another app user;
  // kNotFound for an app user that is not enrolled.
  Result<bool> forget_deleted(const std::string& app_user_id, const WidgetCallback& callback);

 private:
  Result<std::string> repair_url(const std::string& member_guid, bool update_credentials);
  Result<MemberRecord> stored(const std::string& member_guid);     // kNotFound if not
  Result<EndUserRecord> enrolled(const std::string& app_user_id);  // kNotFound if not
  // Stores `mx` for `user` and records its status (one transaction), as learned from `source`:
  // kCallback when a widget callback led to the read, kPoll for MX's reply to our own call.
  Result<MemberRecord> store_member(const EndUserRecord& user, const MxMember& mx,
                                    StatusSource source);

  MxApi& api_;
  Store& store_;
  const Clock& clock_;
  PlatformConfig config_;
};

}  // namespace mxclient
