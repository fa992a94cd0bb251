#pragma once

#include <string>
#include <vector>

#include "domain/clock.h"

namespace mxemu::domain {

// How an institution decides a login's outcome from the credentials it is given
// (docs/institutions.md lists the magic passwords).
enum class CredentialScript {
  kMxBank,    // exactly MX Bank's documented table; anything unlisted connects
  kExtended,  // MX Bank's table plus one password per remaining status (emulator institutions)
  kOAuth,     // no credentials; outcome decided on the OAuth page (control API)
};

// The MFA question style an institution asks when a login is challenged.
enum class ChallengeType { kText, kOptions, kToken, kImageData, kImageOptions };

struct CredentialField {
  std::string guid;        // "CRD-…", stable per institution
  std::string field_name;  // "LOGIN", "PASSWORD", "PIN", ...
  std::string label;       // "Username"
  std::string field_type;  // "TEXT", "PASSWORD", "LOGIN", ...
  int display_order = 0;
  bool is_login = false;     // identifies the login for duplicate-member detection
  bool is_password = false;  // the field the script reads
};

// Account types an institution's members get, in order ("CHECKING", "SAVINGS", ...).
struct AccountTemplate {
  std::string type;
  std::string subtype;
  std::string name;
};

struct Institution {
  std::string code;  // "mxbank"
  std::string guid;  // "INS-…"
  std::string name;
  std::string created_at;  // ISO 8601 as MX prints it ("2015-09-08T16:36:45+00:00"); may be empty
  std::string url;
  std::string small_logo_url;
  std::string medium_logo_url;
  std::string forgot_password_url;
  std::string forgot_username_url;
  std::string trouble_signing_in_url;
  std::string instructional_text;
  std::string iso_country_code = "US";
  bool supports_oauth = false;
  bool supports_account_identification = true;
  bool supports_account_statement = true;
  bool supports_account_verification = true;
  bool supports_transaction_history = true;
  bool supports_tax_document = false;
  bool supports_investments = true;
  // fetch_rewards: loyalty balances of the member's credit cards (v20250224 product "rewards").
  bool supports_rewards = false;
  bool is_favorite = false;  // listed by GET /institutions/favorites
  // The 9-digit ABA routing number, when the fixtures pin one (MX Bank: 091000019, as in MX's
  // microdeposit examples); routing_number_for() derives one otherwise.
  std::string routing_number;

  CredentialScript script = CredentialScript::kExtended;
  std::vector<CredentialField> credentials;
  ChallengeType challenge_type = ChallengeType::kText;
  // A second challenge follows a correct first answer (two-step MFA).
  bool two_step_mfa = false;
  // Standard aggregations inside this window after any job get 202 with no new job.
  // Zero disables the throttle (MX Bank: "no aggregation limits").
  Seconds throttle_window{3 * 3600};
  // CHALLENGED becomes EXPIRED after this long without an answer.
  Seconds mfa_timeout{300};
  std::vector<AccountTemplate> accounts;
  // Roughly how many transactions a checking-like account sees per day.
  double transactions_per_day = 2.5;

  // v20250224 `supported_products`, derived from the supports_* flags.
  std::vector<std::string> supported_products() const;
};

}  // namespace mxemu::domain
