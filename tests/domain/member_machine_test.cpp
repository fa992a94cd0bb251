// Behavioural tests of the member connection-status machine (domain/member_machine.h).
//
// The expectations here are written from MX's documented behaviour (docs/state-machine.md),
// not read back from the implementation's table: the group sets below (job-accepting,
// credential-taking, endable) restate the design, and a coverage test checks that every row
// the machine reports is exercised by at least one case.

#include "domain/member_machine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <ostream>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "api/errors.h"

namespace mxemu::domain {

// gtest prints these in failure messages. Internal linkage (ADL still finds it here) so
// another test file may print MachineState its own way without a clash.
static void PrintTo(const MachineState& s, std::ostream* os) {
  *os << (s.status == ConnectionStatus::kNone ? std::string("null")
                                              : std::string(to_wire(s.status)))
      << (s.authenticating ? " (authenticating)" : "") << " denials=" << s.consecutive_denials;
}

namespace {

using S = ConnectionStatus;
using E = MemberEvent;

MachineState at(S status, int denials = 0) { return MachineState{status, false, denials}; }
MachineState authenticating(S shown, int denials = 0) { return MachineState{shown, true, denials}; }
MachineEvent ev(E kind) { return MachineEvent{kind}; }
// An aggregation failure with these facts (MachineEvent documents each).
MachineEvent fail(int recent, int since_success, bool stale = false, bool degraded = false) {
  MachineEvent e{E::kAggregationFailed};
  e.recent_failures = recent;
  e.failures_since_success = since_success;
  e.stale_for_two_weeks = stale;
  e.degraded_since_success = degraded;
  return e;
}
// The two-week clock, for a member with `since_success` failures since its last success.
MachineEvent overdue(int since_success) {
  MachineEvent e{E::kNoSuccessForTwoWeeks};
  e.failures_since_success = since_success;
  return e;
}

// The name transition_rows() uses for the MSM state a snapshot restores into.
std::string row_name(const MachineState& s) {
  if (s.authenticating) return "(authenticating)";
  if (s.status == S::kNone) return "null";
  return std::string(to_wire(s.status));
}

std::vector<S> all_status_values() {
  std::vector<S> out;
  for (int i = 0; i < kConnectionStatusCount; ++i) out.push_back(static_cast<S>(i));
  return out;
}

std::vector<E> all_events() {
  std::vector<E> out;
  for (int i = 0; i < kMemberEventCount; ++i) out.push_back(static_cast<E>(i));
  return out;
}

// --- The design's recurring groups, restated (see docs/state-machine.md). -------------------

// Statuses from which a new aggregation-type job may start authenticating. Not PREVENTED: MX
// prevents aggregation until the credentials are updated.
const std::set<S> kJobAccepting = {S::kCreated,  S::kUpdated,      S::kConnected, S::kReconnected,
                                   S::kDegraded, S::kDisconnected, S::kFailed,    S::kRejected,
                                   S::kExpired,  S::kDenied,       S::kLocked,    S::kImpeded};
// Statuses that have or can take credentials: PUT credentials makes them UPDATED.
const std::set<S> kTakesCredentials = [] {
  const std::vector<S> all = all_status_values();
  std::set<S> s(all.begin(), all.end());
  for (S no : {S::kNone, S::kPending, S::kClosed, S::kDiscontinued}) s.erase(no);
  return s;
}();
// Statuses from which the member may be closed or its institution discontinued: every status a
// member can show but null and the two final ones. (Authenticating is not a status: the caller
// ends the job first, which shows the pre-job status again.)
const std::set<S> kEndable = [] {
  const std::vector<S> all = all_status_values();
  std::set<S> s(all.begin(), all.end());
  for (S no : {S::kNone, S::kClosed, S::kDiscontinued}) s.erase(no);
  return s;
}();

// --- The table of cases. -------------------------------------------------------------------

struct Case {
  MachineState from;
  MachineEvent event;
  std::optional<MachineState> expected;  // nullopt: kInvalidTransition
};

std::vector<Case> specific_cases() {
  const auto auth = authenticating(S::kCreated);
  const std::optional<MachineState> kRejected;
  return {
      // null: how a member comes to exist.
      {at(S::kNone), ev(E::kCreatedWithCredentials), at(S::kCreated)},
      {at(S::kNone), ev(E::kCreatedForOAuth), at(S::kPending)},
      {at(S::kNone), ev(E::kImportedWithoutCredentials), at(S::kImported)},
      // PENDING: the OAuth window.
      {at(S::kPending), ev(E::kOAuthAuthorized), at(S::kCreated)},
      {at(S::kPending), ev(E::kOAuthDenied), at(S::kDenied)},
      // Authenticating: every outcome of a login.
      {authenticating(S::kCreated, 2), ev(E::kAuthenticated), at(S::kConnected, 0)},
      {auth, ev(E::kChallengeIssued), at(S::kChallenged)},
      {authenticating(S::kCreated, 0), ev(E::kCredentialsDenied), at(S::kDenied, 1)},
      {authenticating(S::kDenied, 1), ev(E::kCredentialsDenied), at(S::kDenied, 2)},
      {authenticating(S::kDenied, 2), ev(E::kCredentialsDenied), at(S::kPrevented, 3)},
      {authenticating(S::kUpdated, 5), ev(E::kCredentialsDenied), at(S::kPrevented, 6)},
      {auth, ev(E::kInstitutionLocked), at(S::kLocked)},
      {auth, ev(E::kUserActionRequired), at(S::kImpeded)},
      {auth, ev(E::kCredentialsIncomplete), at(S::kImpaired)},
      {auth, ev(E::kAggregationDelayed), at(S::kDelayed)},
      {auth, fail(1, 1), at(S::kFailed)},
      {auth, fail(2, 2, true), at(S::kFailed)},  // stale, but not three failures yet
      {auth, fail(1, 3), at(S::kFailed)},        // three since the success, but spread out
      {auth, fail(3, 3), at(S::kDegraded)},
      {auth, fail(7, 7), at(S::kDegraded)},
      {auth, fail(3, 1), at(S::kDegraded)},  // a success in between erases no recent failure
      {auth, fail(1, 5, false, true), at(S::kDegraded)},  // still failing after the burst
      {auth, fail(3, 3, true), at(S::kDisconnected)},
      {auth, fail(1, 3, true), at(S::kDisconnected)},  // spread out, two weeks without success
      {authenticating(S::kConnected, 2), ev(E::kCredentialsUpdated), at(S::kUpdated, 2)},
      // DELAYED: the slow login still ends.
      {at(S::kDelayed, 1), ev(E::kAuthenticated), at(S::kConnected, 0)},
      {at(S::kDelayed, 1), ev(E::kDataAggregated), at(S::kConnected, 0)},
      {at(S::kDelayed), fail(1, 1), at(S::kFailed)},
      {at(S::kDelayed), fail(3, 3), at(S::kDegraded)},
      {at(S::kDelayed), fail(4, 4, true), at(S::kDisconnected)},
      // CHALLENGED and RESUMED: MFA.
      {at(S::kChallenged), ev(E::kChallengeAnswered), at(S::kResumed)},
      {at(S::kChallenged), ev(E::kChallengeExpired), at(S::kExpired)},
      {at(S::kResumed, 2), ev(E::kAuthenticated), at(S::kConnected, 0)},
      {at(S::kResumed), ev(E::kChallengeIssued), at(S::kChallenged)},
      {at(S::kResumed), ev(E::kAnswerRejected), at(S::kRejected)},
      {at(S::kResumed, 0), ev(E::kCredentialsDenied), at(S::kDenied, 1)},
      {at(S::kResumed, 2), ev(E::kCredentialsDenied), at(S::kPrevented, 3)},
      {at(S::kResumed), ev(E::kInstitutionLocked), at(S::kLocked)},
      // An outage answers an MFA answer with any login outcome.
      {at(S::kResumed), ev(E::kUserActionRequired), at(S::kImpeded)},
      {at(S::kResumed), ev(E::kCredentialsIncomplete), at(S::kImpaired)},
      {at(S::kResumed), ev(E::kAggregationDelayed), at(S::kDelayed)},
      {at(S::kResumed), fail(2, 2), at(S::kFailed)},
      {at(S::kResumed), fail(3, 3), at(S::kDegraded)},
      {at(S::kResumed), fail(3, 3, true), at(S::kDisconnected)},
      // FAILED and DEGRADED on the two-week clock.
      {at(S::kFailed), overdue(3), at(S::kDisconnected)},
      {at(S::kFailed), overdue(2), at(S::kFailed)},
      {at(S::kDegraded), overdue(4), at(S::kDisconnected)},
      {at(S::kDegraded), overdue(1), at(S::kDegraded)},
      // CONNECTED and DISABLED.
      {at(S::kConnected), ev(E::kDataAggregated), at(S::kConnected)},
      {at(S::kConnected), ev(E::kAggregationDelayed), at(S::kDelayed)},
      {at(S::kConnected), ev(E::kAggregationPaused), at(S::kDisabled)},
      {at(S::kConnected), ev(E::kDataSourceMigrated), at(S::kReconnected)},
      {at(S::kDisabled), ev(E::kAggregationUnpaused), at(S::kConnected)},
      // Rejections that a naive machine would get wrong.
      {at(S::kPending), ev(E::kJobStarted), kRejected},
      {at(S::kClosed), ev(E::kCredentialsUpdated), kRejected},
      {at(S::kNone), ev(E::kAuthenticated), kRejected},
      {at(S::kNone), ev(E::kMemberClosed), kRejected},
      {at(S::kConnected), ev(E::kChallengeIssued), kRejected},  // challenges come via a job
      {at(S::kConnected), ev(E::kAuthenticated), kRejected},
      {at(S::kConnected), ev(E::kCreatedWithCredentials), kRejected},
      {authenticating(S::kConnected), ev(E::kJobStarted), kRejected},  // one job at a time
      {authenticating(S::kConnected), ev(E::kMemberClosed), kRejected},
      {authenticating(S::kConnected), ev(E::kDataAggregated), kRejected},
      {at(S::kChallenged), ev(E::kJobStarted), kRejected},
      {at(S::kChallenged), ev(E::kAuthenticated), kRejected},
      {at(S::kResumed), ev(E::kChallengeAnswered), kRejected},
      {at(S::kDisabled), ev(E::kJobStarted), kRejected},
      {at(S::kImported), ev(E::kJobStarted), kRejected},
      {at(S::kImpaired), ev(E::kJobStarted), kRejected},
      {at(S::kClosed), ev(E::kInstitutionDiscontinued), kRejected},
      {at(S::kDiscontinued), ev(E::kMemberClosed), kRejected},
      {at(S::kPending), ev(E::kCredentialsUpdated), kRejected},
      {at(S::kCreated), ev(E::kOAuthAuthorized), kRejected},
      {at(S::kFailed), ev(E::kAggregationFailed), kRejected},
      {at(S::kPrevented), ev(E::kJobStarted), kRejected},  // MX prevents aggregation
      {at(S::kConnected), overdue(3), kRejected},
      {at(S::kDisconnected), overdue(3), kRejected},
      {authenticating(S::kDegraded), overdue(3), kRejected},  // the running job decides
  };
}

// The recurring groups, generated from the sets above: accepted inside the set, rejected
// outside it. The denial count rides along to show these rows never touch it.
std::vector<Case> group_cases() {
  std::vector<Case> out;
  for (S s : all_status_values()) {
    const MachineState from = at(s, 1);
    out.push_back(
        {from, ev(E::kJobStarted),
         kJobAccepting.count(s) != 0 ? std::optional(authenticating(s, 1)) : std::nullopt});
    out.push_back(
        {from, ev(E::kCredentialsUpdated),
         kTakesCredentials.count(s) != 0 ? std::optional(at(S::kUpdated, 1)) : std::nullopt});
    out.push_back({from, ev(E::kMemberClosed),
                   kEndable.count(s) != 0 ? std::optional(at(S::kClosed, 1)) : std::nullopt});
    out.push_back({from, ev(E::kInstitutionDiscontinued),
                   kEndable.count(s) != 0 ? std::optional(at(S::kDiscontinued, 1)) : std::nullopt});
  }
  return out;
}

std::vector<Case> all_cases() {
  std::vector<Case> out = specific_cases();
  const std::vector<Case> groups = group_cases();
  out.insert(out.end(), groups.begin(), groups.end());
  return out;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  const MachineState& from = info.param.from;
  const std::string status = from.status == S::kNone ? "null" : std::string(to_wire(from.status));
  std::string name = std::to_string(info.index) + "_" +
                     (from.authenticating ? "authenticating_" + status : status) + "_" +
                     std::string(to_string(info.param.event.kind));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Deterministic, readable parameter text (ctest's discovered names include it).
void PrintTo(const Case& c, std::ostream* os) {
  PrintTo(c.from, os);
  *os << " + " << to_string(c.event.kind) << "(recent=" << c.event.recent_failures
      << ", since_success=" << c.event.failures_since_success
      << ", degraded=" << c.event.degraded_since_success
      << ", stale=" << c.event.stale_for_two_weeks << ") -> ";
  if (c.expected) {
    PrintTo(*c.expected, os);
  } else {
    *os << "rejected";
  }
}

class TransitionTest : public testing::TestWithParam<Case> {};

TEST_P(TransitionTest, AppliesOrRejects) {
  const Case& c = GetParam();
  const Result<MachineState> got = apply(c.from, c.event);
  if (c.expected.has_value()) {
    ASSERT_TRUE(got.ok()) << mxemu::api::message_of(got.error());
    EXPECT_EQ(*got, *c.expected);
    EXPECT_TRUE(accepts(c.from, c.event.kind));
  } else {
    ASSERT_FALSE(got.ok()) << "unexpectedly accepted, giving " << testing::PrintToString(*got);
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidTransition);
    EXPECT_FALSE(accepts(c.from, c.event.kind));
  }
}

INSTANTIATE_TEST_SUITE_P(Table, TransitionTest, testing::ValuesIn(all_cases()), case_name);

// Every row the machine reports is exercised by some accepting case above, so a row added to
// the table without a test fails here.
TEST(TransitionTableTest, EveryRowHasACase) {
  std::set<std::tuple<std::string, std::string, std::string>> covered;
  for (const Case& c : all_cases()) {
    if (!c.expected) continue;
    covered.emplace(row_name(c.from), std::string(to_string(c.event.kind)), row_name(*c.expected));
  }
  for (const TransitionRow& r : transition_rows()) {
    EXPECT_EQ(covered.count({r.from, r.event, r.to}), 1u)
        << "no test case for " << r.from << " + " << r.event << " -> " << r.to << " [" << r.guard
        << "]";
  }
}

// Rows sharing (source, event) are told apart by guards only, each named, none twice.
TEST(TransitionTableTest, GuardedGroupsAreFullyGuarded) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> guards;
  for (const TransitionRow& r : transition_rows()) guards[{r.from, r.event}].push_back(r.guard);
  for (const auto& [key, names] : guards) {
    if (names.size() == 1) continue;
    const std::set<std::string> unique(names.begin(), names.end());
    EXPECT_EQ(unique.size(), names.size()) << key.first << " + " << key.second;
    EXPECT_EQ(unique.count(""), 0u) << key.first << " + " << key.second << " has an unguarded row";
  }
}

// Exactly one guard passes for any facts: sweeps the facts the guards read.
TEST(TransitionTableTest, GuardsAreExhaustiveAndExclusive) {
  for (const MachineState& from : {authenticating(S::kCreated), at(S::kResumed), at(S::kDelayed)}) {
    for (int recent = 0; recent <= 5; ++recent) {
      for (int since = 0; since <= 5; ++since) {
        for (bool stale : {false, true}) {
          for (bool degraded : {false, true}) {
            const auto got = apply(from, fail(recent, since, stale, degraded));
            ASSERT_TRUE(got.ok()) << recent << " " << since << " " << stale << " " << degraded;
            const S want = since >= 3 && stale       ? S::kDisconnected
                           : recent >= 3 || degraded ? S::kDegraded
                                                     : S::kFailed;
            EXPECT_EQ(got->status, want)
                << recent << " " << since << " " << stale << " " << degraded;
          }
        }
      }
    }
    if (from.status == S::kDelayed) continue;  // DELAYED has no credentials_denied row
    for (int denials = 0; denials <= 5; ++denials) {
      MachineState with = from;
      with.consecutive_denials = denials;
      const auto got = apply(with, ev(E::kCredentialsDenied));
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(got->status, denials + 1 < 3 ? S::kDenied : S::kPrevented) << denials;
      EXPECT_EQ(got->consecutive_denials, denials + 1);
    }
  }
  for (S from : {S::kFailed, S::kDegraded}) {
    for (int since = 0; since <= 5; ++since) {
      const auto got = apply(at(from), overdue(since));
      ASSERT_TRUE(got.ok()) << since;
      EXPECT_EQ(got->status, since >= 3 ? S::kDisconnected : from) << since;
    }
  }
}

// --- Reachability. -------------------------------------------------------------------------

struct Path {
  S target;
  std::vector<MachineEvent> events;  // from null
};

// The shortest event path from null to each status: documentation as much as a test helper
// (MSM cannot be put into a state directly, except through the snapshot).
const std::vector<Path>& shortest_paths() {
  const MachineEvent create = ev(E::kCreatedWithCredentials);
  const MachineEvent job = ev(E::kJobStarted);
  const MachineEvent deny = ev(E::kCredentialsDenied);
  static const std::vector<Path> kPaths = {
      {S::kNone, {}},
      {S::kCreated, {create}},
      {S::kPending, {ev(E::kCreatedForOAuth)}},
      {S::kImported, {ev(E::kImportedWithoutCredentials)}},
      {S::kUpdated, {create, ev(E::kCredentialsUpdated)}},
      {S::kDenied, {ev(E::kCreatedForOAuth), ev(E::kOAuthDenied)}},
      {S::kClosed, {create, ev(E::kMemberClosed)}},
      {S::kDiscontinued, {create, ev(E::kInstitutionDiscontinued)}},
      {S::kConnected, {create, job, ev(E::kAuthenticated)}},
      {S::kChallenged, {create, job, ev(E::kChallengeIssued)}},
      {S::kLocked, {create, job, ev(E::kInstitutionLocked)}},
      {S::kImpeded, {create, job, ev(E::kUserActionRequired)}},
      {S::kImpaired, {create, job, ev(E::kCredentialsIncomplete)}},
      {S::kDelayed, {create, job, ev(E::kAggregationDelayed)}},
      {S::kFailed, {create, job, fail(1, 1)}},
      {S::kDegraded, {create, job, fail(3, 3)}},
      {S::kDisconnected, {create, job, fail(3, 3, true)}},
      {S::kResumed, {create, job, ev(E::kChallengeIssued), ev(E::kChallengeAnswered)}},
      {S::kExpired, {create, job, ev(E::kChallengeIssued), ev(E::kChallengeExpired)}},
      {S::kReconnected, {create, job, ev(E::kAuthenticated), ev(E::kDataSourceMigrated)}},
      {S::kDisabled, {create, job, ev(E::kAuthenticated), ev(E::kAggregationPaused)}},
      {S::kRejected,
       {create, job, ev(E::kChallengeIssued), ev(E::kChallengeAnswered), ev(E::kAnswerRejected)}},
      {S::kPrevented, {create, job, deny, job, deny, job, deny}},
  };
  return kPaths;
}

// Replays `events` from `start`; fails the test on the first rejection.
MachineState replay(MachineState start, const std::vector<MachineEvent>& events) {
  MachineState s = start;
  for (const MachineEvent& e : events) {
    const auto next = apply(s, e);
    EXPECT_TRUE(next.ok()) << mxemu::api::message_of(next.error());
    if (!next.ok()) return s;
    s = *next;
  }
  return s;
}

MachineState reach(S target) {
  for (const Path& p : shortest_paths()) {
    if (p.target == target) return replay(at(S::kNone), p.events);
  }
  ADD_FAILURE() << "no path to " << to_wire(target);
  return at(S::kNone);
}

TEST(ReachabilityTest, ShortestPathTableReachesEveryStatus) {
  std::set<S> targets;
  for (const Path& p : shortest_paths()) {
    targets.insert(p.target);
    const MachineState end = replay(at(S::kNone), p.events);
    EXPECT_EQ(end.status, p.target) << to_wire(p.target);
    EXPECT_FALSE(end.authenticating) << to_wire(p.target);
  }
  EXPECT_EQ(targets.size(), static_cast<std::size_t>(kConnectionStatusCount));
}

TEST(ReachabilityTest, EveryStatusIsReachableInTheTableGraph) {
  std::map<std::string, std::vector<std::string>> next;
  for (const TransitionRow& r : transition_rows()) next[r.from].push_back(r.to);
  std::set<std::string> seen = {"null"};
  std::queue<std::string> todo;
  todo.push("null");
  while (!todo.empty()) {
    const std::string s = todo.front();
    todo.pop();
    for (const std::string& t : next[s]) {
      if (seen.insert(t).second) todo.push(t);
    }
  }
  for (S s : all_status_values()) {
    EXPECT_EQ(seen.count(row_name(at(s))), 1u) << row_name(at(s)) << " is unreachable";
  }
  EXPECT_EQ(seen.count("(authenticating)"), 1u);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kConnectionStatusCount) + 1);
}

// --- Paths that are not a straight line. ---------------------------------------------------

TEST(PathTest, ConnectedMemberIsChallengedOnTheNextAggregation) {
  MachineState s = replay(reach(S::kConnected), {ev(E::kDataAggregated)});
  ASSERT_EQ(s, at(S::kConnected));
  s = replay(s, {ev(E::kJobStarted)});
  EXPECT_EQ(s, authenticating(S::kConnected));  // MX still shows CONNECTED
  s = replay(s, {ev(E::kChallengeIssued)});
  EXPECT_EQ(s, at(S::kChallenged));
  s = replay(s, {ev(E::kChallengeAnswered), ev(E::kAuthenticated), ev(E::kDataAggregated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, RejectedMemberIsChallengedAgain) {
  MachineState s = reach(S::kRejected);
  s = replay(s, {ev(E::kJobStarted)});
  EXPECT_EQ(s, authenticating(S::kRejected));
  s = replay(s, {ev(E::kChallengeIssued)});
  EXPECT_EQ(s, at(S::kChallenged));
}

TEST(PathTest, FollowUpChallengeAfterResume) {
  MachineState s = replay(reach(S::kResumed), {ev(E::kChallengeIssued)});
  EXPECT_EQ(s, at(S::kChallenged));
  s = replay(s, {ev(E::kChallengeAnswered), ev(E::kAuthenticated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, ThreeDenialsInARowPreventAndASuccessResetsTheCount) {
  const MachineEvent job = ev(E::kJobStarted);
  const MachineEvent deny = ev(E::kCredentialsDenied);
  MachineState s = replay(at(S::kNone), {ev(E::kCreatedWithCredentials), job, deny});
  EXPECT_EQ(s, at(S::kDenied, 1));
  s = replay(s, {job, deny});
  EXPECT_EQ(s, at(S::kDenied, 2));
  s = replay(s, {job, deny});
  EXPECT_EQ(s, at(S::kPrevented, 3));
  s = replay(s, {ev(E::kCredentialsUpdated), job, ev(E::kAuthenticated)});
  EXPECT_EQ(s, at(S::kConnected, 0));
  s = replay(s, {job, deny});
  EXPECT_EQ(s, at(S::kDenied, 1));
}

TEST(PathTest, UpdatingCredentialsKeepsTheDenialCount) {
  // MX: PREVENTED means the last 3 attempts failed; new credentials are not a success.
  MachineState s = replay(reach(S::kCreated), {ev(E::kJobStarted), ev(E::kCredentialsDenied),
                                               ev(E::kJobStarted), ev(E::kCredentialsDenied)});
  ASSERT_EQ(s, at(S::kDenied, 2));
  s = replay(s, {ev(E::kCredentialsUpdated)});
  EXPECT_EQ(s, at(S::kUpdated, 2));
  s = replay(s, {ev(E::kJobStarted), ev(E::kCredentialsDenied)});
  EXPECT_EQ(s, at(S::kPrevented, 3));
}

TEST(PathTest, DenialsAreCountedAcrossAnMfaRound) {
  MachineState s = replay(reach(S::kCreated), {ev(E::kJobStarted), ev(E::kCredentialsDenied)});
  s = replay(s, {ev(E::kJobStarted), ev(E::kChallengeIssued), ev(E::kChallengeAnswered),
                 ev(E::kCredentialsDenied)});
  EXPECT_EQ(s, at(S::kDenied, 2));
}

TEST(PathTest, RepeatedFailuresDegradeThenDisconnect) {
  const MachineEvent job = ev(E::kJobStarted);
  MachineState s = replay(reach(S::kConnected), {job, fail(1, 1)});
  EXPECT_EQ(s, at(S::kFailed));
  s = replay(s, {job, fail(2, 2)});
  EXPECT_EQ(s, at(S::kFailed));
  s = replay(s, {job, fail(3, 3)});
  EXPECT_EQ(s, at(S::kDegraded));
  s = replay(s, {job, fail(4, 4, true)});
  EXPECT_EQ(s, at(S::kDisconnected));
  s = replay(s, {job, ev(E::kAuthenticated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, DegradedHoldsWhileFailuresGoOnThenTheClockDisconnects) {
  const MachineEvent job = ev(E::kJobStarted);
  MachineState s = reach(S::kDegraded);
  // A day later the window holds one failure, but the member has not recovered.
  s = replay(s, {job, fail(1, 4, false, true)});
  EXPECT_EQ(s, at(S::kDegraded));
  s = replay(s, {overdue(4)});
  EXPECT_EQ(s, at(S::kDisconnected));
}

TEST(PathTest, ConnectedChallengedThenDegradedByAFailedAnswer) {
  // Two failures earlier in the window, then a success: the next failure is the third.
  MachineState s = replay(reach(S::kConnected), {ev(E::kJobStarted), ev(E::kChallengeIssued)});
  ASSERT_EQ(s, at(S::kChallenged));
  s = replay(s, {ev(E::kChallengeAnswered), fail(3, 1)});
  EXPECT_EQ(s, at(S::kDegraded));
}

TEST(PathTest, PreventedTakesNoJobUntilTheCredentialsAreUpdated) {
  MachineState s = reach(S::kPrevented);
  EXPECT_FALSE(accepts(s, E::kJobStarted));
  s = replay(s, {ev(E::kCredentialsUpdated), ev(E::kJobStarted)});
  EXPECT_EQ(s, authenticating(S::kUpdated, 3));
}

TEST(PathTest, DelayedAfterAnMfaAnswerStillConnects) {
  MachineState s = replay(reach(S::kResumed), {ev(E::kAggregationDelayed)});
  EXPECT_EQ(s, at(S::kDelayed));
  s = replay(s, {ev(E::kAuthenticated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, UnansweredChallengeExpiresAndCanBeRetried) {
  MachineState s = reach(S::kExpired);
  EXPECT_EQ(s, at(S::kExpired));
  s = replay(s, {ev(E::kJobStarted), ev(E::kChallengeIssued)});
  EXPECT_EQ(s, at(S::kChallenged));
}

TEST(PathTest, DelayedJobStillConnects) {
  MachineState s = replay(reach(S::kConnected), {ev(E::kAggregationDelayed)});
  EXPECT_EQ(s, at(S::kDelayed));
  s = replay(s, {ev(E::kDataAggregated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, OAuthMemberConnectsAfterAuthorization) {
  const MachineState s = replay(at(S::kNone), {ev(E::kCreatedForOAuth), ev(E::kOAuthAuthorized),
                                               ev(E::kJobStarted), ev(E::kAuthenticated)});
  EXPECT_EQ(s, at(S::kConnected));
}

TEST(PathTest, UpdatingCredentialsCancelsTheRunningJob) {
  MachineState s = replay(reach(S::kConnected), {ev(E::kJobStarted)});
  ASSERT_TRUE(s.authenticating);
  s = replay(s, {ev(E::kCredentialsUpdated)});
  EXPECT_EQ(s, at(S::kUpdated));
}

TEST(PathTest, DisplayedStatusWhileAuthenticatingIsThePreJobStatus) {
  for (S shown : kJobAccepting) {
    const MachineState before = at(shown, 2);
    const auto during = apply(before, ev(E::kJobStarted));
    ASSERT_TRUE(during.ok()) << to_wire(shown);
    EXPECT_EQ(*during, authenticating(shown, 2));
    // The displayed status does not change what the running job accepts.
    EXPECT_EQ(*apply(*during, ev(E::kChallengeIssued)), at(S::kChallenged, 2));
  }
}

TEST(PathTest, ClosedAndDiscontinuedAreFinal) {
  for (S final_status : {S::kClosed, S::kDiscontinued}) {
    for (E e : all_events()) {
      EXPECT_FALSE(accepts(at(final_status), e)) << to_wire(final_status) << " " << to_string(e);
    }
  }
}

// --- Rejections change nothing. ------------------------------------------------------------

std::vector<MachineState> every_snapshot_kind() {
  std::vector<MachineState> out;
  for (S s : all_status_values()) {
    out.push_back(at(s, 1));
    out.push_back(authenticating(s, 1));
  }
  return out;
}

TEST(RoundTripTest, RejectionLeavesTheSnapshotAndLaterEventsUnchanged) {
  for (const MachineState& snapshot : every_snapshot_kind()) {
    // What each event does from this snapshot, computed before any rejection.
    std::map<E, std::optional<MachineState>> before;
    for (E e : all_events()) {
      const auto r = apply(snapshot, ev(e));
      before[e] = r.ok() ? std::optional(*r) : std::nullopt;
    }
    for (E rejected : all_events()) {
      if (before[rejected]) continue;
      MachineState copy = snapshot;
      const auto r = apply(copy, ev(rejected));
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(copy, snapshot);
      // Replaying the snapshot afterwards gives the same answers: no hidden state.
      for (E e : all_events()) {
        const auto again = apply(copy, ev(e));
        EXPECT_EQ(again.ok(), before[e].has_value());
        if (again.ok() && before[e]) {
          EXPECT_EQ(*again, *before[e]);
        }
      }
    }
  }
}

TEST(RoundTripTest, AcceptsAgreesWithApply) {
  for (const MachineState& snapshot : every_snapshot_kind()) {
    for (E e : all_events()) {
      EXPECT_EQ(apply(snapshot, ev(e)).ok(), accepts(snapshot, e))
          << testing::PrintToString(snapshot) << " + " << to_string(e);
    }
  }
}

TEST(RoundTripTest, ErrorMessageNamesTheEventAndTheStatus) {
  auto r = apply(at(S::kPending), ev(E::kJobStarted));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(mxemu::api::message_of(r.error()),
            "job_started is not accepted by a member in status PENDING");
  r = apply(at(S::kNone), ev(E::kAuthenticated));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(mxemu::api::message_of(r.error()),
            "authenticated is not accepted by a member in status null");
  r = apply(authenticating(S::kConnected), ev(E::kJobStarted));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(mxemu::api::message_of(r.error()),
            "job_started is not accepted by a member in status CONNECTED (authenticating)");
}

TEST(RoundTripTest, OutOfRangeInputIsAnErrorNotACrash) {
  const auto r = apply(at(static_cast<S>(99)), ev(E::kJobStarted));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(accepts(at(S::kConnected), static_cast<E>(-1)));
}

// --- Event names. --------------------------------------------------------------------------

TEST(MemberEventTest, NamesAreUniqueAndSnakeCase) {
  std::set<std::string_view> names;
  for (E e : all_events()) {
    const std::string_view n = to_string(e);
    EXPECT_TRUE(names.insert(n).second) << n;
    EXPECT_FALSE(n.empty());
    EXPECT_TRUE(std::all_of(n.begin(), n.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    })) << n;
  }
  EXPECT_EQ(to_string(E::kJobStarted), "job_started");
  EXPECT_EQ(to_string(E::kCredentialsDenied), "credentials_denied");
  EXPECT_EQ(to_string(E::kOAuthAuthorized), "oauth_authorized");
  EXPECT_EQ(to_string(E::kMemberClosed), "member_closed");
}

TEST(MemberEventTest, RowsNameStatesByWireString) {
  std::set<std::string> names;
  for (const TransitionRow& r : transition_rows()) {
    names.insert(r.from);
    names.insert(r.to);
  }
  std::set<std::string> expected = {"null", "(authenticating)"};
  for (S s : all_status_values()) {
    if (s != S::kNone) expected.insert(std::string(to_wire(s)));
  }
  EXPECT_EQ(names, expected);
}

}  // namespace
}  // namespace mxemu::domain
