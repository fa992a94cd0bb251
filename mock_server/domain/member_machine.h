#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/connection_status.h"
#include "domain/error.h"

namespace mxemu::domain {

// Facts about a member, from the emulator's point of view, that can move its connection_status.
// Names are past-tense facts; what each one does to each status is the transition table in
// member_machine.cpp (rendered in docs/state-machine.md).
enum class MemberEvent {
  kCreatedWithCredentials,      // POST members with credentials
  kCreatedForOAuth,             // POST members with is_oauth: true
  kImportedWithoutCredentials,  // a member MX imported without credentials (control API)
  kCredentialsUpdated,          // PUT members with new credentials
  kOAuthAuthorized,             // the end user finished the institution's OAuth page
  kOAuthDenied,                 // the end user (or institution) refused OAuth
  kJobStarted,                  // an aggregation-type job began authenticating
  kAuthenticated,               // the institution accepted the login (data now aggregating)
  kChallengeIssued,             // the institution asked an MFA question
  kChallengeAnswered,           // PUT resume delivered answers; not yet judged
  kAnswerRejected,              // the MFA answer was wrong
  kChallengeExpired,            // MFA unanswered within the institution's limit
  kCredentialsDenied,           // the institution refused the login
  kInstitutionLocked,           // the institution locked the login
  kUserActionRequired,          // terms, marketing message... at the institution's site
  kCredentialsIncomplete,       // a required credential is missing
  kAggregationFailed,           // the institution or MX failed (not the user's fault)
  kAggregationDelayed,          // authenticating is taking longer than expected
  kDataAggregated,              // the job finished pulling data
  kAggregationPaused,           // MX paused aggregation (member still connected)
  kAggregationUnpaused,         // the pause was lifted
  kDataSourceMigrated,          // MX moved the member to a new data source
  kInstitutionDiscontinued,     // the institution is no longer supported
  kMemberClosed,                // the user, MX, the client or a partner closed the member
  kNoSuccessForTwoWeeks,        // two weeks have passed since the last success (clock)
};

inline constexpr int kMemberEventCount = 25;

// MX: DEGRADED and DISCONNECTED mean aggregation "has failed at least three times".
inline constexpr int kFailuresToDegrade = 3;

// Stable snake_case name ("job_started", "credentials_denied"), used in docs/state-machine.md,
// error messages and tests. Out-of-range values give "unknown_event".
std::string_view to_string(MemberEvent e);

// An event plus the facts that guards need. Facts that depend on time are computed by the
// caller (the state machine knows no clock). A "failure" is a failed aggregation attempt as
// docs/state-machine.md defines it (the institution or MX failed; not a verdict on the user's
// credentials or answers).
struct MachineEvent {
  MemberEvent kind;
  // kAggregationFailed: failures (this one included) inside the "short period" (the
  // degradation window). A success in between does not erase them: MX's DEGRADED counts
  // failures within a period, not failures in a row.
  int recent_failures = 1;
  // kAggregationFailed (this one included), kNoSuccessForTwoWeeks: failures since the last
  // successful aggregation (since creation if none).
  int failures_since_success = 1;
  // kAggregationFailed: the member is DEGRADED already (an earlier failure since the last
  // success had kFailuresToDegrade inside its window, or it showed DEGRADED when the job
  // started), so it stays DEGRADED while it keeps failing, however sparse the failures are.
  bool degraded_since_success = false;
  // kAggregationFailed: no successful aggregation for at least two weeks.
  bool stale_for_two_weeks = false;
};

// The persisted snapshot: the source of truth. The machine is rebuilt from it for every event.
struct MachineState {
  // The status MX shows. While `authenticating`, this is the status the member had when the
  // job started (MX keeps showing it until the institution answers).
  ConnectionStatus status = ConnectionStatus::kNone;
  // A job is between kJobStarted and its authentication outcome.
  bool authenticating = false;
  // Consecutive refused logins; the third in a row makes the member PREVENTED. Every
  // credentials_denied adds one; only a successful login (authenticated, or data_aggregated
  // out of DELAYED) resets it. New credentials do NOT reset it (MX: PREVENTED means "the last
  // 3 attempts to connect have failed").
  int consecutive_denials = 0;

  friend bool operator==(const MachineState& a, const MachineState& b) {
    return a.status == b.status && a.authenticating == b.authenticating &&
           a.consecutive_denials == b.consecutive_denials;
  }
};

// Applies `event` to `state` through the Boost.MSM machine. Returns the new snapshot, or
// ErrorCode::kInvalidTransition with the message "<event> is not accepted by a member in
// status <STATUS>" (STATUS is "null" for kNone, suffixed " (authenticating)" during a job)
// when the current state does not accept the event. A status or event outside its enum gives
// ErrorCode::kInternal. On error nothing changed: the caller keeps its snapshot.
// When the result is authenticating, its status is the pre-job status (what MX shows).
// Thread safety: pure function; safe from any thread.
// Performance: rebuilds the machine from the snapshot on every call; measured ~13 ns per
// accepted event and ~80 ns per rejection (which formats the message).
Result<MachineState> apply(const MachineState& state, const MachineEvent& event);

// True when `state` accepts `event` (some row exists for it; guards aside). Every guarded
// group covers all facts, so accepts() == apply(...).ok() for any facts.
bool accepts(const MachineState& state, MemberEvent event);

// One row of the transition table, walked from the MSM table itself (table order: grouped
// by source state).
struct TransitionRow {
  std::string from;   // wire status, "null", or "(authenticating)"
  std::string event;  // to_string(MemberEvent)
  std::string to;
  std::string guard;  // the guard's doc name ("3rd_denial_in_a_row"); empty when unguarded
};
std::vector<TransitionRow> transition_rows();

// docs/state-machine.md's generated block (Mermaid diagram, the many-source edges listed,
// then every row as a markdown table), from transition_rows() only. Deterministic.
std::string render_state_machine_doc();

}  // namespace mxemu::domain
