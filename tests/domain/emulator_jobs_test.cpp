// The job rules: 202 already-running, 202 throttled, 409 different job, 429 check_balance,
// throttle exemptions, and the repeated-failure transitions.
#include <gtest/gtest.h>

#include "api/errors.h"
#include "emulator_steps.h"
#include "support/test_emulator.h"

namespace mxemu::domain {
namespace {

using testing::connect;
using testing::Connected;
using testing::job;
using testing::TestEmulator;

constexpr auto kGuid = IdentifierMode::kGuidOnly;

TEST(EmulatorJobs, SameJobTypeAlreadyRunningIsAcceptedWithoutANewJob) {
  TestEmulator emu;
  Connected c{emu.user(), ""};
  c.member = (*emu.member(c.user, "mxbank", "password"))->guid;
  const std::string job_guid = emu.get(c.member).job->guid;
  auto again = job(emu, c, JobType::kAggregate);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->disposition, JobDisposition::kAlreadyRunning);
  EXPECT_EQ(emu.get(c.member).job->guid, job_guid);
}

TEST(EmulatorJobs, ADifferentJobTypeRunningIsAConflict) {
  TestEmulator emu;
  Connected c{emu.user(), ""};
  c.member = (*emu.member(c.user, "mxbank", "password"))->guid;
  auto verify = job(emu, c, JobType::kVerify);
  ASSERT_FALSE(verify.ok());
  EXPECT_EQ(verify.error().code, ErrorCode::kConflict);
}

TEST(EmulatorJobs, StandardAggregationInsideTheThrottleWindowStartsNothing) {
  TestEmulator emu;
  const Connected c = connect(emu, "summit_ridge_bank");  // 1 h window
  const TimePoint aggregated_at = *emu.get(c.member).aggregated_at;
  emu.advance(30 * 60);
  auto throttled = job(emu, c, JobType::kAggregate);
  ASSERT_TRUE(throttled.ok());
  EXPECT_EQ(throttled->disposition, JobDisposition::kThrottled);
  EXPECT_FALSE(emu.get(c.member).is_being_aggregated());
  EXPECT_EQ(*emu.get(c.member).aggregated_at, aggregated_at);
  emu.advance(31 * 60);
  auto started = job(emu, c, JobType::kAggregate);
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->disposition, JobDisposition::kStarted);
}

TEST(EmulatorJobs, ThrottleStartsAfterAnyJobIncludingPremiumOnes) {
  TestEmulator emu;
  const Connected c = connect(emu, "summit_ridge_bank");
  emu.advance(2 * 3600);
  ASSERT_EQ(job(emu, c, JobType::kIdentify)->disposition, JobDisposition::kStarted);
  emu.settle(c.member);
  EXPECT_EQ(job(emu, c, JobType::kAggregate)->disposition, JobDisposition::kThrottled);
}

TEST(EmulatorJobs, PremiumJobsAreNeverThrottled) {
  TestEmulator emu;
  const Connected c = connect(emu, "summit_ridge_bank");
  for (JobType t :
       {JobType::kVerify, JobType::kIdentify, JobType::kHistory, JobType::kStatements}) {
    auto r = job(emu, c, t);
    ASSERT_TRUE(r.ok()) << to_string(t) << ": " << mxemu::api::message_of(r.error());
    EXPECT_EQ(r->disposition, JobDisposition::kStarted) << to_string(t);
    emu.settle(c.member);
  }
}

TEST(EmulatorJobs, MxBankIsNeverThrottled) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  EXPECT_EQ(job(emu, c, JobType::kAggregate)->disposition, JobDisposition::kStarted);
}

TEST(EmulatorJobs, CredentialErrorStatusesAreExemptFromTheThrottle) {
  TestEmulator emu;
  Connected c{emu.user(), ""};
  c.member = (*emu.member(c.user, "summit_ridge_bank", "challenge"))->guid;
  emu.settle(c.member);
  ASSERT_EQ(emu.get(c.member).status(), ConnectionStatus::kChallenged);
  const Challenge challenge = emu.get(c.member).challenges.front();
  ASSERT_TRUE(emu->resume(c.user, c.member, kGuid, {{challenge.guid, "wrong"}}).ok());
  emu.settle(c.member);
  ASSERT_EQ(emu.get(c.member).status(), ConnectionStatus::kRejected);
  EXPECT_EQ(job(emu, c, JobType::kAggregate)->disposition, JobDisposition::kStarted);
}

TEST(EmulatorJobs, CheckBalanceTwiceWithinTwoHoursIsTooManyRequests) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_EQ(job(emu, c, JobType::kBalance)->disposition, JobDisposition::kStarted);
  emu.settle(c.member);
  emu.advance(3600);
  auto again = job(emu, c, JobType::kBalance);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kTooManyRequests);
  emu.advance(3600);
  EXPECT_TRUE(job(emu, c, JobType::kBalance).ok());
}

TEST(EmulatorJobs, UnsupportedPremiumJobIsABadRequest) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  // Find an institution without statements, if the fixtures have one; otherwise skip.
  for (const auto& inst : emu->institutions()) {
    if (inst.supports_account_statement || inst.script == CredentialScript::kOAuth) continue;
    const Connected other = connect(emu, inst.code);
    auto r = job(emu, other, JobType::kStatements);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    return;
  }
  GTEST_SKIP() << "every credential institution supports statements";
}

TEST(EmulatorJobs, ThreeDenialsInARowMakeTheMemberPrevented) {
  TestEmulator emu;
  Connected c{emu.user(), ""};
  c.member = (*emu.member(c.user, "mxbank", "INVALID"))->guid;
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kDenied);
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kDenied);
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kPrevented);
}

TEST(EmulatorJobs, RepeatedFailuresDegradeThenDisconnectAfterTwoWeeks) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(
      emu->queue_outcomes(c.member, {AuthOutcome::kFail, AuthOutcome::kFail, AuthOutcome::kFail})
          .ok());
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kFailed);
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kFailed);
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kDegraded);
  // Still failing two weeks after the last success → DISCONNECTED.
  ASSERT_TRUE(emu->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  emu.advance(14 * 24 * 3600);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
    emu.settle(c.member);
  }
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kDisconnected);
  // The outage ends; the next aggregation recovers.
  ASSERT_TRUE(emu->set_institution_fault("mxbank", std::nullopt).ok());
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kConnected);
}

TEST(EmulatorJobs, AConnectedMemberCanBeChallengedOnItsNextAggregation) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  ASSERT_TRUE(emu->queue_outcomes(c.member, {AuthOutcome::kChallenge}).ok());
  ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kConnected);  // still showing
  emu.settle(c.member);
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kChallenged);
  EXPECT_FALSE(emu.get(c.member).challenges.empty());
}

TEST(EmulatorJobs, JobsOnMembersThatNeedTheUserAreRefused) {
  TestEmulator emu;
  const std::string user = emu.user();
  auto imported = emu->import_member(user, "mxbank");
  ASSERT_TRUE(imported.ok());
  auto r = emu->start_job(user, (*imported)->guid, kGuid, JobType::kAggregate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST(EmulatorJobs, DuplicateLoginAtTheSameInstitutionIsAConflict) {
  TestEmulator emu;
  const std::string user = emu.user();
  ASSERT_TRUE(emu.member(user, "mxbank", "password").ok());
  auto dup = emu.member(user, "mxbank", "another-password");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(emu.member(user, "mxbank", "password", "someone-else").ok());
}

TEST(EmulatorJobs, MoreThanTwentyFiveMembersIsUnprocessable) {
  TestEmulator emu;
  const std::string user = emu.user();
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(emu.member(user, "mxbank", "password", "login" + std::to_string(i)).ok()) << i;
  }
  auto extra = emu.member(user, "mxbank", "password", "login25");
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().code, ErrorCode::kUnprocessable);
}

TEST(EmulatorJobs, UpdatingCredentialsRerunsTheScriptUnthrottled) {
  TestEmulator emu;
  const Connected c = connect(emu, "summit_ridge_bank", "INVALID");
  ASSERT_EQ(emu.get(c.member).status(), ConnectionStatus::kDenied);
  MemberUpdate up;
  up.credentials = std::vector<CredentialValue>{
      {emu.credential_guid("summit_ridge_bank", "PASSWORD"), "password"}};
  auto m = emu->update_member(c.user, c.member, kGuid, up);
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kUpdated);
  EXPECT_TRUE((*m)->is_being_aggregated());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kConnected);
}

TEST(EmulatorJobs, DuplicatePartnerUserIdIsAConflict) {
  TestEmulator emu;
  emu.user("partner-1");
  UserFields f;
  f.id = "partner-1";
  auto dup = emu->create_user(f);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace mxemu::domain

namespace mxemu::domain {
namespace {

// Whatever a login or an MFA answer yields, the member ends consistent: a status MX has, and
// "authenticating" only while a job is running.
TEST(EmulatorConsistency, EveryScriptedLoginOutcomeSettlesConsistently) {
  for (AuthOutcome o :
       {AuthOutcome::kConnect, AuthOutcome::kChallenge, AuthOutcome::kDeny, AuthOutcome::kLock,
        AuthOutcome::kImpede, AuthOutcome::kImpair, AuthOutcome::kDelay, AuthOutcome::kFail}) {
    testing::TestEmulator emu;
    const Connected c = connect(emu, "mxbank");
    ASSERT_TRUE(emu->queue_outcomes(c.member, {o}).ok());
    ASSERT_TRUE(job(emu, c, JobType::kAggregate).ok());
    const Member& m = emu.settle(c.member);
    EXPECT_TRUE(!m.machine.authenticating || m.job.has_value()) << to_string(o);
    EXPECT_NE(m.status(), ConnectionStatus::kNone) << to_string(o);
  }
  testing::TestEmulator emu;
  const Connected c = connect(emu, "mxbank");
  EXPECT_EQ(emu->queue_outcomes(c.member, {AuthOutcome::kReject}).error().code,
            ErrorCode::kBadRequest);
}

TEST(EmulatorConsistency, EveryMagicWordAsAnMfaAnswerSettlesConsistently) {
  for (const char* answer :
       {"correct", "wrong", "challenge", "BAD_REQUEST", "SERVER_ERROR", "UNAVAILABLE",
        "UNAUTHORIZED", "INVALID", "DISABLED", "LOCKED", "IMPEDED", "IMPAIRED", "DELAYED",
        "DEGRADED", "token", "image_options"}) {
    testing::TestEmulator emu;
    const std::string user = emu.user();
    const std::string guid = (*emu.member(user, "summit_ridge_bank", "challenge"))->guid;
    ASSERT_EQ(emu.settle(guid).status(), ConnectionStatus::kChallenged);
    const Challenge ch = emu.get(guid).challenges.front();
    ASSERT_TRUE(emu->resume(user, guid, IdentifierMode::kGuidOnly, {{ch.guid, answer}}).ok());
    const Member& m = emu.settle(guid);
    EXPECT_NE(m.status(), ConnectionStatus::kResumed) << answer;
    EXPECT_TRUE(!m.machine.authenticating || m.job.has_value()) << answer;
  }
}

}  // namespace
}  // namespace mxemu::domain
