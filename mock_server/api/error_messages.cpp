// MX's wording of the domain's refusals: the one table of message texts (domain/error.h says why
// the domain carries reasons and facts, not prose). Texts MX documents are MX's verbatim
// ("We were unable to find the record you requested."); the others say what to do instead.
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "api/errors.h"

namespace mxemu::api {

namespace {

using domain::Reason;

// {n} is the n-th fact. Indexed by Reason; a test checks that every reason has its row.
constexpr std::array<std::pair<Reason, const char*>, 67> kMessages{{
    {Reason::kUnspecified, ""},
    {Reason::kRecordNotFound, "We were unable to find the record you requested."},
    {Reason::kUnknownInstitution, "Unrecognized institution."},
    {Reason::kUserEmpty, "The user object cannot be empty."},
    {Reason::kUserIdBlank, "A user id cannot be blank."},
    {Reason::kUserIdReserved, "A user id cannot begin with USR-."},
    {Reason::kMemberEmpty, "The member object cannot be empty."},
    {Reason::kMemberIdReserved, "A member id cannot begin with MBR-."},
    {Reason::kAlreadyExists, "An object with the given attributes already exists."},
    {Reason::kMemberAlreadyExists,
     "An object with the given attributes already exists. Existing member: {0}"},
    {Reason::kUserLimit, "The development environment is limited to {0} users."},
    {Reason::kMemberLimit, "A user may not have more than {0} members."},
    {Reason::kInstitutionCodeRequired, "institution_code is required."},
    {Reason::kCredentialsRequired, "credentials are required."},
    {Reason::kCredentialForeign, "Credential {0} does not belong to institution {1}."},
    {Reason::kCredentialValueMissing, "A value for the credential {0} ({1}) is required."},
    {Reason::kOAuthNotSupported, "Member cannot use OAuth."},
    {Reason::kOAuthOnly,
     "This institution only supports OAuth; create the member with is_oauth: true."},
    {Reason::kOAuthNoCredentials, "OAuth members have no credentials to update."},
    {Reason::kReferralSourceInvalid, "referral_source must be APP or BROWSER."},
    {Reason::kOAuthWindowUsed, "This OAuth window has expired or was already used."},
    {Reason::kCredentialsNotUpdatable, "Credentials cannot be updated for a member in status {0}."},
    {Reason::kNotAggregatable, "A member in status {0} cannot be aggregated{1}"},
    {Reason::kJobRunning, "A {0} job is already running for this member."},
    {Reason::kPremiumUnsupported,
     "A premium aggregation-type job was requested, but the institution associated with the "
     "member does not support it."},
    {Reason::kBalanceWindow, "Balance checks are limited to one every two hours per member."},
    {Reason::kNotChallenged, "The member is not CHALLENGED; there is nothing to resume."},
    {Reason::kAnswersRequired, "member.challenges must hold an answer for each challenge."},
    {Reason::kAnswerMissing, "No answer was given for challenge {0}."},
    {Reason::kUnknownChallenge, "Unknown challenge {0}."},
    {Reason::kRejectNotALoginOutcome,
     "reject is not a login outcome; answer a challenge wrongly instead."},
    {Reason::kTransitionRefused, "{0} is not accepted by a member in status {1}"},
    {Reason::kMachineOutOfRange, "member state or event out of range"},
    {Reason::kMachineUnmapped, "member machine in an unmapped state"},
    {Reason::kCategoryEmpty, "The category object cannot be empty."},
    {Reason::kCategoryNameRequired, "A category name is required and cannot be blank."},
    {Reason::kCategoryParentRequired, "parent_guid is required."},
    {Reason::kCategoryParentInvalid,
     "parent_guid {0} is not a top-level default category (GET /categories/default)."},
    {Reason::kCategoryIsDefault,
     "Default categories cannot be changed or deleted; create a custom category instead."},
    {Reason::kCategoryNameTaken, "A category named {0} already exists."},
    {Reason::kUnknownCategory, "Unrecognized category."},
    {Reason::kTagNameRequired, "A tag name is required and cannot be blank."},
    {Reason::kTaggingTagRequired, "tag_guid is required."},
    {Reason::kTaggingTransactionRequired, "transaction_guid is required."},
    {Reason::kRuleEmpty, "The transaction_rule object cannot be empty."},
    {Reason::kRuleMatchRequired, "match_description is required and cannot be blank."},
    {Reason::kRuleCategoryRequired, "category_guid is required."},
    {Reason::kMicrodepositFieldsRequired,
     "A micro_deposit needs account_number, account_type and routing_number; to pre-initiate "
     "one, first_name, last_name and email."},
    {Reason::kMicrodepositFieldInvalid, "micro_deposit.{0} must be {1}."},
    {Reason::kMicrodepositAmountsRequired,
     "micro_deposit needs deposit_amount_1 and deposit_amount_2, each between 0.01 and 0.99."},
    {Reason::kMicrodepositNotVerifiable,
     "This microdeposit cannot be verified while its status is {0}; only DEPOSITED or DENIED "
     "ones can."},
    {Reason::kMicrodepositNotPreinitiated, "This microdeposit was already initiated (status {0})."},
    {Reason::kSplitAlreadySplit,
     "This transaction has already been split; delete its split transactions to split it again."},
    {Reason::kSplitOfAPart, "A split transaction cannot be split again."},
    {Reason::kSplitPartsRequired,
     "transactions is required: the parts, each with an amount (and optionally a description, "
     "memo and category_guid)."},
    {Reason::kSplitAmountInvalid, "Each split amount must be a positive amount in cents (0.01)."},
    {Reason::kSplitTotalMismatch,
     "The split amounts must add up to the transaction's amount, {0} (or, for one part, stay "
     "below it)."},
    {Reason::kMergeNeedsTwo,
     "account.account_guids must list at least two different accounts of the user."},
    {Reason::kProcessorScopeInvalid,
     "authorization_code.scope has an invalid part, {0}: it takes user-guid:USR-…, "
     "member-guid:MBR-…, account-guid:ACT-… (with a member) and read-protected, each once."},
    {Reason::kProcessorScopeNeedsUser, "authorization_code.scope must name a user-guid."},
    {Reason::kProcessorMemberNotVerified,
     "The member must be verified (verifyMember, or Connect in verification mode) before an "
     "authorization code can name it."},
    {Reason::kAuthorizationCodeInvalid,
     "The authorization code is unknown or was already exchanged: codes are one-time use."},
    {Reason::kAccessTokenInvalid, "The access token is unknown."},
    {Reason::kAccessTokenExpired,
     "The access token has expired: ask the client for a new authorization code."},
    {Reason::kProcessorScopeNoMember, "The access token's scope names no member."},
    {Reason::kProcessorScopeNoAccount, "The access token's scope names no account."},
    {Reason::kProcessorScopeNotProtected,
     "The access token's scope does not include read-protected."},
}};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < kMessages.size(); ++i) {
    if (static_cast<std::size_t>(kMessages[i].first) != i) return false;
  }
  return true;
}
static_assert(table_in_order(), "kMessages rows must follow domain::Reason's order");
static_assert(static_cast<std::size_t>(Reason::kProcessorScopeNotProtected) + 1 == kMessages.size(),
              "every domain::Reason needs a row in kMessages");

// Facts a wording renders differently from their raw value.
std::string fact(const domain::Error& e, std::size_t i) {
  const std::string& raw = i < e.facts.size() ? e.facts[i] : std::string();
  if (e.reason == Reason::kNotAggregatable && i == 1) {
    return raw == "user" ? "; the end user must act first." : ".";
  }
  return raw;
}

}  // namespace

std::string message_of(const domain::Error& error) {
  if (error.reason == Reason::kUnspecified) return error.message;
  const std::string_view text = kMessages[static_cast<std::size_t>(error.reason)].second;
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      out += fact(error, static_cast<std::size_t>(text[i + 1] - '0'));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace mxemu::api
