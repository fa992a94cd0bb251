#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog.h"
#include "domain/clock.h"
#include "domain/credential_script.h"
#include "domain/data_prefetch.h"
#include "domain/domain_event.h"
#include "domain/emulator_snapshot.h"
#include "domain/error.h"
#include "domain/ids.h"
#include "domain/institution.h"
#include "domain/records.h"
#include "domain/store.h"
#include "domain/storm.h"
#include "domain/timer_queue.h"

namespace mxemu::domain {

struct EmulatorOptions {
  // How long a job takes in emulator time: authentication takes 40 %, pulling data the rest.
  Seconds job_duration{4};
  // "Aggregation has failed at least three times within a short period of time" → DEGRADED.
  Seconds degraded_window{24 * 3600};
  // "Failed at least three times and has not succeeded for at least two weeks" → DISCONNECTED.
  Seconds disconnected_after{14 * 24 * 3600};
  Seconds pending_oauth_ttl{3600};         // PENDING members older than this are deleted
  Seconds balance_check_window{2 * 3600};  // check_balance again inside it → 429
  Seconds widget_url_ttl{600};             // widget URLs: single use, ten minutes
  Seconds background_interval{24 * 3600};  // MX's background aggregation cadence
  bool background_aggregation = true;
  // MX's two wordings differ: the throttle starts after any job attempt (default, API
  // reference) or only after a successful aggregation (newer product page).
  bool throttle_after_success_only = false;
  int max_members_per_user = 25;
  int max_users = 0;  // 0: unlimited (MX's development environment allows 100)
  int initial_history_days = 90;
  int extended_history_days = 730;
  // Events kept for GET /_emulator/events (--event-log-size); webhooks the outbox has not read
  // yet are kept beyond it (keep_events_after). About 500 bytes an event.
  std::size_t event_log_capacity = 10000;
  std::uint64_t seed = 0;  // makes guids and data differ between emulator instances
  // Opt-in and NOT MX's documented behaviour (docs/control-api.md, "Refresh storms"): too many
  // aggregation-type jobs started against one institution make the extra logins fail. Off by
  // default. `storm` applies to every institution; an entry in `storm_by_institution` (by
  // institution code) replaces it for that institution, and a disabled entry exempts it.
  StormPolicy storm;
  std::map<std::string, StormPolicy> storm_by_institution;
};

// Identifier forms accepted in paths: v20111101 takes guids; v20250224 takes guid or partner id.
enum class IdentifierMode { kGuidOnly, kGuidOrId };

struct UserFields {
  std::optional<std::string> id;
  std::optional<std::string> email;
  std::optional<std::string> metadata;
  std::optional<bool> is_disabled;
};

struct UserFilter {
  std::optional<std::string> id;
  std::optional<std::string> email;
  std::optional<bool> is_disabled;
};

// OAuth options that MX takes beside `member` on create, or as oauth_window_uri query params.
struct OAuthOptions {
  std::optional<std::string> referral_source;  // APP or BROWSER
  std::optional<std::string> ui_message_webview_url_scheme;
  std::optional<std::string> client_redirect_url;
  bool enable_app2app = false;
};

struct MemberCreate {
  std::string institution_code;
  std::vector<CredentialValue> credentials;
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> metadata;
  bool is_oauth = false;
  bool skip_aggregation = false;
  bool background_aggregation_is_disabled = false;
  std::vector<std::string> use_cases;
  OAuthOptions oauth;
  std::optional<std::string> callback_payload;
};

struct MemberUpdate {
  std::optional<std::vector<CredentialValue>> credentials;
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> metadata;
  std::optional<bool> background_aggregation_is_disabled;
  bool skip_aggregation = false;
  std::optional<std::string> callback_payload;
};

// createCategory's and updateCategory's fields; unset ones are left alone (update) or refused
// when required (create: name and parent_guid).
struct CategoryFields {
  std::optional<std::string> name;
  std::optional<std::string> parent_guid;
  std::optional<std::string> metadata;
};

// createTransactionRule's and updateTransactionRule's fields; unset ones are left alone
// (update) or refused when required (create: match_description and category_guid).
struct RuleFields {
  std::optional<std::string> match_description;
  std::optional<std::string> category_guid;
  std::optional<std::string> description;
};

// createMicrodeposit's fields (MicrodepositElements); the Connect page's completion takes the
// same. Unset ones are absent; which are required depends on the request (emulator_microdeposits).
struct MicrodepositFields {
  std::optional<std::string> account_name;
  std::optional<std::string> account_number;
  std::optional<std::string> account_type;
  std::optional<std::string> routing_number;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

// One part of a split (createSplitTransactions): its amount (positive, the parent's currency)
// and what it changes of the parent's description, memo and category.
struct SplitPart {
  double amount = 0;
  std::optional<std::string> description;
  std::optional<std::string> memo;
  std::optional<std::string> category_guid;
};

// What a job endpoint did. MX answers 202 with the member in every case.
enum class JobDisposition {
  kStarted,         // a new job began
  kAlreadyRunning,  // the same job type was already running: nothing new
  kThrottled,       // a standard aggregation inside the throttle window: nothing new
  kPrevented,       // PREVENTED: MX prevents aggregation until the credentials are updated
};

struct JobAcceptance {
  const Member* member = nullptr;
  JobDisposition disposition = JobDisposition::kStarted;
};

// A widget URL and the options it was requested with (POST widget_urls). The domain judges
// only the URL's life (single use, ten minutes); the page interprets the rest.
struct WidgetSession {
  std::string token;
  std::string user_guid;
  std::string widget_type;
  std::optional<std::string> current_member_guid;
  bool update_credentials = false;
  std::optional<std::string> current_institution;  // code or guid
  bool disable_institution_search = false;
  std::string mode = "aggregation";  // or "verification"
  bool is_mobile_webview = false;
  std::string webview_url_scheme = "mx";
  bool wait_for_full_aggregation = false;
  std::vector<std::string> products;  // v20250224 data_request.products
  TimePoint issued_at;
  bool used = false;
  std::optional<std::string> current_microdeposit_guid;  // v20250224, with mode verification
};

enum class WidgetLoad { kOk, kUnknown, kUsed, kExpired };

// The MX Platform API's behaviour, without HTTP: users, members and their jobs, MFA, OAuth,
// data, throttling and the connection-status machine, all on a virtual clock.
//
// Time: the emulator's time is the injected clock plus an offset that advance() grows. Every
// time-driven change is a due event applied in deadline order by catch_up(); callers run
// catch_up() before each request, so nothing depends on wall-clock timing.
//
// Thread safety: none inside. Callers hold mutex() across catch_up() and the operation, and
// while they read any pointer an operation returned.
class Emulator {
 public:
  // `institutions` and `catalog` are never modified: every emulator built from one fixture set
  // (each tenant's) shares them. REQUIRES: neither is null.
  Emulator(const Clock& clock, std::shared_ptr<const std::vector<Institution>> institutions,
           std::shared_ptr<const DataCatalog> catalog, EmulatorOptions options = {});
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  std::mutex& mutex() { return mutex_; }
  const EmulatorOptions& options() const { return options_; }
  // Replaces the opt-in storm policy (EmulatorOptions::storm, storm_by_institution). Job starts
  // already counted stay counted; the new limits judge the next start.
  void set_storm_policy(StormPolicy all, std::map<std::string, StormPolicy> by_institution);

  // ---- time
  // The emulator's present: during catch_up(), the deadline of the event being applied.
  TimePoint now() const { return now_; }
  // Applies every due event up to the clock's present, in deadline order.
  void catch_up();
  // Moves emulator time forward by `d` and applies what became due. REQUIRES: d >= 0.
  void advance(Seconds d);
  Seconds offset() const { return offset_; }
  // Auto time: when the member's running job waits for its next step (not for an answer) and no
  // deadline other than job steps falls due first, moves time to that step and returns true.
  // Deadlines that stand for a person's or the calendar's time (an MFA question's expiry, a
  // throttle window, an OAuth member's hour, background aggregation) are never skipped.
  bool skip_to_job_step(std::string_view user, std::string_view member, IdentifierMode mode);
  // Forgets every user, member, timer, script, fault, widget and event, and takes `institutions`
  // afresh: the emulator is as new, its time the clock's present with no offset.
  void reset(std::shared_ptr<const std::vector<Institution>> institutions);
  std::optional<TimePoint> next_due() const { return timers_.next_due(); }

  // ---- data prefetch (data_prefetch.h): generating outside the lock what a job will store
  // Orders for the members whose job is pulling data and has none prepared; forgets prepared
  // data that no job step will use any more.
  std::vector<DataOrder> data_orders();
  // Keeps data made from an order until its member's job step stores it (dropped if that job
  // no longer waits for that step).
  void stash_prepared(PreparedData data);

  // ---- institutions
  const std::vector<Institution>& institutions() const { return *institutions_; }
  const Institution* find_institution(std::string_view code_or_guid) const;
  const DataCatalog& catalog() const { return *catalog_; }

  // ---- users
  Result<const User*> create_user(const UserFields& fields);
  Result<User*> find_user(std::string_view identifier, IdentifierMode mode);
  Result<const User*> update_user(std::string_view identifier, IdentifierMode mode,
                                  const UserFields& fields);
  Status delete_user(std::string_view identifier, IdentifierMode mode);
  std::vector<const User*> list_users(const UserFilter& filter);

  // ---- categories (emulator_categories.cpp): MX's default taxonomy is the catalog, the same
  // for every user and never changed; each user may add subcategories of its top-level ones.
  // Names are unique among the defaults and the user's own, since transactions carry the name.
  Result<const CustomCategory*> create_category(std::string_view user, IdentifierMode mode,
                                                const CategoryFields& fields);
  // Renaming rewrites the `category` of the user's transactions filed under it.
  Result<const CustomCategory*> update_category(std::string_view user, std::string_view guid,
                                                IdentifierMode mode, const CategoryFields& fields);
  // The user's transactions filed under it move to its parent category.
  Status delete_category(std::string_view user, std::string_view guid, IdentifierMode mode);
  // Files one of the user's transactions under a default category or one of the user's own:
  // sets its category, category_guid and top_level_category. NotFound for any other guid.
  Status categorize(const User& user, std::string_view category_guid, Transaction& t) const;

  // ---- tags and taggings (emulator_tags.cpp). Every user starts with MX's "Business" tag,
  // whose guid derives from the user's (business_tag); it can be renamed and deleted like any.
  static Tag business_tag(const std::string& user_guid);
  Result<const Tag*> create_tag(std::string_view user, IdentifierMode mode,
                                const std::optional<std::string>& name);
  Result<const Tag*> update_tag(std::string_view user, std::string_view guid, IdentifierMode mode,
                                const std::optional<std::string>& name);
  // Deletes the tag and its taggings.
  Status delete_tag(std::string_view user, std::string_view guid, IdentifierMode mode);
  // The tag and the transaction must be the user's (404 otherwise).
  Result<const Tagging*> create_tagging(std::string_view user, IdentifierMode mode,
                                        const std::optional<std::string>& tag_guid,
                                        const std::optional<std::string>& transaction_guid);
  Result<const Tagging*> update_tagging(std::string_view user, std::string_view guid,
                                        IdentifierMode mode,
                                        const std::optional<std::string>& tag_guid);
  Status delete_tagging(std::string_view user, std::string_view guid, IdentifierMode mode);

  // ---- transaction rules (emulator_rules.cpp). A rule applies to the user's transactions when
  // it is created or changed, and to every transaction an aggregation brings afterwards; when
  // several match, the rule made last wins. Deleting a rule leaves the transactions as they are.
  Result<const TransactionRule*> create_rule(std::string_view user, IdentifierMode mode,
                                             const RuleFields& fields);
  Result<const TransactionRule*> update_rule(std::string_view user, std::string_view guid,
                                             IdentifierMode mode, const RuleFields& fields);
  Status delete_rule(std::string_view user, std::string_view guid, IdentifierMode mode);

  // ---- account merge (v20250224 mergeAccounts; emulator_splits.cpp). The first of two or more
  // distinct accounts of the user is kept; the others are deleted with their transactions and
  // the member's records about them, and the member's later aggregations leave them out.
  Result<const Account*> merge_accounts(std::string_view user, IdentifierMode mode,
                                        const std::vector<std::string>& account_guids);

  // ---- split transactions (emulator_splits.cpp). The parts copy the parent (account, date,
  // status, merchant) with their own guid, amount, description, memo and category, and name it
  // in parent_guid; the parent has_been_split. Their amounts add up to the parent's; a single
  // part leaves the rest of the amount to a second part like the parent. A parent cannot be
  // split twice, nor can a part. The parts are returned in order.
  Result<std::vector<Transaction>> split_transaction(std::string_view user, std::string_view guid,
                                                     IdentifierMode mode,
                                                     std::vector<SplitPart> parts);
  // Deletes the parts and clears has_been_split (nothing to do when it was not split).
  Status unsplit_transaction(std::string_view user, std::string_view guid, IdentifierMode mode);

  // ---- microdeposits (emulator_microdeposits.cpp). A created one goes INITIATED → REQUESTED
  // (a minute) → DEPOSITED (two minutes; ERRORED unless its account number begins with 3333,
  // MX's integration rule); the end user then verifies the two amounts: VERIFIED, DENIED, and
  // PREVENTED on the third wrong attempt. One given only a name and email is PREINITIATED until
  // the Connect page completes it. Every status change is a MICRODEPOSIT event.
  Result<const Microdeposit*> create_microdeposit(std::string_view user, IdentifierMode mode,
                                                  const MicrodepositFields& fields);
  // The Connect page's completion of a PREINITIATED microdeposit with the account's fields.
  Result<const Microdeposit*> complete_microdeposit(std::string_view user_guid,
                                                    std::string_view guid,
                                                    const MicrodepositFields& fields);
  // The amounts in dollars, either order. REQUIRES nothing: a wrong status is a Conflict.
  Result<const Microdeposit*> verify_microdeposit(std::string_view guid,
                                                  std::optional<double> amount_1,
                                                  std::optional<double> amount_2);
  Status delete_microdeposit(std::string_view user, std::string_view guid, IdentifierMode mode);
  // The institution whose routing number this is (routing_number_for), or nullptr.
  const Institution* institution_by_routing_number(std::string_view routing) const;

  // ---- processor tokens (emulator_processor.cpp). Scopes name guids, never ids.
  // A one-time code for `scope`: its user must exist, its member (if named) be the user's and
  // verified (has_processed_account_numbers, else kConflict), its account the member's.
  Result<AuthorizationCode> request_authorization_code(const ProcessorScope& scope);
  // Exchanges a code for a token that `processor_id` (the client_id it authenticated with)
  // holds for 60 days; the code is spent. kBadRequest when the code is unknown or spent.
  Result<ProcessorToken> redeem_authorization_code(std::string_view code,
                                                   std::string_view processor_id);
  // The token's grant: kUnauthorized when it is unknown or past its expiry.
  Result<const ProcessorToken*> processor_grant(std::string_view access_token) const;
  // The tokens of `filter.user_guid`, narrowed to the member and account when they are named,
  // oldest first, expired ones included. NotFound for an unknown user.
  Result<std::vector<ProcessorToken>> list_processor_tokens(const ProcessorScope& filter);

  // ---- members
  Result<const Member*> create_member(std::string_view user, IdentifierMode mode,
                                      const MemberCreate& request);
  Result<Member*> find_member(std::string_view user, std::string_view member, IdentifierMode mode);
  Result<std::vector<const Member*>> list_members(std::string_view user, IdentifierMode mode);
  Result<const Member*> update_member(std::string_view user, std::string_view member,
                                      IdentifierMode mode, const MemberUpdate& update);
  Status delete_member(std::string_view user, std::string_view member, IdentifierMode mode);

  // ---- jobs (aggregate, check_balance, identify, verify, extend_history, fetch_statements)
  Result<JobAcceptance> start_job(std::string_view user, std::string_view member,
                                  IdentifierMode mode, JobType type,
                                  std::optional<std::string> callback_payload = std::nullopt);
  // PUT resume: answers to the current challenges. REQUIRES the member to be CHALLENGED.
  Result<const Member*> resume(std::string_view user, std::string_view member, IdentifierMode mode,
                               const std::vector<CredentialValue>& answers);

  // ---- OAuth
  Result<const Member*> oauth_window(std::string_view user, std::string_view member,
                                     IdentifierMode mode, const OAuthOptions& options,
                                     std::optional<bool> skip_aggregation);
  // The end user finished (or refused) the institution's OAuth page. `state` must match the
  // member's current oauth window (single use) unless empty (control API).
  Result<const Member*> complete_oauth(std::string_view member_guid, std::string_view state,
                                       bool authorized);

  // ---- widgets
  // `request` holds the options; its token, user guid, issue time and use are set here.
  Result<WidgetSession> issue_widget(std::string_view user, IdentifierMode mode,
                                     WidgetSession request);
  WidgetLoad load_widget(std::string_view token, WidgetSession* session_out);
  // The session behind a widget URL that was loaded once: the page keeps using it after the
  // URL itself is spent. nullptr for unknown or never-loaded tokens.
  const WidgetSession* loaded_widget(std::string_view token) const;
  bool has_widget(std::string_view token) const { return widgets_.count(std::string(token)) > 0; }

  // ---- data reads (scoped to a user; foreign or unknown guids are NotFound)
  Store& store() { return store_; }
  const Store& store() const { return store_; }

  // ---- control (the /_emulator API): deliberate ways around MX's rules, for tests
  // Puts the member straight into `status`, bypassing the state machine (as MX's own Nexus
  // test endpoints do); ends any running job. CHALLENGED gets fresh challenges.
  Result<const Member*> force_status(std::string_view member_guid, ConnectionStatus status);
  // The next logins of this member authenticate with these outcomes, in order (MFA answers
  // are still judged by the script). kReject is refused: it is a verdict on an answer.
  Result<const Member*> queue_outcomes(std::string_view member_guid,
                                       const std::vector<AuthOutcome>& outcomes);
  // Every login at the institution, and every MFA answer it judges, gets `outcome` until
  // cleared (nullopt): an outage. kReject is refused, as for queue_outcomes.
  Status set_institution_fault(std::string_view code, std::optional<AuthOutcome> outcome);
  // The institution's outage outcome (by code), or nullopt when it has none.
  std::optional<AuthOutcome> institution_fault(std::string_view code) const;
  // MX-side events: pause/unpause (DISABLED), data-source migration (RECONNECTED), closing.
  Result<const Member*> apply_control_event(std::string_view member_guid, MemberEvent event);
  // Every member of the institution becomes DISCONTINUED, and so does every member created or
  // imported there afterwards (MX: "connections to this institution are no longer supported").
  Status discontinue_institution(std::string_view code);
  bool is_discontinued(const Institution& institution) const;
  Result<const Member*> import_member(std::string_view user_guid,
                                      std::string_view institution_code);

  // ---- events (webhook source)
  const std::deque<DomainEvent>& events() const { return events_; }
  std::uint64_t last_event_sequence() const { return next_event_sequence_ - 1; }
  // The log keeps options().event_log_capacity events, except those after `sequence`: a reader
  // (the webhook outbox) has not read them yet, so they stay however many there are until it
  // moves this past them. kNoEventReader (the default) lets the log trim freely.
  static constexpr std::uint64_t kNoEventReader = UINT64_MAX;
  void keep_events_after(std::uint64_t sequence) { keep_events_after_ = sequence; }

  // ---- snapshot (emulator_snapshot.cpp): everything above but the options and institutions
  // Without `with_transactions` the store's transactions are left out (Store::snapshot).
  EmulatorSnapshot snapshot(bool with_transactions = true) const;
  // Replaces the state snapshot() covers with `s` once it is checked to refer only to what it
  // holds (users, members, accounts, known institutions; unique guids; ordered events). On a
  // problem nothing changed. The guid seed stays this emulator's.
  std::optional<SnapshotProblem> restore(EmulatorSnapshot s);

  // Member lookup by guid only, for timers and control. nullptr if unknown.
  Member* member_by_guid(std::string_view guid) { return store_.find_member(guid); }

 private:
  // jobs and timers (emulator_jobs.cpp)
  Status begin_job(Member& member, JobType type, bool background);
  void on_timer(const Timer& timer);
  void on_job_step(Member& member);
  void authenticate(Member& member, const Institution& institution);
  void judge_mfa(Member& member, const Institution& institution);
  void apply_verdict(Member& member, const Institution& institution, const ScriptVerdict& verdict);
  void finish_job(Member& member, const Institution& institution);
  void end_job(Member& member);
  void on_challenge_expiry(Member& member);
  void on_oauth_expiry(Member& member);
  void on_background_aggregation(Member& member);
  void on_success_overdue(Member& member);
  // microdeposits (emulator_microdeposits.cpp)
  void initiate(Microdeposit& m, const MicrodepositFields& fields);
  void on_microdeposit_timer(const Timer& timer);
  void emit_microdeposit(const Microdeposit& m, bool created);
  void schedule_job_step(Member& member, Seconds delay);
  void schedule_background(const Member& member);
  Status transition(Member& member, MachineEvent event);
  MachineEvent record_failure(Member& member);
  void record_success(Member& member);
  TimePoint last_success(const Member& member) const;
  const StormPolicy& storm_policy(const Institution& institution) const;
  bool discontinue_if_needed(Member& member);
  // data production per job type (emulator_data.cpp); what the job's webhook reports
  struct JobYield {
    UpsertCounts counts;
    std::vector<std::string> account_guids;
  };
  JobYield produce_data(Member& member, const Institution& institution, JobType type);
  // The transaction days a job of `type` pulls for `member` on `today`.
  TransactionDays transaction_days(const Member& member, JobType type, DayNumber today) const;
  // Whether `member`'s job waits for its data step, due at `at`.
  bool pulls_data_at(const Member& member, TimePoint at) const;
  // events: the returned event may be completed by the caller before anything reads it
  DomainEvent& emit(DomainEventKind kind, const Member& member);
  // Appends to the bounded log (keep_events_after) and returns the event as stored.
  DomainEvent& log_event(DomainEvent e);
  void emit_status_change(const Member& member, ConnectionStatus before);

  Result<User*> user_or_error(std::string_view identifier, IdentifierMode mode);
  // categories (emulator_categories.cpp)
  Status check_category_name(const User& user, const std::string& name,
                             std::string_view except_guid) const;
  void refile_transactions(const User& user, const std::string& from_guid,
                           const std::string& to_guid);
  // rules (emulator_rules.cpp): whether `rule` matches `t`; applying it (true when t changed)
  static bool rule_matches(const TransactionRule& rule, const Transaction& t);
  bool apply_rule(const User& user, const TransactionRule& rule, Transaction& t) const;
  void apply_rule_to_stored(const User& user, const TransactionRule& rule);
  // Stores what a job pulled; rows new to the store first get the user's rules.
  UpsertCounts store_pulled(const std::string& user_guid, std::vector<Transaction> rows);
  const Institution& institution_of(const Member& member) const;
  Status validate_credentials(const Institution& inst, const std::vector<CredentialValue>& values,
                              bool require_all) const;
  std::string login_of(const Institution& inst, const std::vector<CredentialValue>& values) const;

  std::mutex mutex_;
  const Clock& clock_;
  Seconds offset_{0};
  TimePoint now_;
  EmulatorOptions options_;
  std::shared_ptr<const std::vector<Institution>> institutions_;
  std::shared_ptr<const DataCatalog> catalog_;
  GuidGenerator guids_;
  Store store_;
  TimerQueue timers_;
  std::map<std::string, std::deque<AuthOutcome>> queued_outcomes_;       // by member guid
  std::map<std::string, AuthOutcome> institution_faults_;                // by institution code
  std::map<std::string, StormGate> storm_gates_;                         // by institution code
  std::set<std::string> discontinued_;                                   // institution codes
  std::map<std::string, WidgetSession> widgets_;                         // by token
  std::map<std::string, std::vector<CredentialValue>> pending_answers_;  // member guid → answers
  std::deque<DomainEvent> events_;
  std::uint64_t keep_events_after_ = kNoEventReader;  // set by the reader; not state
  std::uint64_t next_event_sequence_ = 1;
  std::optional<std::string> current_callback_payload_;
  // Prefetched data by member guid: a cache of what produce_data would generate, so reset()
  // forgets it and snapshots leave it out.
  std::map<std::string, PreparedData> prepared_;
  // A field added here must be forgotten by reset() (emulator.cpp) too, and captured by
  // snapshot()/restore() (emulator_snapshot.cpp).
};

}  // namespace mxemu::domain
