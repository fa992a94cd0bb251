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
  kCreatedWithCredentials,  // POST members with credentials
  kCreatedForOAuth,         // POST members with is_oauth: true
  kImportedWithoutCredentials,  // a member MX imported without credentials (control API)
  kCredentialsUpdated,      // PUT members with new credentials
  kOAuthAuthorized,         // the end user finished the institution's OAuth page
  kOAuthDenied,             // the end user (or institution) refused OAuth
  kJobStarted,              // an aggregation-type job began authenticating
  kAuthenticated,           // the institution accepted the login (data now aggregating)
  kChallengeIssued,         // the institution asked an MFA question
  kChallengeAnswered,       // PUT resume delivered answers; not yet judged
  kAnswerRejected,          // the MFA answer was wrong
  kChallengeExpired,        // MFA unanswered within the institution's limit
  kCredentialsDenied,       // the institution refused the login
  kInstitutionLocked,       // the institution locked the login
  kUserActionRequired,      // terms, marketing message... at the institution's site
  kCredentialsIncomplete,   // a required credential is missing
  kAggregationFailed,       // the institution or MX failed (not the user's fault)
  kAggregationDelayed,      // authenticating is taking longer than expected
  kDataAggregated,          // the job finished pulling data
  kAggregationPaused,       // MX paused aggregation (member still connected)
  kAggregationUnpaused,     // the pause was lifted
  kDataSourceMigrated,      // MX moved the member to a new data source
  kInstitutionDiscontinued, // the institution is no longer supported
  kMemberClosed,            // the user, MX, the client or a partner closed the member
};

inline constexpr int kMemberEventCount = 24;

std::string_view to_string(MemberEvent e);

// An event plus the facts that guards need. Facts that depend on time are computed by the
// caller (the state machine knows no clock).
struct MachineEvent {
  MemberEvent kind;
  // kAggregationFailed: failures (including this one) inside the institution's "short period".
  int recent_failures = 1;
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
  // Consecutive refused logins; the third in a row makes the member PREVENTED.
  int consecutive_denials = 0;

  friend bool operator==(const MachineState& a, const MachineState& b) {
    return a.status == b.status && a.authenticating == b.authenticating &&
           a.consecutive_denials == b.consecutive_denials;
  }
};

// Applies `event` to `state` through the Boost.MSM machine. Returns the new snapshot, or
// ErrorCode::kInvalidTransition (with a message naming the status and the event) when the
// current state does not accept the event; `state` is never partially changed.
// Thread safety: pure function; safe from any thread.
Result<MachineState> apply(const MachineState& state, const MachineEvent& event);

// True when `state` accepts `event` (some row exists for it; guards aside).
bool accepts(const MachineState& state, MemberEvent event);

// One row of the transition table, walked from the MSM table itself.
struct TransitionRow {
  std::string from;   // wire status, "null", or "(authenticating)"
  std::string event;  // to_string(MemberEvent)
  std::string to;
  std::string guard;  // empty when unguarded
};
std::vector<TransitionRow> transition_rows();

// docs/state-machine.md's generated block (Mermaid diagram plus a matrix), from transition_rows().
std::string render_state_machine_doc();

}  // namespace mxemu::domain
