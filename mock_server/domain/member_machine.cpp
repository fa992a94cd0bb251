// The member connection-status state machine, in Boost.MSM (functor front-end).
//
// This is the only translation unit that includes Boost.MSM: it costs ~15 s and ~1 GB to
// compile, so CMake builds it -O2 -g0 in every build type (dependencies.md §2.2). Everything
// here is in an anonymous namespace behind member_machine.h, which has no Boost in it.
//
// Layout: states, events, guards, actions, the transition table (read it first), the
// front-end, then the glue (state-id maps, restore shim, event dispatch, table walker, doc
// renderer). docs/state-machine.md explains each status and holds the generated diagram.

#include "domain/member_machine.h"

#include <array>
#include <cstddef>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Kept apart from the standard headers (Google regrouping would merge them).
// clang-format off
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/joint_view.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
// clang-format on

namespace mxemu::domain {
namespace {

namespace mpl = boost::mpl;
namespace msm = boost::msm;
using msm::front::none;
using msm::front::Row;

// ---------------------------------------------------------------------------------------------
// States: one per ConnectionStatus, plus the hidden Authenticating (a job is waiting for the
// institution's answer to the login; MX keeps showing the status the member had before).
// ---------------------------------------------------------------------------------------------

template <ConnectionStatus S>
struct StatusState : msm::front::state<> {
  static constexpr ConnectionStatus kStatus = S;
  static constexpr bool kAuthenticating = false;
};

struct Authenticating : msm::front::state<> {
  static constexpr bool kAuthenticating = true;
};

using NullStatus = StatusState<ConnectionStatus::kNone>;
using Created = StatusState<ConnectionStatus::kCreated>;
using Prevented = StatusState<ConnectionStatus::kPrevented>;
using Denied = StatusState<ConnectionStatus::kDenied>;
using Challenged = StatusState<ConnectionStatus::kChallenged>;
using Rejected = StatusState<ConnectionStatus::kRejected>;
using Locked = StatusState<ConnectionStatus::kLocked>;
using Connected = StatusState<ConnectionStatus::kConnected>;
using Impeded = StatusState<ConnectionStatus::kImpeded>;
using Reconnected = StatusState<ConnectionStatus::kReconnected>;
using Degraded = StatusState<ConnectionStatus::kDegraded>;
using Disconnected = StatusState<ConnectionStatus::kDisconnected>;
using Discontinued = StatusState<ConnectionStatus::kDiscontinued>;
using Closed = StatusState<ConnectionStatus::kClosed>;
using Delayed = StatusState<ConnectionStatus::kDelayed>;
using Failed = StatusState<ConnectionStatus::kFailed>;
using Updated = StatusState<ConnectionStatus::kUpdated>;
using Disabled = StatusState<ConnectionStatus::kDisabled>;
using Imported = StatusState<ConnectionStatus::kImported>;
using Resumed = StatusState<ConnectionStatus::kResumed>;
using Expired = StatusState<ConnectionStatus::kExpired>;
using Impaired = StatusState<ConnectionStatus::kImpaired>;
using Pending = StatusState<ConnectionStatus::kPending>;

// ---------------------------------------------------------------------------------------------
// Events: one type per MemberEvent, each carrying the caller's facts for the guards.
// ---------------------------------------------------------------------------------------------

template <MemberEvent K>
struct Ev {
  static constexpr MemberEvent kKind = K;
  MachineEvent facts;
};

using CreatedWithCredentials = Ev<MemberEvent::kCreatedWithCredentials>;
using CreatedForOAuth = Ev<MemberEvent::kCreatedForOAuth>;
using ImportedWithoutCredentials = Ev<MemberEvent::kImportedWithoutCredentials>;
using CredentialsUpdated = Ev<MemberEvent::kCredentialsUpdated>;
using OAuthAuthorized = Ev<MemberEvent::kOAuthAuthorized>;
using OAuthDenied = Ev<MemberEvent::kOAuthDenied>;
using JobStarted = Ev<MemberEvent::kJobStarted>;
using Authenticated = Ev<MemberEvent::kAuthenticated>;
using ChallengeIssued = Ev<MemberEvent::kChallengeIssued>;
using ChallengeAnswered = Ev<MemberEvent::kChallengeAnswered>;
using AnswerRejected = Ev<MemberEvent::kAnswerRejected>;
using ChallengeExpired = Ev<MemberEvent::kChallengeExpired>;
using CredentialsDenied = Ev<MemberEvent::kCredentialsDenied>;
using InstitutionLocked = Ev<MemberEvent::kInstitutionLocked>;
using UserActionRequired = Ev<MemberEvent::kUserActionRequired>;
using CredentialsIncomplete = Ev<MemberEvent::kCredentialsIncomplete>;
using AggregationFailed = Ev<MemberEvent::kAggregationFailed>;
using AggregationDelayed = Ev<MemberEvent::kAggregationDelayed>;
using DataAggregated = Ev<MemberEvent::kDataAggregated>;
using AggregationPaused = Ev<MemberEvent::kAggregationPaused>;
using AggregationUnpaused = Ev<MemberEvent::kAggregationUnpaused>;
using DataSourceMigrated = Ev<MemberEvent::kDataSourceMigrated>;
using InstitutionDiscontinued = Ev<MemberEvent::kInstitutionDiscontinued>;
using MemberClosed = Ev<MemberEvent::kMemberClosed>;
using NoSuccessForTwoWeeks = Ev<MemberEvent::kNoSuccessForTwoWeeks>;

// The only table of event names (docs, error messages, tests). Enum order.
constexpr std::array<std::string_view, kMemberEventCount> kEventNames{{
    "created_with_credentials",
    "created_for_oauth",
    "imported_without_credentials",
    "credentials_updated",
    "oauth_authorized",
    "oauth_denied",
    "job_started",
    "authenticated",
    "challenge_issued",
    "challenge_answered",
    "answer_rejected",
    "challenge_expired",
    "credentials_denied",
    "institution_locked",
    "user_action_required",
    "credentials_incomplete",
    "aggregation_failed",
    "aggregation_delayed",
    "data_aggregated",
    "aggregation_paused",
    "aggregation_unpaused",
    "data_source_migrated",
    "institution_discontinued",
    "member_closed",
    "no_success_for_two_weeks",
}};
static_assert(static_cast<int>(MemberEvent::kNoSuccessForTwoWeeks) + 1 == kMemberEventCount,
              "kMemberEventCount must match MemberEvent");

// ---------------------------------------------------------------------------------------------
// Guards (each group on one (source, event) is mutually exclusive: MSM tries rows bottom-up)
// and actions. Guards run before actions, so a guard sees the count without this event.
// ---------------------------------------------------------------------------------------------

// MX: PREVENTED means "the last 3 attempts to connect have failed".
constexpr int kDenialLimit = 3;

// This refusal is the first or second in a row: the member shows DENIED.
struct DenialsLeft {
  static constexpr std::string_view kName = "fewer_than_3_denials";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& /*event*/, Fsm& fsm, Source& /*src*/, Target& /*tgt*/) const {
    return fsm.consecutive_denials + 1 < kDenialLimit;
  }
};

// This refusal is the third (or later) in a row: MX blocks the member (PREVENTED).
struct ThirdDenial {
  static constexpr std::string_view kName = "3rd_denial_in_a_row";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& /*event*/, Fsm& fsm, Source& /*src*/, Target& /*tgt*/) const {
    return fsm.consecutive_denials + 1 >= kDenialLimit;
  }
};

// MX DISCONNECTED: aggregation "has failed at least three times and has not succeeded for at
// least two weeks".
constexpr bool disconnects(const MachineEvent& f) {
  return f.failures_since_success >= kFailuresToDegrade && f.stale_for_two_weeks;
}
// MX DEGRADED: "failed at least three times within a short period of time"; it then holds
// while the failures go on (until a success, or two weeks without one).
constexpr bool degrades(const MachineEvent& f) {
  return !disconnects(f) && (f.recent_failures >= kFailuresToDegrade || f.degraded_since_success);
}

// Neither DEGRADED nor DISCONNECTED: a plain FAILED.
struct FewFailures {
  static constexpr std::string_view kName = "fewer_than_3_recent_failures";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& /*fsm*/, Source& /*src*/, Target& /*tgt*/) const {
    return !disconnects(event.facts) && !degrades(event.facts);
  }
};

// 3+ failures in the window (or DEGRADED already since the last success), a success within
// two weeks: DEGRADED.
struct RepeatedFailures {
  static constexpr std::string_view kName = "3_recent_failures_or_still_degraded";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& /*fsm*/, Source& /*src*/, Target& /*tgt*/) const {
    return degrades(event.facts);
  }
};

// 3+ failures since the last success and none for two weeks: DISCONNECTED.
struct StaleFailures {
  static constexpr std::string_view kName = "3_failures_no_success_2_weeks";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& /*fsm*/, Source& /*src*/, Target& /*tgt*/) const {
    return disconnects(event.facts);
  }
};

// no_success_for_two_weeks is itself the two weeks: only the failure count remains to check.
struct FailedThrice {
  static constexpr std::string_view kName = "3_failures_since_success";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& /*fsm*/, Source& /*src*/, Target& /*tgt*/) const {
    return event.facts.failures_since_success >= kFailuresToDegrade;
  }
};

struct FailedFewerThanThrice {
  static constexpr std::string_view kName = "fewer_than_3_failures_since_success";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& /*fsm*/, Source& /*src*/, Target& /*tgt*/) const {
    return event.facts.failures_since_success < kFailuresToDegrade;
  }
};

// Counts a refused login. Updating credentials does not reset the count (see ResetDenials).
struct CountDenial {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& /*event*/, Fsm& fsm, Source& /*src*/, Target& /*tgt*/) const {
    ++fsm.consecutive_denials;
  }
};

// A successful login ends the run of refusals. This is the only place the count resets:
// new credentials alone prove nothing until the institution accepts them.
struct ResetDenials {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& /*event*/, Fsm& fsm, Source& /*src*/, Target& /*tgt*/) const {
    fsm.consecutive_denials = 0;
  }
};

// ---------------------------------------------------------------------------------------------
// The transition table: every transition of the machine, grouped by source state in lifecycle
// order. MPL vectors hold at most 20 rows without configuration macros, so the table is seven
// chunks joined below. Statuses absent as a source (CLOSED, DISCONTINUED) are final.
// Recurring rows, by design (tests check the sets):
//  - job_started -> Authenticating from the 12 job-accepting statuses (not PREVENTED: MX
//    prevents aggregation until the credentials are updated);
//  - credentials_updated -> UPDATED from every status that has or can take credentials
//    (all but null, PENDING, CLOSED, DISCONTINUED), and from Authenticating (the caller
//    cancels the running job);
//  - institution_discontinued / member_closed from every displayed status but null, CLOSED and
//    DISCONTINUED; not from Authenticating: the caller ends the job first, which shows the
//    pre-job status again (RESUMED and DELAYED have no pre-job status to fall back to).
// ---------------------------------------------------------------------------------------------

// clang-format off
using CreationRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < NullStatus     , CreatedWithCredentials     , Created        , none        , none          >,
  Row < NullStatus     , CreatedForOAuth            , Pending        , none        , none          >,
  Row < NullStatus     , ImportedWithoutCredentials , Imported       , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Pending        , OAuthAuthorized            , Created        , none        , none          >,
  Row < Pending        , OAuthDenied                , Denied         , none        , none          >,
  Row < Pending        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Pending        , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Created        , JobStarted                 , Authenticating , none        , none          >,
  Row < Created        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Created        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Created        , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Updated        , JobStarted                 , Authenticating , none        , none          >,
  Row < Updated        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Updated        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Updated        , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Imported       , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Imported       , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Imported       , MemberClosed               , Closed         , none        , none          >
>;

using JobRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Authenticating , Authenticated              , Connected      , ResetDenials, none          >,
  Row < Authenticating , ChallengeIssued            , Challenged     , none        , none          >,
  Row < Authenticating , CredentialsDenied          , Denied         , CountDenial , DenialsLeft   >,
  Row < Authenticating , CredentialsDenied          , Prevented      , CountDenial , ThirdDenial   >,
  Row < Authenticating , InstitutionLocked          , Locked         , none        , none          >,
  Row < Authenticating , UserActionRequired         , Impeded        , none        , none          >,
  Row < Authenticating , CredentialsIncomplete      , Impaired       , none        , none          >,
  Row < Authenticating , AggregationDelayed         , Delayed        , none        , none          >,
  Row < Authenticating , AggregationFailed          , Failed         , none        , FewFailures   >,
  Row < Authenticating , AggregationFailed          , Degraded       , none        , RepeatedFailures >,
  Row < Authenticating , AggregationFailed          , Disconnected   , none        , StaleFailures >,
  Row < Authenticating , CredentialsUpdated         , Updated        , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Delayed        , Authenticated              , Connected      , ResetDenials, none          >,
  Row < Delayed        , DataAggregated             , Connected      , ResetDenials, none          >,
  Row < Delayed        , AggregationFailed          , Failed         , none        , FewFailures   >,
  Row < Delayed        , AggregationFailed          , Degraded       , none        , RepeatedFailures >,
  Row < Delayed        , AggregationFailed          , Disconnected   , none        , StaleFailures >,
  Row < Delayed        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Delayed        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Delayed        , MemberClosed               , Closed         , none        , none          >
>;

using MfaRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Challenged     , ChallengeAnswered          , Resumed        , none        , none          >,
  Row < Challenged     , ChallengeExpired           , Expired        , none        , none          >,
  Row < Challenged     , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Challenged     , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Challenged     , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Resumed        , Authenticated              , Connected      , ResetDenials, none          >,
  Row < Resumed        , ChallengeIssued            , Challenged     , none        , none          >,
  Row < Resumed        , AnswerRejected             , Rejected       , none        , none          >,
  Row < Resumed        , CredentialsDenied          , Denied         , CountDenial , DenialsLeft   >,
  Row < Resumed        , CredentialsDenied          , Prevented      , CountDenial , ThirdDenial   >,
  Row < Resumed        , InstitutionLocked          , Locked         , none        , none          >,
  Row < Resumed        , UserActionRequired         , Impeded        , none        , none          >,
  Row < Resumed        , CredentialsIncomplete      , Impaired       , none        , none          >,
  Row < Resumed        , AggregationDelayed         , Delayed        , none        , none          >,
  Row < Resumed        , AggregationFailed          , Failed         , none        , FewFailures   >,
  Row < Resumed        , AggregationFailed          , Degraded       , none        , RepeatedFailures >,
  Row < Resumed        , AggregationFailed          , Disconnected   , none        , StaleFailures >,
  Row < Resumed        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Resumed        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Resumed        , MemberClosed               , Closed         , none        , none          >
>;

using RetryRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Rejected       , JobStarted                 , Authenticating , none        , none          >,
  Row < Rejected       , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Rejected       , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Rejected       , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Expired        , JobStarted                 , Authenticating , none        , none          >,
  Row < Expired        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Expired        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Expired        , MemberClosed               , Closed         , none        , none          >
>;

using ConnectedRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Connected      , DataAggregated             , Connected      , none        , none          >,
  Row < Connected      , AggregationDelayed         , Delayed        , none        , none          >,
  Row < Connected      , AggregationPaused          , Disabled       , none        , none          >,
  Row < Connected      , DataSourceMigrated         , Reconnected    , none        , none          >,
  Row < Connected      , JobStarted                 , Authenticating , none        , none          >,
  Row < Connected      , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Connected      , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Connected      , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Disabled       , AggregationUnpaused        , Connected      , none        , none          >,
  Row < Disabled       , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Disabled       , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Disabled       , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Reconnected    , JobStarted                 , Authenticating , none        , none          >,
  Row < Reconnected    , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Reconnected    , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Reconnected    , MemberClosed               , Closed         , none        , none          >
>;

using UserFixRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Denied         , JobStarted                 , Authenticating , none        , none          >,
  Row < Denied         , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Denied         , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Denied         , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Prevented      , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Prevented      , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Prevented      , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Locked         , JobStarted                 , Authenticating , none        , none          >,
  Row < Locked         , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Locked         , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Locked         , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Impeded        , JobStarted                 , Authenticating , none        , none          >,
  Row < Impeded        , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Impeded        , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Impeded        , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Impaired       , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Impaired       , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Impaired       , MemberClosed               , Closed         , none        , none          >
>;

using FailureRows = mpl::vector<
  //    Source          Event                        Target          Action        Guard
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Failed         , JobStarted                 , Authenticating , none        , none          >,
  Row < Failed         , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Failed         , NoSuccessForTwoWeeks       , Disconnected   , none        , FailedThrice  >,
  Row < Failed         , NoSuccessForTwoWeeks       , Failed         , none        , FailedFewerThanThrice >,
  Row < Failed         , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Failed         , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Degraded       , JobStarted                 , Authenticating , none        , none          >,
  Row < Degraded       , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Degraded       , NoSuccessForTwoWeeks       , Disconnected   , none        , FailedThrice  >,
  Row < Degraded       , NoSuccessForTwoWeeks       , Degraded       , none        , FailedFewerThanThrice >,
  Row < Degraded       , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Degraded       , MemberClosed               , Closed         , none        , none          >,
  //  +---------------+----------------------------+---------------+-------------+---------------+
  Row < Disconnected   , JobStarted                 , Authenticating , none        , none          >,
  Row < Disconnected   , CredentialsUpdated         , Updated        , none        , none          >,
  Row < Disconnected   , InstitutionDiscontinued    , Discontinued   , none        , none          >,
  Row < Disconnected   , MemberClosed               , Closed         , none        , none          >
>;

using TransitionTable =
    mpl::joint_view<CreationRows,
    mpl::joint_view<JobRows,
    mpl::joint_view<MfaRows,
    mpl::joint_view<RetryRows,
    mpl::joint_view<ConnectedRows,
    mpl::joint_view<UserFixRows,
                    FailureRows>>>>>>;
// clang-format on

// ---------------------------------------------------------------------------------------------
// The front-end. Non-polymorphic on purpose: a virtual function would make serialize() (the
// restore shim below) need libboost-serialization at link time.
// ---------------------------------------------------------------------------------------------

struct MemberMachineDef : msm::front::state_machine_def<MemberMachineDef> {
  typedef int no_exception_thrown;  // NOLINT(modernize-use-using): MSM detects the typedef
  typedef int no_message_queue;     // NOLINT(modernize-use-using): actions never post events
  using initial_state = NullStatus;
  using transition_table = TransitionTable;

  // Unexpected events are an answer (kInvalidTransition), not a bug: count, never assert.
  template <class Fsm, class Event>
  void no_transition(const Event& /*event*/, Fsm& /*fsm*/, int /*state*/) {
    ++unhandled_events;
  }
  // Unreachable with no_exception_thrown (exceptions propagate), but the default asserts.
  template <class Fsm, class Event>
  void exception_caught(const Event& /*event*/, Fsm& /*fsm*/, std::exception& /*e*/) {
    ++exceptions_caught;
  }

  int consecutive_denials = 0;
  int unhandled_events = 0;
  int exceptions_caught = 0;
};

using Machine = msm::back::state_machine<MemberMachineDef>;
using Stt = Machine::stt;

// ---------------------------------------------------------------------------------------------
// State ids. MSM numbers states by first appearance in the table; never store or hard-code
// those numbers. Index i < kConnectionStatusCount is ConnectionStatus(i); the last index is
// Authenticating. get_state_id fails to compile if a status is missing from the table.
// ---------------------------------------------------------------------------------------------

constexpr int kAuthenticatingIndex = kConnectionStatusCount;
constexpr int kStateCount = kConnectionStatusCount + 1;

template <std::size_t I>
using StateAt = std::conditional_t<(I < kConnectionStatusCount),
                                   StatusState<static_cast<ConnectionStatus>(I)>, Authenticating>;

template <std::size_t... I>
constexpr std::array<int, sizeof...(I)> make_state_ids(std::index_sequence<I...> /*indexes*/) {
  return {{msm::back::get_state_id<Stt, StateAt<I>>::value...}};
}
constexpr std::array<int, kStateCount> kStateIds =
    make_state_ids(std::make_index_sequence<kStateCount>{});

template <class S>
constexpr int state_index() {
  if constexpr (S::kAuthenticating) {
    return kAuthenticatingIndex;
  } else {
    return static_cast<int>(S::kStatus);
  }
}

int index_of(const MachineState& s) {
  return s.authenticating ? kAuthenticatingIndex : static_cast<int>(s.status);
}

// The restore shim: back::state_machine::serialize() is the public Boost.Serialization hook
// and only does `ar & member` on its fields. This "archive" copies the active-state ids and
// ignores everything else, so restoring runs no entry action and needs no extra rows.
struct StateIdArchive {
  const int* in = nullptr;
  template <class T>
  StateIdArchive& operator&(T& field) {
    assign(field);
    return *this;
  }
  // MSM keeps the active-state ids as a C array; this overload must match its exact type.
  template <std::size_t K>
  void assign(int (&ids)[K]) {  // NOLINT(modernize-avoid-c-arrays)
    for (std::size_t i = 0; i < K; ++i) ids[i] = in[i];
  }
  template <class T>
  void assign(T& /*field*/) {}  // history, flags, base object: not ours to touch
};

void restore(Machine& machine, const MachineState& s) {
  const std::array<int, 1> ids = {kStateIds[static_cast<std::size_t>(index_of(s))]};
  StateIdArchive archive;
  archive.in = ids.data();
  machine.serialize(archive, 0);
  machine.consecutive_denials = s.consecutive_denials;
}

int current_index(const Machine& machine) {
  const int id = machine.current_state()[0];
  for (int i = 0; i < kStateCount; ++i) {
    if (kStateIds[static_cast<std::size_t>(i)] == id) return i;
  }
  return -1;  // unreachable: every state of the table has an index
}

// ---------------------------------------------------------------------------------------------
// Runtime event -> MSM event type, one function per MemberEvent, generated.
// ---------------------------------------------------------------------------------------------

using Dispatch = msm::back::HandledEnum (*)(Machine&, const MachineEvent&);

template <MemberEvent K>
msm::back::HandledEnum process(Machine& machine, const MachineEvent& facts) {
  return machine.process_event(Ev<K>{facts});
}

template <std::size_t... I>
constexpr std::array<Dispatch, sizeof...(I)> make_dispatch(std::index_sequence<I...> /*indexes*/) {
  return {{&process<static_cast<MemberEvent>(I)>...}};
}
constexpr std::array<Dispatch, kMemberEventCount> kDispatch =
    make_dispatch(std::make_index_sequence<kMemberEventCount>{});

// ---------------------------------------------------------------------------------------------
// Walking the table.
// ---------------------------------------------------------------------------------------------

// Wraps a row type so mpl::for_each passes a tag instead of constructing the row.
template <class T>
struct TypeTag {};

template <class G>
std::string_view guard_name() {
  if constexpr (std::is_same_v<G, none>) {
    return {};
  } else {
    return G::kName;
  }
}

std::string index_name(int index) {
  if (index == kAuthenticatingIndex) return "(authenticating)";
  const auto status = static_cast<ConnectionStatus>(index);
  return status == ConnectionStatus::kNone ? "null" : std::string(to_wire(status));
}

template <class R, class Visit>
void visit_row(TypeTag<R> /*tag*/, Visit& visit) {
  visit(state_index<typename R::Source>(), R::Evt::kKind, state_index<typename R::Target>(),
        guard_name<typename R::Guard>());
}

// Calls visit(from_index, event, to_index, guard_name) for every row, in table order.
template <class Visit>
void for_each_row(Visit visit) {
  mpl::for_each<TransitionTable, TypeTag<mpl::_1>>([&](auto tag) { visit_row(tag, visit); });
}

// accepts(): which (state, event) pairs have at least one row. Built once from the table.
using AcceptMatrix = std::array<std::array<bool, kMemberEventCount>, kStateCount>;

AcceptMatrix build_accept_matrix() {
  AcceptMatrix m{};
  for_each_row([&m](int from, MemberEvent event, int /*to*/, std::string_view /*guard*/) {
    m[static_cast<std::size_t>(from)][static_cast<std::size_t>(event)] = true;
  });
  return m;
}

const AcceptMatrix& accept_matrix() {
  static const AcceptMatrix kMatrix = build_accept_matrix();  // immutable after first use
  return kMatrix;
}

std::string describe(const MachineState& s) {
  std::string text = s.status == ConnectionStatus::kNone ? "null" : std::string(to_wire(s.status));
  if (s.authenticating) text += " (authenticating)";
  return text;
}

bool in_range(const MachineState& s, MemberEvent event) {
  const int status = static_cast<int>(s.status);
  const int kind = static_cast<int>(event);
  return status >= 0 && status < kConnectionStatusCount && kind >= 0 && kind < kMemberEventCount;
}

// ---------------------------------------------------------------------------------------------
// Rendering docs/state-machine.md's generated block.
// ---------------------------------------------------------------------------------------------

// A (event, target, guard) reached from at least this many sources is drawn once, from a
// dashed "N statuses" node, and its sources are listed under the diagram.
constexpr std::size_t kFanInToCollapse = 10;

std::string mermaid_id(const std::string& state) {
  if (state == "null") return "null_status";
  if (state == "(authenticating)") return "authenticating";
  return state;
}

std::string edge_label(const TransitionRow& row) {
  return row.guard.empty() ? row.event : row.event + " [" + row.guard + "]";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::string_view to_string(MemberEvent e) {
  const auto i = static_cast<std::size_t>(e);
  return i < kEventNames.size() ? kEventNames[i] : std::string_view("unknown_event");
}

Result<MachineState> apply(const MachineState& state, const MachineEvent& event) {
  if (!in_range(state, event.kind)) {
    return refuse(ErrorCode::kInternal, Reason::kMachineOutOfRange);
  }
  Machine machine;
  machine.start();
  restore(machine, state);

  const msm::back::HandledEnum handled =
      kDispatch[static_cast<std::size_t>(event.kind)](machine, event);
  // HANDLED_FALSE: no row for (state, event). HANDLED_GUARD_REJECT: rows exist but every guard
  // said no (cannot happen while each guarded group covers all cases, but map it anyway).
  if ((handled & msm::back::HANDLED_TRUE) == 0) {
    return refuse(ErrorCode::kInvalidTransition, Reason::kTransitionRefused,
                  {std::string(to_string(event.kind)), describe(state)});
  }

  MachineState next;
  next.consecutive_denials = machine.consecutive_denials;
  const int index = current_index(machine);
  if (index < 0) return refuse(ErrorCode::kInternal, Reason::kMachineUnmapped);
  if (index == kAuthenticatingIndex) {
    // MX keeps showing the pre-job status until the institution answers.
    next.authenticating = true;
    next.status = state.status;
  } else {
    next.authenticating = false;
    next.status = static_cast<ConnectionStatus>(index);
  }
  return next;
}

bool accepts(const MachineState& state, MemberEvent event) {
  if (!in_range(state, event)) return false;
  return accept_matrix()[static_cast<std::size_t>(index_of(state))]
                        [static_cast<std::size_t>(event)];
}

std::vector<TransitionRow> transition_rows() {
  std::vector<TransitionRow> rows;
  for_each_row([&rows](int from, MemberEvent event, int to, std::string_view guard) {
    rows.push_back(TransitionRow{index_name(from), std::string(to_string(event)), index_name(to),
                                 std::string(guard)});
  });
  return rows;
}

std::string render_state_machine_doc() {
  const std::vector<TransitionRow> rows = transition_rows();

  // Rows sharing (event, target, guard) with many sources are drawn once.
  using FanKey = std::tuple<std::string, std::string, std::string>;
  std::map<FanKey, std::vector<std::string>> sources_by_fan;
  std::vector<FanKey> fan_order;
  for (const auto& r : rows) {
    FanKey key{r.event, r.to, r.guard};
    auto& sources = sources_by_fan[key];
    if (sources.empty()) fan_order.push_back(key);
    sources.push_back(r.from);
  }
  std::set<FanKey> collapsed;
  for (const auto& key : fan_order) {
    if (sources_by_fan[key].size() >= kFanInToCollapse) collapsed.insert(key);
  }

  // The remaining rows, merged per (from, to) so parallel edges become one labelled edge.
  std::vector<std::pair<std::string, std::string>> edge_order;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> labels;
  for (const auto& r : rows) {
    if (collapsed.count(FanKey{r.event, r.to, r.guard}) != 0) continue;
    auto edge = std::make_pair(r.from, r.to);
    auto& l = labels[edge];
    if (l.empty()) edge_order.push_back(edge);
    l.push_back(edge_label(r));
  }

  std::string out;
  out += "```mermaid\nstateDiagram-v2\n";
  out += "    state \"null\" as null_status\n";
  out += "    state \"(authenticating)\" as authenticating\n";
  out += "    classDef many stroke-dasharray: 5 5\n";
  out += "    [*] --> null_status\n";
  for (const auto& edge : edge_order) {
    out += "    " + mermaid_id(edge.first) + " --> " + mermaid_id(edge.second) + " : " +
           join(labels[edge], ", ") + "\n";
  }
  for (const auto& key : fan_order) {
    if (collapsed.count(key) == 0) continue;
    const auto& [event, to, guard] = key;
    const std::string node = "many_" + event;
    out += "    state \"any of " + std::to_string(sources_by_fan[key].size()) +
           " states (listed below)\" as " + node + "\n";
    out += "    class " + node + " many\n";
    out += "    " + node + " --> " + mermaid_id(to) + " : " +
           edge_label(TransitionRow{"", event, to, guard}) + "\n";
  }
  out += "```\n\n";

  out += "Drawn once in the diagram (dashed node), from each of these states:\n\n";
  for (const auto& key : fan_order) {
    if (collapsed.count(key) == 0) continue;
    const auto& [event, to, guard] = key;
    out += "- `" + edge_label(TransitionRow{"", event, to, guard}) + "` → " + to + " from " +
           join(sources_by_fan[key], ", ") + "\n";
  }
  out += "\n";

  out += "All " + std::to_string(rows.size()) +
         " transitions, in table order (grouped by source status):\n\n";
  out += "| from | event | guard | to |\n";
  out += "|---|---|---|---|\n";
  for (const auto& r : rows) {
    const std::string guard = r.guard.empty() ? "" : "`" + r.guard + "`";
    out += "| " + r.from + " | `" + r.event + "` | " + guard + " | " + r.to + " |\n";
  }
  return out;
}

}  // namespace mxemu::domain
