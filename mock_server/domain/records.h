#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/institution.h"
#include "domain/member_machine.h"
#include "domain/microdeposit.h"

// The emulator's stored records. Plain values: the Store owns them, the API layer renders them
// in MX's wire shapes (api/codec_*.cpp). Optional fields are JSON null when empty.
namespace mxemu::domain {

struct User {
  std::string guid;               // "USR-…"
  std::optional<std::string> id;  // partner id, unique per client
  std::optional<std::string> email;
  std::optional<std::string> metadata;
  bool is_disabled = false;
  TimePoint created_at;
  TimePoint updated_at;
};

// The kinds of job MX runs on a member. Everything but kAggregate is "premium".
enum class JobType { kAggregate, kBalance, kIdentify, kVerify, kHistory, kStatements, kRewards };

std::string_view to_string(JobType t);  // "aggregate", "check_balance", ...
inline bool is_premium(JobType t) { return t != JobType::kAggregate; }

enum class JobPhase {
  kAuthenticating,  // waiting for the institution's answer to the login
  kAwaitingAnswer,  // CHALLENGED: paused until resume or expiry
  kCheckingAnswer,  // RESUMED: the answer is being judged
  kPullingData,     // CONNECTED and is_being_aggregated
};

struct Job {
  std::string guid;  // "JOB-…"
  JobType type = JobType::kAggregate;
  JobPhase phase = JobPhase::kAuthenticating;
  TimePoint started_at;
  bool is_background = false;
  std::uint64_t timer = 0;  // id of the due event that moves this job on (0: none)
  int challenge_round = 0;  // how many challenges this job has issued
  // Started beyond the institution's storm limit (EmulatorOptions::storm): its login fails.
  bool refused_by_storm = false;
};

struct CredentialValue {
  std::string guid;  // the institution's credential guid
  std::string value;
};

struct ChallengeOption {
  std::string guid;
  std::string label;
  std::string value;
  std::string data_uri;  // IMAGE_OPTIONS only
};

struct Challenge {
  std::string guid;  // "CRD-…"
  ChallengeType type = ChallengeType::kText;
  std::string label;
  std::string field_name;
  std::string image_data;                // IMAGE_DATA only
  std::vector<ChallengeOption> options;  // OPTIONS / IMAGE_OPTIONS
};

// A member's failed aggregation attempts: jobs that ended because the institution or MX failed
// (docs/state-machine.md, "What counts as a failure"). Verdicts on the user's credentials or
// answers are not failures; denials have their own count (MachineState::consecutive_denials).
struct FailureRecord {
  // Inside the degradation window, pruned by age only: a success does not erase them.
  std::vector<TimePoint> recent;
  // Since the last successful aggregation (since creation if none).
  int since_success = 0;
  // Some failure since the last success had kFailuresToDegrade inside its window.
  bool degraded_since_success = false;
};

// An open OAuth window: the facts its URL carries. The API layer words the URL
// (api/codec_users_members.cpp); the emulator's OAuth page presents `state` back.
struct OAuthWindow {
  std::string state;            // one-time
  std::string referral_source;  // APP or BROWSER
  bool skip_aggregation = false;
  std::optional<std::string> ui_message_webview_url_scheme;
  std::optional<std::string> client_redirect_url;
  bool enable_app2app = false;
};

struct Member {
  std::string guid;  // "MBR-…"
  std::string user_guid;
  std::optional<std::string> id;  // partner id
  std::string institution_code;
  std::optional<std::string> name;
  std::optional<std::string> metadata;
  bool is_oauth = false;
  bool is_manual = false;
  bool background_aggregation_is_disabled = false;
  std::vector<std::string> use_cases;  // PFM, MONEY_MOVEMENT
  std::vector<CredentialValue> credentials;
  std::optional<OAuthWindow> oauth_window;      // open until authorised, denied or expired
  std::optional<std::string> callback_payload;  // last X-CALLBACK-PAYLOAD, echoed on webhooks

  MachineState machine;               // connection_status and friends: the source of truth
  std::optional<Job> job;             // the running job, if any
  std::vector<Challenge> challenges;  // non-empty only while CHALLENGED

  std::optional<TimePoint> aggregated_at;  // most recent job *start*
  std::optional<TimePoint> successfully_aggregated_at;
  std::optional<TimePoint> last_balance_check_at;  // check_balance's own 2 h window
  FailureRecord failures;
  std::optional<std::string> most_recent_job_guid;
  std::optional<int> most_recent_job_detail_code;
  std::optional<std::string> most_recent_job_detail_text;
  bool has_processed_accounts = false;
  bool has_processed_transactions = false;
  bool has_processed_account_numbers = false;
  bool has_processed_account_owners = false;
  bool has_processed_statements = false;
  bool has_processed_holdings = false;
  // Data generation: a per-member seed, and the last day whose transactions were pulled.
  std::uint64_t data_seed = 0;
  std::optional<TimePoint> data_pulled_through;
  std::optional<TimePoint> history_pulled_from;
  TimePoint created_at;
  TimePoint updated_at;

  ConnectionStatus status() const { return machine.status; }
  bool is_being_aggregated() const { return job.has_value(); }
};

struct Account {
  std::string guid;  // "ACT-…"
  std::string user_guid;
  std::string member_guid;
  std::string institution_code;
  std::optional<std::string> id;
  std::string name;
  std::string type;     // CHECKING, SAVINGS, CREDIT_CARD, LOAN, MORTGAGE, INVESTMENT, ...
  std::string subtype;  // NONE, MONEY_MARKET, ...
  std::string account_number_masked;  // "****1234"
  double balance = 0;
  std::optional<double> available_balance;
  std::optional<double> credit_limit;
  std::optional<double> apr;
  std::optional<double> interest_rate;
  std::optional<double> original_balance;
  std::optional<double> payment_due_amount;
  std::optional<std::string> payment_due_at;  // YYYY-MM-DD
  std::string currency_code = "USD";
  std::optional<std::string> metadata;
  bool is_closed = false;
  bool is_hidden = false;
  bool is_manual = false;
  TimePoint created_at;
  TimePoint updated_at;
};

struct Transaction {
  std::string guid;  // "TRN-…"
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::optional<std::string> id;
  double amount = 0;   // positive magnitude; direction is `type`
  std::string type;    // CREDIT or DEBIT (relative to the account)
  std::string status;  // POSTED or PENDING
  std::string date;    // YYYY-MM-DD: transacted date, falling back to posted
  TimePoint transacted_at;
  std::optional<TimePoint> posted_at;
  std::string original_description;                   // raw, as the institution sent it
  std::string description;                            // cleaned up by MX
  std::string category;                               // MX's category, e.g. "Groceries"
  std::string category_guid;                          // "CAT-…"
  std::string top_level_category;                     // e.g. "Food & Dining"
  std::optional<std::string> merchant_guid;           // "MCH-…"
  std::optional<std::string> merchant_location_guid;  // "MCL-…": the store, when in person
  std::optional<std::string> merchant_category_code;
  std::optional<std::string> memo;
  std::optional<std::string> metadata;
  std::string currency_code = "USD";
  bool is_bill_pay = false;
  bool is_direct_deposit = false;
  bool is_expense = false;
  bool is_fee = false;
  bool is_income = false;
  bool is_overdraft_fee = false;
  bool is_payroll_advance = false;
  bool is_recurring = false;
  bool is_subscription = false;
  bool is_manual = false;
  std::optional<double> latitude;
  std::optional<double> longitude;
  // Splits (createSplitTransactions): a part names the transaction it was split from; that
  // transaction has_been_split until deleteSplitTransactions removes its parts.
  std::optional<std::string> parent_guid;
  bool has_been_split = false;
  TimePoint created_at;
  TimePoint updated_at;
};

struct Holding {
  std::string guid;  // "HOL-…"
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::string symbol;
  std::string description;
  std::string holding_type;  // EQUITY, MUTUAL_FUND, ETF, BOND, CASH, ...
  double shares = 0;
  double cost_basis = 0;
  double market_value = 0;
  double purchase_price = 0;
  std::string currency_code = "USD";
  std::optional<std::string> cusip;
  TimePoint created_at;
  TimePoint updated_at;
};

struct AccountNumber {
  std::string guid;  // "ACN-…"
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::string account_number;
  std::string routing_number;
  bool passed_validation = true;
};

struct AccountOwner {
  std::string guid;  // "ACO-…"
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::string owner_name;
  std::string first_name;
  std::string last_name;
  std::string address;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;
  std::string email;
  std::string phone;
};

struct Statement {
  std::string guid;  // "STA-…"
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::string content_hash;
  std::string period_end;  // YYYY-MM-DD; the PDF names it
  TimePoint created_at;
  TimePoint updated_at;
};

// A member's loyalty-program balance (fetch_rewards; MX's RewardElements). Rewards belong to the
// member; the account is the credit card whose program it is, which MX's wire does not show.
struct Reward {
  std::string guid;  // "RWD-…", stable across fetches
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  std::string balance_type;  // "EXPIRING_BALANCE"
  int balance = 0;           // in unit_type
  std::string unit_type;     // "POINTS"
  std::string description;
  std::string expires_on;  // YYYY-MM-DD; "" when nothing expires
  TimePoint created_at;
  TimePoint updated_at;
};

// A user's label for transactions (tags). MX gives every user a "Business" tag; the others are
// the user's own. Taggings attach tags to the user's transactions, one tag per tagging.
struct Tag {
  std::string guid;  // "TAG-…"
  std::string user_guid;
  std::string name;
};

struct Tagging {
  std::string guid;  // "TGN-…"
  std::string user_guid;
  std::string tag_guid;
  std::string transaction_guid;
};

// A user's rule for its transactions (transaction rules): a transaction whose description
// contains `match_description` (ASCII case ignored) is filed under `category_guid` and, when
// the rule has one, takes its `description`.
struct TransactionRule {
  std::string guid;  // "TXR-…"
  std::string user_guid;
  std::string match_description;
  std::string category_guid;  // a default category or one of the user's
  std::optional<std::string> description;
  TimePoint created_at;
  TimePoint updated_at;
};

// A category a user made (createCategory). It is always a subcategory of one of MX's top-level
// default categories (DataCatalog), whose nature it takes; MX's default categories themselves
// are the catalog's, shared by every user and never changed.
struct CustomCategory {
  std::string guid;  // "CAT-…", from the same generator as every other guid
  std::string user_guid;
  std::string name;
  std::string parent_guid;  // a top-level default category
  std::optional<std::string> metadata;
  TimePoint created_at;
  TimePoint updated_at;
};

}  // namespace mxemu::domain
