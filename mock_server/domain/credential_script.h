#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/institution.h"
#include "domain/records.h"

namespace mxemu::domain {

// What an institution answers to a login attempt, or to an MFA answer.
enum class AuthOutcome {
  kConnect,    // authenticated; the job goes on to pull data
  kChallenge,  // an MFA question (style in ScriptVerdict::challenge_type)
  kDeny,       // credentials refused → DENIED (PREVENTED on the third in a row)
  kLock,       // → LOCKED
  kImpede,     // → IMPEDED
  kImpair,     // → IMPAIRED
  kDelay,      // → DELAYED, then connects later
  kFail,       // institution/server error → FAILED (DEGRADED after repeated failures)
  kReject,     // wrong MFA answer → REJECTED
};

std::string_view to_string(AuthOutcome o);
// Parses the names used by the control API and scenario files ("connect", "challenge", ...).
std::optional<AuthOutcome> parse_auth_outcome(std::string_view name);

struct ScriptVerdict {
  AuthOutcome outcome = AuthOutcome::kConnect;
  ChallengeType challenge_type = ChallengeType::kText;
  // MX's most_recent_job_detail_text for failures ("External server returned 400 ...").
  std::string detail;
};

// The login script (docs/institutions.md): the value of the institution's password field
// decides. kMxBank follows MX Bank's documented table exactly; kExtended adds one password per
// remaining outcome. REQUIRES: institution.script != kOAuth.
ScriptVerdict judge_login(const Institution& institution,
                          const std::vector<CredentialValue>& credentials);

// The MFA answer script: "correct" (or the option marked correct) passes; a server-error
// password given as the answer maps to its status; "challenge" asks a follow-up question;
// anything else is rejected. `round` counts challenges already issued in this job (1 = first).
ScriptVerdict judge_answers(const Institution& institution, const std::vector<Challenge>& asked,
                            const std::vector<CredentialValue>& answers, int round);

// Builds the challenges MX would show for `type`; guids are derived from `seed`.
std::vector<Challenge> make_challenges(const Institution& institution, ChallengeType type,
                                       std::uint64_t seed, int round);

}  // namespace mxemu::domain
