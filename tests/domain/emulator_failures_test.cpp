// Failed aggregations on the virtual clock: when FAILED becomes DEGRADED and DISCONNECTED, and
// what counts as a failure (docs/state-machine.md, "What counts as a failure").
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "emulator_steps.h"
#include "support/test_emulator.h"

namespace mxemu::domain {
namespace {

using testing::aggregate;
using testing::connect;
using testing::Connected;
using testing::TestEmulator;

constexpr auto kGuid = IdentifierMode::kGuidOnly;
constexpr long long kDay = 24 * 3600;

// The status every member_updated event showed, in order, without repeats.
std::vector<ConnectionStatus> shown(TestEmulator& emu, const std::string& member) {
  std::vector<ConnectionStatus> out;
  for (const auto& e : emu->events()) {
    if (e.member_guid != member || e.kind != DomainEventKind::kMemberUpdated) continue;
    if (out.empty() || out.back() != e.status) out.push_back(e.status);
  }
  return out;
}

TEST(FailedAggregation, DegradedHoldsWhileTheInstitutionFailsThenTheClockDisconnects) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");  // no throttle: every retry logs in
  const TimePoint last_success = *emu.get(c.member).successfully_aggregated_at;
  ASSERT_TRUE(emu->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDegraded);
  // A retry a day, so the 24 h window never again holds three: DEGRADED all the same.
  for (int day = 1; day <= 13; ++day) {
    emu.advance(kDay);
    EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDegraded) << "day " << day;
  }
  // Two weeks after the last success, without another attempt.
  const auto left =
      std::chrono::duration_cast<Seconds>(last_success + Seconds{14 * kDay} - emu->now());
  emu.advance(left.count() - 1);
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kDegraded);
  emu.advance(1);
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kDisconnected);
  // Still failing: DISCONNECTED, not FAILED. The outage ends: the next aggregation recovers.
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDisconnected);
  ASSERT_TRUE(emu->set_institution_fault("mxbank", std::nullopt).ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kConnected);
}

TEST(FailedAggregation, ThreeFailuresTwoWeeksAfterTheLastSuccessDisconnect) {
  EmulatorOptions options;
  options.background_aggregation = false;  // nothing succeeds behind the test's back
  TestEmulator emu(options);
  const Connected c = connect(emu, "mxbank");
  emu.advance(15 * kDay);
  ASSERT_TRUE(emu->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  emu.advance(kDay);  // spread out: never three inside one window
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  emu.advance(kDay);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDisconnected);
}

TEST(FailedAggregation, ARecoveredMemberIsNotDisconnectedByTheClock) {
  EmulatorOptions options;
  options.background_aggregation = false;
  TestEmulator emu(options);
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->queue_outcomes(c.member, std::vector<AuthOutcome>(3, AuthOutcome::kFail)).ok());
  for (int i = 0; i < 3; ++i) aggregate(emu, c);
  ASSERT_EQ(emu.get(c.member).status(), ConnectionStatus::kDegraded);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kConnected);
  emu.advance(30 * kDay);
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kConnected);
}

TEST(FailedAggregation, AForcedDegradedMemberStaysDegradedWhileItFails) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->force_status(c.member, ConnectionStatus::kDegraded).ok());
  ASSERT_TRUE(emu->queue_outcomes(c.member, {AuthOutcome::kFail}).ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDegraded);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kConnected);
}

TEST(FailedAggregation, ConnectedChallengedThenDegradedByTheThirdFailureInTheWindow) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->queue_outcomes(c.member, {AuthOutcome::kFail, AuthOutcome::kFail,
                                             AuthOutcome::kConnect, AuthOutcome::kChallenge})
                  .ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kConnected);  // the success erases nothing
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kChallenged);
  // The institution goes down while the user answers: the third failure inside 24 h.
  ASSERT_TRUE(emu->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  const Challenge ch = emu.get(c.member).challenges.front();
  ASSERT_TRUE(emu->resume(c.user, c.member, kGuid, {{ch.guid, "correct"}}).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kDegraded);
  const std::vector<ConnectionStatus> tail = {
      ConnectionStatus::kConnected, ConnectionStatus::kChallenged, ConnectionStatus::kResumed,
      ConnectionStatus::kDegraded};
  const std::vector<ConnectionStatus> all = shown(emu, c.member);
  ASSERT_GE(all.size(), tail.size());
  EXPECT_EQ(std::vector<ConnectionStatus>(all.end() - 4, all.end()), tail);
}

TEST(FailedAggregation, FailuresOlderThanTheWindowAreForgotten) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  emu.advance(kDay + 60);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDegraded);
}

// A failure is the institution or MX failing. Verdicts on the user's credentials or answers,
// and a challenge left unanswered, have statuses of their own and do not count: a failure,
// one of these, then a failure is two failures (FAILED), not three.
struct NotAFailure {
  const char* name;
  std::vector<AuthOutcome> login;  // the middle attempt's login outcome
  const char* answer;              // answer to its challenge; nullptr: let it expire
  ConnectionStatus shows;
};

void PrintTo(const NotAFailure& p, std::ostream* os) { *os << p.name; }

class WhatCountsAsAFailure : public ::testing::TestWithParam<NotAFailure> {};

TEST_P(WhatCountsAsAFailure, OnlyInstitutionFailuresCount) {
  const NotAFailure& p = GetParam();
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->queue_outcomes(c.member, {AuthOutcome::kFail}).ok());
  ASSERT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  ASSERT_TRUE(emu->queue_outcomes(c.member, p.login).ok());
  aggregate(emu, c);
  if (emu.get(c.member).status() == ConnectionStatus::kChallenged) {
    if (p.answer == nullptr) {
      emu.advance(emu->find_institution("mxbank")->mfa_timeout.count());
    } else {
      const Challenge ch = emu.get(c.member).challenges.front();
      ASSERT_TRUE(emu->resume(c.user, c.member, kGuid, {{ch.guid, p.answer}}).ok());
      emu.settle(c.member);
    }
  }
  ASSERT_EQ(emu.get(c.member).status(), p.shows) << p.name;
  ASSERT_TRUE(emu->queue_outcomes(c.member, {AuthOutcome::kFail}).ok());
  EXPECT_EQ(aggregate(emu, c), p.shows == ConnectionStatus::kFailed ? ConnectionStatus::kDegraded
                                                                    : ConnectionStatus::kFailed)
      << p.name;
}

INSTANTIATE_TEST_SUITE_P(
    Outcomes, WhatCountsAsAFailure,
    ::testing::Values(
        NotAFailure{"denied", {AuthOutcome::kDeny}, "", ConnectionStatus::kDenied},
        NotAFailure{"locked", {AuthOutcome::kLock}, "", ConnectionStatus::kLocked},
        NotAFailure{"impeded", {AuthOutcome::kImpede}, "", ConnectionStatus::kImpeded},
        NotAFailure{"expired", {AuthOutcome::kChallenge}, nullptr, ConnectionStatus::kExpired},
        NotAFailure{"rejected", {AuthOutcome::kChallenge}, "wrong", ConnectionStatus::kRejected},
        // The counted ones, for contrast: the third is a failure, so the member degrades.
        NotAFailure{"failed", {AuthOutcome::kFail}, "", ConnectionStatus::kFailed},
        NotAFailure{
            "failed_answer", {AuthOutcome::kChallenge}, "SERVER_ERROR", ConnectionStatus::kFailed}),
    [](const ::testing::TestParamInfo<NotAFailure>& param) {
      return std::string(param.param.name);
    });

}  // namespace
}  // namespace mxemu::domain
