// Members MX will not aggregate: PREVENTED until the credentials are updated, and members of a
// discontinued institution, including those created there afterwards.
#include <gtest/gtest.h>

#include <string>

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

Connected prevented(TestEmulator& emu) {
  const Connected c = connect(emu, "mxbank", "INVALID");
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(job(emu, c, JobType::kAggregate).ok());
    emu.settle(c.member);
  }
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kPrevented);
  return c;
}

TEST(PreventedMember, AggregationIsAcceptedButNoLoginIsAttempted) {
  TestEmulator emu;
  const Connected c = prevented(emu);
  const Member before = emu.get(c.member);
  const std::uint64_t events = emu->last_event_sequence();
  for (JobType type : {JobType::kAggregate, JobType::kIdentify, JobType::kBalance}) {
    auto r = job(emu, c, type);
    ASSERT_TRUE(r.ok()) << to_string(type) << ": " << mxemu::api::message_of(r.error());
    EXPECT_EQ(r->disposition, JobDisposition::kPrevented) << to_string(type);
    EXPECT_EQ(r.value().member->status(), ConnectionStatus::kPrevented);
    EXPECT_FALSE(emu.get(c.member).is_being_aggregated());
  }
  emu.advance(3600);
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kPrevented);
  EXPECT_EQ(emu.get(c.member).aggregated_at, before.aggregated_at);
  EXPECT_EQ(emu.get(c.member).most_recent_job_guid, before.most_recent_job_guid);
  EXPECT_EQ(emu.get(c.member).machine.consecutive_denials, 3);
  EXPECT_EQ(emu->last_event_sequence(), events);  // nothing happened
}

TEST(PreventedMember, NewCredentialsUnblockIt) {
  TestEmulator emu;
  const Connected c = prevented(emu);
  MemberUpdate up;
  up.credentials =
      std::vector<CredentialValue>{{emu.credential_guid("mxbank", "PASSWORD"), "password"}};
  auto m = emu->update_member(c.user, c.member, kGuid, up);
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kUpdated);
  EXPECT_TRUE((*m)->is_being_aggregated());
  EXPECT_EQ(emu.settle(c.member).status(), ConnectionStatus::kConnected);
}

TEST(PreventedMember, AnOAuthMemberIsUnblockedByANewAuthorisation) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mx_bank_oauth";
  req.is_oauth = true;
  const std::string user = emu.user();
  const std::string guid = (*emu->create_member(user, kGuid, req))->guid;
  ASSERT_TRUE(emu->queue_outcomes(guid, std::vector<AuthOutcome>(3, AuthOutcome::kDeny)).ok());
  ASSERT_TRUE(emu->complete_oauth(guid, "", true).ok());
  emu.settle(guid);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(emu->start_job(user, guid, kGuid, JobType::kAggregate).ok());
    emu.settle(guid);
  }
  ASSERT_EQ(emu.get(guid).status(), ConnectionStatus::kPrevented);
  ASSERT_TRUE(emu->complete_oauth(guid, "", true).ok());
  EXPECT_EQ(emu.get(guid).status(), ConnectionStatus::kUpdated);
  EXPECT_EQ(emu.settle(guid).status(), ConnectionStatus::kConnected);
}

TEST(DiscontinuedInstitution, ANewMemberThereIsDiscontinuedAtOnce) {
  TestEmulator emu;
  ASSERT_TRUE(emu->discontinue_institution("mxbank").ok());
  const std::string user = emu.user();
  auto m = emu.member(user, "mxbank", "password");
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kDiscontinued);
  EXPECT_FALSE((*m)->is_being_aggregated());
  EXPECT_FALSE((*m)->aggregated_at.has_value());
  const std::string guid = (*m)->guid;
  emu.advance(2 * 24 * 3600);  // no job, no background aggregation
  EXPECT_EQ(emu.get(guid).status(), ConnectionStatus::kDiscontinued);
  EXPECT_FALSE(emu.get(guid).successfully_aggregated_at.has_value());
  auto r = emu->start_job(user, guid, kGuid, JobType::kAggregate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  // Other institutions are not affected.
  const Connected other = connect(emu, "summit_ridge_bank");
  EXPECT_EQ(emu.get(other.member).status(), ConnectionStatus::kConnected);
}

TEST(DiscontinuedInstitution, OAuthAndImportedMembersAreDiscontinuedToo) {
  TestEmulator emu;
  ASSERT_TRUE(emu->discontinue_institution("mxcu_oauth").ok());
  const std::string user = emu.user();
  MemberCreate req;
  req.institution_code = "mxcu_oauth";
  req.is_oauth = true;
  auto oauth = emu->create_member(user, kGuid, req);
  ASSERT_TRUE(oauth.ok()) << mxemu::api::message_of(oauth.error());
  EXPECT_EQ((*oauth)->status(), ConnectionStatus::kDiscontinued);
  EXPECT_FALSE((*oauth)->oauth_window.has_value());
  const std::string guid = (*oauth)->guid;
  emu.advance(2 * 3600);  // not PENDING, so not deleted after an hour
  EXPECT_NE(emu->member_by_guid(guid), nullptr);
  auto imported = emu->import_member(user, "mxcu_oauth");
  ASSERT_TRUE(imported.ok()) << mxemu::api::message_of(imported.error());
  EXPECT_EQ((*imported)->status(), ConnectionStatus::kDiscontinued);
}

TEST(DiscontinuedInstitution, AMemberWhoseAnswerIsBeingCheckedEndsDiscontinued) {
  TestEmulator emu;
  const Connected c = connect(emu, "mxbank", "challenge");
  const Challenge ch = emu.get(c.member).challenges.front();
  ASSERT_TRUE(emu->resume(c.user, c.member, kGuid, {{ch.guid, "correct"}}).ok());
  ASSERT_EQ(emu.get(c.member).status(), ConnectionStatus::kResumed);
  ASSERT_TRUE(emu->discontinue_institution("mxbank").ok());
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kDiscontinued);
  EXPECT_FALSE(emu.get(c.member).is_being_aggregated());
  EXPECT_FALSE(emu.get(c.member).machine.authenticating);
}

}  // namespace
}  // namespace mxemu::domain
