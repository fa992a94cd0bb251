#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mxemu::domain {

// Stable error codes. The API layer maps each code to one HTTP status in one table
// (api/errors.cpp); nothing else decides a status code from an error.
enum class ErrorCode {
  kBadRequest,          // malformed or missing input
  kUnauthorized,        // missing or wrong client credentials
  kForbidden,           // the credentials do not grant this (a processor token's scope)
  kNotFound,            // unknown or foreign resource (MX prefers 404 to 403)
  kNotAcceptable,       // unknown API version
  kConflict,            // duplicate identity, or a different job type is running
  kUnprocessable,       // well-formed but not processable (limits, unsupported product)
  kTooManyRequests,     // check_balance inside its 2 h window, or an injected rate limit
  kInvalidTransition,   // the member state machine does not accept the event
  kServiceUnavailable,  // an injected fault
  kInternal,            // a bug: never expected
  kUnsupportedMedia,    // a request body not declared as JSON (415)
  // A write that could not be made durable (--data-dir, docs/persistence.md): 507.
  kInsufficientStorage,
};

// Why the domain refused an operation, finer than ErrorCode. The domain states facts, never
// prose: the API layer words each reason for MX's envelope (api/error_messages.cpp), so MX's
// texts live in one table on the wire side. The facts a reason carries are listed beside it.
enum class Reason {
  kUnspecified,              // an API-layer error: `message` says it
  kRecordNotFound,           //
  kUnknownInstitution,       //
  kUserEmpty,                //
  kUserIdBlank,              //
  kUserIdReserved,           //
  kMemberEmpty,              //
  kMemberIdReserved,         //
  kAlreadyExists,            //
  kMemberAlreadyExists,      // existing member guid
  kUserLimit,                // the limit
  kMemberLimit,              // the limit
  kInstitutionCodeRequired,  //
  kCredentialsRequired,      //
  kCredentialForeign,        // credential guid, institution code
  kCredentialValueMissing,   // credential guid, its label
  kOAuthNotSupported,        //
  kOAuthOnly,                //
  kOAuthNoCredentials,       //
  kReferralSourceInvalid,    //
  kOAuthWindowUsed,          //
  kCredentialsNotUpdatable,  // the member's status (wire name)
  kNotAggregatable,     // the member's status (wire name or "null"), "user" if the user must act
  kJobRunning,          // the running job's type
  kPremiumUnsupported,  //
  kBalanceWindow,       //
  kNotChallenged,       //
  kAnswersRequired,     //
  kAnswerMissing,       // challenge guid
  kUnknownChallenge,    // challenge guid
  kRejectNotALoginOutcome,       //
  kTransitionRefused,            // event name, the member's state
  kMachineOutOfRange,            //
  kMachineUnmapped,              //
  kCategoryEmpty,                //
  kCategoryNameRequired,         //
  kCategoryParentRequired,       //
  kCategoryParentInvalid,        // the parent guid given
  kCategoryIsDefault,            //
  kCategoryNameTaken,            // the name
  kUnknownCategory,              //
  kTagNameRequired,              //
  kTaggingTagRequired,           //
  kTaggingTransactionRequired,   //
  kRuleEmpty,                    //
  kRuleMatchRequired,            //
  kRuleCategoryRequired,         //
  kMicrodepositFieldsRequired,   //
  kMicrodepositFieldInvalid,     // field name, the rule it breaks
  kMicrodepositAmountsRequired,  //
  kMicrodepositNotVerifiable,    // the microdeposit's status
  kMicrodepositNotPreinitiated,  // the microdeposit's status
  kSplitAlreadySplit,            //
  kSplitOfAPart,                 //
  kSplitPartsRequired,           //
  kSplitAmountInvalid,           //
  kSplitTotalMismatch,           // the parent's amount
  kMergeNeedsTwo,                //
  kProcessorScopeInvalid,        // the scope part
  kProcessorScopeNeedsUser,      //
  kProcessorMemberNotVerified,   //
  kAuthorizationCodeInvalid,     //
  kAccessTokenInvalid,           //
  kAccessTokenExpired,           //
  kProcessorScopeNoMember,       //
  kProcessorScopeNoAccount,      //
  kProcessorScopeNotProtected,   //
};

struct Error {
  ErrorCode code;
  std::string message;  // API-layer errors only; a domain error leaves it empty
  Reason reason = Reason::kUnspecified;
  std::vector<std::string> facts;
};

// A value or an Error. Deliberately tiny: errors are values everywhere inside the emulator;
// exceptions exist only at the edges (JSON parsing, start-up).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

// An API-layer error that words itself.
inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), Reason::kUnspecified, {}};
}

// A domain error: its reason and the facts the API layer's wording names.
inline Error refuse(ErrorCode code, Reason reason, std::vector<std::string> facts = {}) {
  return Error{code, {}, reason, std::move(facts)};
}
// MX's 404 for an unknown or foreign guid ("We were unable to find the record you requested.").
inline Error record_not_found() { return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound); }

}  // namespace mxemu::domain
