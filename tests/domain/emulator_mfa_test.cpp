// MX Bank's scripted credentials and MFA, exactly as MX documents them, plus the extended
// script of the emulator's own institutions.
#include <gtest/gtest.h>

#include "api/errors.h"
#include "support/test_emulator.h"

namespace mxemu::domain {
namespace {

using testing::TestEmulator;

constexpr auto kGuid = IdentifierMode::kGuidOnly;

struct ScriptCase {
  const char* institution;
  const char* password;
  ConnectionStatus expected;
};

class CredentialScriptTable : public ::testing::TestWithParam<ScriptCase> {};

TEST_P(CredentialScriptTable, PasswordDecidesTheOutcome) {
  const ScriptCase& c = GetParam();
  TestEmulator emu;
  auto m = emu.member(emu.user(), c.institution, c.password);
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ(emu.settle((*m)->guid).status(), c.expected)
      << c.institution << " / " << c.password << " gave " << to_wire(emu.get((*m)->guid).status());
}

INSTANTIATE_TEST_SUITE_P(
    MxBank, CredentialScriptTable,
    ::testing::Values(ScriptCase{"mxbank", "password", ConnectionStatus::kConnected},
                      ScriptCase{"mxbank", "anything-else", ConnectionStatus::kConnected},
                      ScriptCase{"mxbank", "challenge", ConnectionStatus::kChallenged},
                      ScriptCase{"mxbank", "options", ConnectionStatus::kChallenged},
                      ScriptCase{"mxbank", "image", ConnectionStatus::kChallenged},
                      ScriptCase{"mxbank", "BAD_REQUEST", ConnectionStatus::kFailed},
                      ScriptCase{"mxbank", "SERVER_ERROR", ConnectionStatus::kFailed},
                      ScriptCase{"mxbank", "UNAVAILABLE", ConnectionStatus::kFailed},
                      ScriptCase{"mxbank", "UNAUTHORIZED", ConnectionStatus::kDenied},
                      ScriptCase{"mxbank", "INVALID", ConnectionStatus::kDenied},
                      ScriptCase{"mxbank", "DISABLED", ConnectionStatus::kDenied},
                      ScriptCase{"mxbank", "LOCKED", ConnectionStatus::kLocked},
                      // MX Bank's table has none of the emulator's extensions.
                      ScriptCase{"mxbank", "IMPEDED", ConnectionStatus::kConnected},
                      ScriptCase{"mxbank", "token", ConnectionStatus::kConnected}));

INSTANTIATE_TEST_SUITE_P(
    Extended, CredentialScriptTable,
    ::testing::Values(ScriptCase{"summit_ridge_bank", "password", ConnectionStatus::kConnected},
                      ScriptCase{"summit_ridge_bank", "IMPEDED", ConnectionStatus::kImpeded},
                      ScriptCase{"summit_ridge_bank", "IMPAIRED", ConnectionStatus::kImpaired},
                      ScriptCase{"summit_ridge_bank", "DELAYED", ConnectionStatus::kConnected},
                      ScriptCase{"summit_ridge_bank", "DEGRADED", ConnectionStatus::kFailed},
                      ScriptCase{"summit_ridge_bank", "LOCKED", ConnectionStatus::kLocked},
                      ScriptCase{"summit_ridge_bank", "token", ConnectionStatus::kChallenged},
                      ScriptCase{"summit_ridge_bank", "image_options",
                                 ConnectionStatus::kChallenged}));

ChallengeType challenge_type_after(const char* institution, const char* password) {
  TestEmulator emu;
  const std::string guid = (*emu.member(emu.user(), institution, password))->guid;
  const Member& m = emu.settle(guid);
  EXPECT_EQ(m.challenges.size(), 1U);
  return m.challenges.empty() ? ChallengeType::kText : m.challenges.front().type;
}

TEST(MxBankMfa, ChallengeStylesFollowThePassword) {
  EXPECT_EQ(challenge_type_after("mxbank", "challenge"), ChallengeType::kText);
  EXPECT_EQ(challenge_type_after("mxbank", "options"), ChallengeType::kOptions);
  EXPECT_EQ(challenge_type_after("mxbank", "image"), ChallengeType::kImageData);
  EXPECT_EQ(challenge_type_after("pioneer_fcu", "challenge"), ChallengeType::kOptions);
  EXPECT_EQ(challenge_type_after("harborview_savings", "challenge"), ChallengeType::kImageData);
}

class MfaAnswer : public ::testing::Test {
 protected:
  void challenge(const char* institution = "mxbank", const char* password = "challenge") {
    user_ = emu_.user();
    member_ = (*emu_.member(user_, institution, password))->guid;
    ASSERT_EQ(emu_.settle(member_).status(), ConnectionStatus::kChallenged);
  }
  ConnectionStatus answer(const std::string& value) {
    const Challenge c = emu_.get(member_).challenges.front();
    auto r = emu_->resume(user_, member_, kGuid, {{c.guid, value}});
    EXPECT_TRUE(r.ok()) << mxemu::api::message_of(r.error());
    EXPECT_EQ(emu_.get(member_).status(), ConnectionStatus::kResumed);
    EXPECT_TRUE(emu_.get(member_).is_being_aggregated());
    return emu_.settle(member_).status();
  }
  TestEmulator emu_;
  std::string user_;
  std::string member_;
};

TEST_F(MfaAnswer, CorrectConnects) {
  challenge();
  EXPECT_EQ(answer("correct"), ConnectionStatus::kConnected);
  EXPECT_TRUE(emu_.get(member_).has_processed_transactions);
}

TEST_F(MfaAnswer, AnythingElseIsRejected) {
  challenge();
  EXPECT_EQ(answer("Paris"), ConnectionStatus::kRejected);
}

TEST_F(MfaAnswer, ServerErrorPasswordAsAnswerMapsToItsStatus) {
  challenge();
  EXPECT_EQ(answer("SERVER_ERROR"), ConnectionStatus::kFailed);
}

TEST_F(MfaAnswer, AnsweringChallengeAsksAFollowUpQuestion) {
  challenge();
  EXPECT_EQ(answer("challenge"), ConnectionStatus::kChallenged);
  EXPECT_EQ(answer("correct"), ConnectionStatus::kConnected);
}

TEST_F(MfaAnswer, RejectedMemberCanBeChallengedAgain) {
  challenge();
  ASSERT_EQ(answer("wrong"), ConnectionStatus::kRejected);
  ASSERT_TRUE(emu_->start_job(user_, member_, kGuid, JobType::kAggregate).ok());
  EXPECT_EQ(emu_.settle(member_).status(), ConnectionStatus::kChallenged);
}

TEST_F(MfaAnswer, TwoStepInstitutionAsksASecondQuestionAfterACorrectFirstAnswer) {
  challenge("cascade_national_bank");
  EXPECT_EQ(answer("correct"), ConnectionStatus::kChallenged);
  EXPECT_EQ(answer("correct"), ConnectionStatus::kConnected);
}

TEST_F(MfaAnswer, OptionsChallengeAcceptsTheFirstOptionsValue) {
  challenge("mxbank", "options");
  const Challenge c = emu_.get(member_).challenges.front();
  ASSERT_FALSE(c.options.empty());
  EXPECT_EQ(answer(c.options.front().value), ConnectionStatus::kConnected);
}

TEST_F(MfaAnswer, UnansweredChallengeExpires) {
  challenge();
  const Seconds timeout = emu_->find_institution("mxbank")->mfa_timeout;
  emu_.advance(timeout.count() - 1);
  EXPECT_EQ(emu_.get(member_).status(), ConnectionStatus::kChallenged);
  emu_.advance(1);
  EXPECT_EQ(emu_.get(member_).status(), ConnectionStatus::kExpired);
  EXPECT_FALSE(emu_.get(member_).is_being_aggregated());
}

TEST_F(MfaAnswer, ResumeNeedsAnAnswerForEveryChallenge) {
  challenge();
  auto r = emu_->resume(user_, member_, kGuid, {{"CRD-unknown", "correct"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(emu_.get(member_).status(), ConnectionStatus::kChallenged);
}

TEST_F(MfaAnswer, ResumeOnAMemberThatIsNotChallengedIsAConflict) {
  user_ = emu_.user();
  member_ = (*emu_.member(user_, "mxbank", "password"))->guid;
  emu_.settle(member_);
  auto r = emu_->resume(user_, member_, kGuid, {{"CRD-x", "correct"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

// An outage (set_institution_fault) answers MFA answers as it answers logins.
TEST_F(MfaAnswer, ACorrectAnswerDuringAnOutageGetsTheOutagesOutcome) {
  challenge();
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  EXPECT_EQ(answer("correct"), ConnectionStatus::kFailed);
  EXPECT_EQ(emu_.get(member_).most_recent_job_detail_text, "The institution is unavailable.");
  EXPECT_FALSE(emu_.get(member_).successfully_aggregated_at.has_value());
}

TEST_F(MfaAnswer, AnOutageCanDenyOrDelayTheAnswer) {
  challenge();
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", AuthOutcome::kDeny).ok());
  EXPECT_EQ(answer("correct"), ConnectionStatus::kDenied);
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", AuthOutcome::kChallenge).ok());
  ASSERT_TRUE(emu_->start_job(user_, member_, kGuid, JobType::kAggregate).ok());
  ASSERT_EQ(emu_.settle(member_).status(), ConnectionStatus::kChallenged);
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", AuthOutcome::kDelay).ok());
  const Challenge c = emu_.get(member_).challenges.front();
  ASSERT_TRUE(emu_->resume(user_, member_, kGuid, {{c.guid, "wrong"}}).ok());
  emu_.advance(2);
  EXPECT_EQ(emu_.get(member_).status(), ConnectionStatus::kDelayed);
  EXPECT_EQ(emu_.settle(member_).status(), ConnectionStatus::kConnected);  // slow, not refused
}

TEST_F(MfaAnswer, AnAnswerAfterTheOutageEndedIsJudgedByTheScript) {
  challenge();
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", AuthOutcome::kFail).ok());
  ASSERT_TRUE(emu_->set_institution_fault("mxbank", std::nullopt).ok());
  EXPECT_EQ(answer("correct"), ConnectionStatus::kConnected);
}

TEST(InstitutionFault, RejectIsNotALoginOutcome) {
  TestEmulator emu;
  auto s = emu->set_institution_fault("mxbank", AuthOutcome::kReject);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadRequest);
  const std::string guid = (*emu.member(emu.user(), "mxbank", "password"))->guid;
  EXPECT_EQ(emu.settle(guid).status(), ConnectionStatus::kConnected);
}

TEST(CredentialUpdate, UpdatingTheMxBankPasswordRerunsTheScript) {
  TestEmulator emu;
  const std::string user = emu.user();
  const std::string guid = (*emu.member(user, "mxbank", "password"))->guid;
  ASSERT_EQ(emu.settle(guid).status(), ConnectionStatus::kConnected);
  MemberUpdate up;
  up.credentials =
      std::vector<CredentialValue>{{emu.credential_guid("mxbank", "PASSWORD"), "challenge"}};
  ASSERT_TRUE(emu->update_member(user, guid, kGuid, up).ok());
  EXPECT_EQ(emu.get(guid).status(), ConnectionStatus::kUpdated);
  EXPECT_EQ(emu.settle(guid).status(), ConnectionStatus::kChallenged);
}

}  // namespace
}  // namespace mxemu::domain
