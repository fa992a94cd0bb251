#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mxclient/mx_types.h"
#include "mxclient/result.h"
#include "mxclient/retry.h"
#include "mxclient/time.h"
#include "mxclient/transport.h"

// Typed calls of the MX Platform API that an integration needs, over an injected Transport,
// with retries (retry.h) and MX's wire conventions: Basic auth, version headers, the
// {"error":{"message":…}} envelope, page walking and idempotent creates.
namespace mxclient {

enum class ApiVersion {
  kV20111101,  // Accept: application/vnd.mx.api.v1+json
  kV20250224,  // Accept: application/json + Accept-Version: v20250224
};

struct MxApiConfig {
  std::string client_id;
  std::string api_key;
  ApiVersion version = ApiVersion::kV20111101;
  RetryPolicy retry;
  // Seeds the jitter of the retry waits: the same seed and the same replies give the same
  // waits.
  std::uint64_t jitter_seed = 0;
  // Page size for the lists MxApi walks. MX's default is 25; 1000 is the maximum of every list
  // used here (MX silently answers 25 per page above it). Values outside [10, 1000] are clamped.
  int records_per_page = 1000;
  // The most pages one list walk fetches. A server whose pagination never ends (a bug, or
  // total_pages like 1e9) would otherwise be walked for hours: at the limit the walk stops
  // with kInvalidReply saying so, and nothing from the list is kept. 1000 pages of 1000 is
  // far beyond MX's per-user volumes. Values below 1 count as 1.
  int max_pages = 1000;
  // Told about every retry before its wait (logging; the CLI's "retrying in 2 s" line).
  RetryObserver on_retry;
};

// MX's institution (GET /institutions/{code}), the fields an integration uses.
struct MxInstitution {
  std::string code;
  std::optional<std::string> guid;  // v20250224 only
  std::string name;
  std::optional<std::string> url;
  bool supports_oauth = false;
  std::optional<std::string> forgot_password_url;
  std::optional<std::string> forgot_username_url;
  std::optional<std::string> trouble_signing_in_url;
  std::optional<std::string> instructional_text;
};

// POST /users/{u}/widget_urls. Unset fields are not sent, so MX's defaults apply.
// MX has no UPDATE or RECONNECT mode: to repair a member or finish MFA, set current_member_guid
// (plus update_credentials for a fresh credential form). mode is "aggregation" or
// "verification".
struct WidgetUrlRequest {
  std::string widget_type = "connect_widget";
  std::optional<std::string> current_member_guid;
  std::optional<std::string> current_institution_code;
  std::optional<bool> update_credentials;
  std::optional<bool> disable_institution_search;
  std::optional<bool> is_mobile_webview;
  std::optional<std::string> client_redirect_url;
  std::optional<std::string> ui_message_webview_url_scheme;
  std::optional<int> ui_message_version;  // MX: new integrations use 4 (its default)
  std::optional<std::string> mode;
  std::optional<std::string> oauth_referral_source;  // "APP" or "BROWSER"
  std::optional<bool> wait_for_full_aggregation;
  std::optional<bool> include_transactions;
  std::optional<std::string> color_scheme;     // "light" or "dark"
  std::optional<std::string> accept_language;  // sent as the Accept-Language header
};

// GET /users/{u}/members/{m}/oauth_window_uri query parameters (and the top-level siblings of
// "member" when creating an OAuth member). client_redirect_url and the scheme only apply with
// referral_source "APP".
struct OAuthWindowOptions {
  std::optional<std::string> referral_source;  // "APP" or "BROWSER"
  std::optional<std::string> ui_message_webview_url_scheme;
  std::optional<std::string> client_redirect_url;
  std::optional<bool> skip_aggregation;
  std::optional<bool> enable_app2app;
};

// Transaction list filters: YYYY-MM-DD, both bounds inclusive. Unset: MX's defaults (120 days
// back to 5 days ahead).
struct TransactionFilter {
  std::optional<std::string> from_date;
  std::optional<std::string> to_date;
};

// After each page of a list walk: pages fetched so far, records kept so far, and MX's totals
// from the last page's pagination object.
struct ListProgress {
  int pages_fetched = 0;
  int total_pages = 0;
  std::size_t records_so_far = 0;
  std::size_t total_entries = 0;
};
using ProgressCallback = std::function<void(const ListProgress&)>;

// Whether POST …/aggregate started a job. MX answers 202 with the member every time: job
// started, same job already running, or throttled.
// kHeld: the caller's guard refused the member as MX showed it just before the POST, so no
// POST was sent (MX may have changed the status since the caller last looked).
enum class AggregateOutcome { kStarted, kNotStarted, kHeld };

// Asked with the member as MX shows it just before POST …/aggregate; false holds the POST back.
using AggregateGuard = std::function<bool(const MxMember& current)>;

struct AggregateResult {
  MxMember member;  // as the aggregate call returned it
  AggregateOutcome outcome = AggregateOutcome::kNotStarted;
};

// The MX Platform API client.
//
// Errors: every call returns a Result, never throws. A status MX answered that retries did not
// cure is ErrorKind::kHttp with MX's error.message (or "HTTP <status>" without MX's envelope)
// and Error::http_status; a 2xx whose body does not parse as MX's shape is kInvalidReply; no
// answer at all is kTransport; an unusable argument is kInvalidInput; a 409 that the idempotent
// creates cannot resolve is kConflict.
//
// Retries: each HTTP call goes through send_with_retry with config.retry, waiting on the
// injected Sleeper (transport errors, 429 and 503 honouring Retry-After, 500/502/504).
// POST and PUT are retried too; the creates stay idempotent by resolving MX's 409s (below).
//
// Thread safety: calls may run concurrently if the Transport and the Sleeper allow it (the
// httplib transport does). Not copyable or movable; hold it by (smart) pointer to share.
//
// Ownership: shares the transport; `sleeper` must outlive this object.
class MxApi {
 public:
  MxApi(std::shared_ptr<Transport> transport, MxApiConfig config, Sleeper& sleeper);
  MxApi(const MxApi&) = delete;
  MxApi& operator=(const MxApi&) = delete;

  const MxApiConfig& config() const { return config_; }

  // ---- users
  // POST /users with the app's own user id (MX's partner "id"). Idempotent on `partner_id`:
  // if MX answers 409 (the id exists, e.g. because a previous attempt's reply was lost), the
  // user is looked up with GET /users?id= and returned. kConflict if that finds no such user.
  // REQUIRES: partner_id is not empty (kInvalidInput otherwise).
  Result<MxUser> create_user(const std::string& partner_id,
                             const std::optional<std::string>& email = std::nullopt);
  // GET /users?id=<partner_id> (every page; an exact match on id). nullopt when there is none.
  Result<std::optional<MxUser>> find_user_by_partner_id(const std::string& partner_id);
  Result<MxUser> read_user(const std::string& user_guid);
  // DELETE (MX cascades to members, accounts, transactions). A 404 on a retried attempt is
  // success: an earlier attempt deleted it and its reply was lost. A 404 on the first is kHttp.
  Status delete_user(const std::string& user_guid);

  // ---- members
  // POST /users/{u}/members with credentials. Idempotent: on 409 the existing member is
  // resolved and returned, in this order: the member whose id is `partner_member_id`; the
  // member MX names in the message ("… Existing member: MBR-…", MX's duplicate-login 409);
  // the only member at `institution_code` when it carries no other partner id. Otherwise
  // kConflict. A member resolved this way keeps the credentials MX already had: if the
  // caller's are newer, follow with update_member_credentials.
  // skip_aggregation is sent only when true (v20250224 dropped it from the documented body).
  Result<MxMember> create_member(const std::string& user_guid, const std::string& institution_code,
                                 const std::vector<MxCredentialValue>& credentials,
                                 const std::optional<std::string>& partner_member_id = std::nullopt,
                                 bool skip_aggregation = false);
  // POST /users/{u}/members with is_oauth: true and no credentials. MX answers a PENDING member
  // with a one-time oauth_window_uri. Idempotent like create_member.
  Result<MxMember> create_oauth_member(
      const std::string& user_guid, const std::string& institution_code,
      const std::optional<std::string>& partner_member_id = std::nullopt,
      const OAuthWindowOptions& oauth = {});
  Result<MxMember> read_member(const std::string& user_guid, const std::string& member_guid);
  // GET …/status: the lean shape to poll. Stop on CONNECTED && !is_being_aggregated.
  Result<MxMemberStatus> read_member_status(const std::string& user_guid,
                                            const std::string& member_guid);
  // Every page of GET /users/{u}/members.
  Result<std::vector<MxMember>> list_members(const std::string& user_guid,
                                             const ProgressCallback& progress = nullptr);
  // PUT /users/{u}/members/{m} with new credentials; MX starts a job (UPDATED → …).
  Result<MxMember> update_member_credentials(const std::string& user_guid,
                                             const std::string& member_guid,
                                             const std::vector<MxCredentialValue>& credentials);
  // DELETE, with delete_user's rule for a 404 after a retry.
  Status delete_member(const std::string& user_guid, const std::string& member_guid);

  // POST …/aggregate. MX answers 202 whether a job started, the same job was already running,
  // or the aggregation was throttled, so this reads the member first and compares.
  // Heuristic: kStarted when the reply's aggregated_at (the start of the latest job) differs
  // from the one read before, or the member was idle before and is being aggregated after.
  // Otherwise kNotStarted (throttled, or a job was already running). Any job start counts,
  // including one MX began on its own between the two calls; that is rare and harmless to a
  // caller that then polls.
  // With a guard, the member read first is shown to it; when it answers false, nothing is
  // posted and the result is kHeld with that member.
  Result<AggregateResult> aggregate_member(const std::string& user_guid,
                                           const std::string& member_guid,
                                           const AggregateGuard& guard = nullptr);
  // PUT …/resume with the answers (guid = the challenge's guid, value = the answer; for
  // OPTIONS the chosen option's value). MX answers 202 with the member, usually RESUMED.
  Result<MxMember> resume_member(const std::string& user_guid, const std::string& member_guid,
                                 const std::vector<MxCredentialValue>& answers);
  // GET …/challenges, every page. MX answers 204 when the member is not CHALLENGED: empty.
  Result<std::vector<MxChallenge>> list_challenges(const std::string& user_guid,
                                                   const std::string& member_guid);

  // ---- institutions
  Result<MxInstitution> read_institution(const std::string& institution_code);
  // GET /institutions/{code}/credentials, every page, in display_order.
  Result<std::vector<MxCredentialField>> list_institution_credentials(
      const std::string& institution_code);

  // ---- categories
  // GET /categories/default, every page: MX's taxonomy, the same for every user.
  Result<std::vector<MxCategory>> list_default_categories(
      const ProgressCallback& progress = nullptr);
  // GET /users/{u}/categories, every page: the defaults and the user's own categories.
  Result<std::vector<MxCategory>> list_categories(const std::string& user_guid,
                                                  const ProgressCallback& progress = nullptr);

  // ---- widget and OAuth
  // POST /users/{u}/widget_urls → the URL (single use, valid ten minutes).
  Result<std::string> request_widget_url(const std::string& user_guid,
                                         const WidgetUrlRequest& request);
  // GET …/oauth_window_uri → a fresh one-time OAuth URL for an OAuth member.
  Result<std::string> oauth_window_uri(const std::string& user_guid, const std::string& member_guid,
                                       const OAuthWindowOptions& options = {});

  // ---- data (every page; a record seen twice while pages shift is kept once)
  Result<std::vector<MxAccount>> list_member_accounts(const std::string& user_guid,
                                                      const std::string& member_guid,
                                                      const ProgressCallback& progress = nullptr);
  Result<std::vector<MxAccount>> list_user_accounts(const std::string& user_guid,
                                                    const ProgressCallback& progress = nullptr);
  Result<std::vector<MxTransaction>> list_member_transactions(
      const std::string& user_guid, const std::string& member_guid,
      const TransactionFilter& filter = {}, const ProgressCallback& progress = nullptr);
  Result<std::vector<MxTransaction>> list_account_transactions(
      const std::string& user_guid, const std::string& account_guid,
      const TransactionFilter& filter = {}, const ProgressCallback& progress = nullptr);
  Result<std::vector<MxTransaction>> list_user_transactions(
      const std::string& user_guid, const TransactionFilter& filter = {},
      const ProgressCallback& progress = nullptr);

 private:
  // What one page of a list held: MX's pagination totals and how many records it carried.
  struct PageInfo {
    int total_pages = 0;
    std::size_t total_entries = 0;
    std::size_t records_on_page = 0;  // as MX sent them
    std::size_t records_kept = 0;     // in the output so far, duplicates dropped
  };
  // Parses one page's body, keeps its records, and reports the page's totals.
  using PageSink = std::function<Result<PageInfo>(const HttpResponse&)>;

  // One HTTP exchange with MX's headers and the retry loop. `body` unset: no body and no
  // Content-Type. Any status MX answered is returned as a response; only a missing answer
  // (after retries) is an Error.
  // `attempts` (optional) receives how many attempts the call took.
  Result<HttpResponse> call(const char* method, const std::string& target,
                            const std::optional<std::string>& body = std::nullopt,
                            const std::vector<std::pair<std::string, std::string>>& extra = {},
                            int* attempts = nullptr);
  // call(), and a status outside 2xx becomes ErrorKind::kHttp.
  Result<HttpResponse> call_ok(const char* method, const std::string& target,
                               const std::optional<std::string>& body = std::nullopt,
                               const std::vector<std::pair<std::string, std::string>>& extra = {});
  // GETs `target` (which may carry a query) page after page with records_per_page, handing
  // each body to `sink`, until the last page; 204 counts as an empty list.
  Status walk_pages(const std::string& target, const PageSink& sink,
                    const ProgressCallback& progress);
  // A PageSink that parses the array under `key` of each page with `parse` into `out`, keeping
  // the first of records with the same guid (defined in mx_api_internal.h).
  template <class T, class Parse>
  static PageSink collect_into(std::vector<T>& out, const char* key, Parse parse);
  Result<MxMember> create_member_with(const std::string& user_guid,
                                      const std::string& institution_code,
                                      const std::optional<std::string>& partner_member_id,
                                      const std::string& body);
  Result<MxMember> resolve_member_conflict(const std::string& user_guid,
                                           const std::string& institution_code,
                                           const std::optional<std::string>& partner_member_id,
                                           const Error& conflict);

  std::shared_ptr<Transport> transport_;
  const MxApiConfig config_;
  Sleeper& sleeper_;
  const std::string authorization_;     // "Basic base64(client_id:api_key)"
  std::atomic<std::uint64_t> rng_seq_;  // per-call jitter seeds, drawn with next_random
};

}  // namespace mxclient
