#pragma once

#include <optional>
#include <string>
#include <vector>

// The client's view of MX's resources: only the fields an integration uses. Parsed from MX's
// JSON by mx_api.cpp; stored by the Store. Timestamps stay as MX sends them (ISO-8601 strings)
// and dates as YYYY-MM-DD, so nothing is lost or re-interpreted between MX and the store.
namespace mxclient {

struct MxUser {
  std::string guid;               // "USR-…"
  std::optional<std::string> id;  // the app's user id (MX "partner id")
  std::optional<std::string> email;
  bool is_disabled = false;
};

struct MxChallengeOption {
  std::string guid;
  std::string label;
  std::string value;
};

struct MxChallenge {
  std::string guid;  // "CRD-…": the key of the answer
  std::string type;  // TEXT, OPTIONS, TOKEN, IMAGE_DATA, IMAGE_OPTIONS
  std::string label;
  std::string field_name;
  std::optional<std::string> image_data;
  std::vector<MxChallengeOption> options;  // OPTIONS and IMAGE_OPTIONS
};

struct MxMember {
  std::string guid;  // "MBR-…"
  std::string user_guid;
  std::optional<std::string> id;
  std::string institution_code;
  std::optional<std::string> name;
  std::string connection_status;  // "" when MX sends null
  std::optional<std::string> connection_status_message;
  bool is_being_aggregated = false;
  bool is_oauth = false;
  std::optional<std::string> oauth_window_uri;
  std::optional<std::string> aggregated_at;
  std::optional<std::string> successfully_aggregated_at;
};

// GET …/members/{m}/status: the lean polling shape.
struct MxMemberStatus {
  std::string guid;
  std::string connection_status;  // "" when MX sends null
  bool is_being_aggregated = false;
  bool is_authenticated = false;
  bool has_processed_accounts = false;
  bool has_processed_transactions = false;
  std::optional<std::string> aggregated_at;
  std::optional<std::string> successfully_aggregated_at;
  std::vector<MxChallenge> challenges;  // only while CHALLENGED
};

struct MxCredentialField {
  std::string guid;
  std::string field_name;
  std::string field_type;
  std::string label;
  int display_order = 0;
};

struct MxCredentialValue {
  std::string guid;
  std::string value;
};

struct MxAccount {
  std::string guid;  // "ACT-…"
  std::string member_guid;
  std::string user_guid;
  std::string name;
  std::string type;
  std::optional<std::string> subtype;
  double balance = 0;
  std::optional<double> available_balance;
  std::string currency_code = "USD";
  std::optional<std::string> updated_at;
};

// One of MX's categories (CategoryResponse): a default one, or one the user made.
struct MxCategory {
  std::string guid;
  std::string name;
  std::optional<std::string> parent_guid;  // null for a top-level category
  bool is_default = false;
  bool is_income = false;
  std::optional<std::string> metadata;
};

struct MxTransaction {
  std::string guid;  // "TRN-…"
  std::string account_guid;
  std::string member_guid;
  std::string user_guid;
  double amount = 0;                 // positive; direction is `type`
  std::string type;                  // CREDIT or DEBIT
  std::string status;                // POSTED or PENDING
  std::string date;                  // YYYY-MM-DD
  std::string description;           // MX's cleaned-up description
  std::string original_description;  // the raw descriptor
  std::string category;              // MX's category ("Groceries")
  std::string top_level_category;    // MX's parent category ("Food & Dining")
  std::optional<std::string> category_guid;
  std::optional<std::string> merchant_guid;
  std::optional<std::string> transacted_at;
  std::optional<std::string> posted_at;
  std::optional<std::string> updated_at;
};

}  // namespace mxclient
