// The member lifecycle on the virtual clock: create → CREATED+aggregating → CONNECTED while
// still aggregating → CONNECTED and done, with data; OAuth; deletion; background aggregation.
#include <gtest/gtest.h>

#include "api/errors.h"
#include "support/test_emulator.h"

namespace mxemu::domain {
namespace {

using testing::TestEmulator;

TEST(EmulatorLifecycle, CreatedMemberIsNotFinalInTheCreateResponse) {
  TestEmulator emu;
  auto m = emu.member(emu.user(), "mxbank", "password");
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kCreated);
  EXPECT_TRUE((*m)->is_being_aggregated());
  EXPECT_FALSE((*m)->successfully_aggregated_at.has_value());
  EXPECT_EQ((*m)->aggregated_at, emu->now());
}

TEST(EmulatorLifecycle, ConnectedWhileStillAggregatingIsARealIntermediateState) {
  TestEmulator emu;
  const std::string guid = (*emu.member(emu.user(), "mxbank", "password"))->guid;
  emu.advance(1);
  EXPECT_EQ(emu.get(guid).status(), ConnectionStatus::kConnected);
  EXPECT_TRUE(emu.get(guid).is_being_aggregated());
  EXPECT_FALSE(emu.get(guid).has_processed_transactions);
  emu.advance(2);
  const Member& done = emu.get(guid);
  EXPECT_EQ(done.status(), ConnectionStatus::kConnected);
  EXPECT_FALSE(done.is_being_aggregated());
  EXPECT_TRUE(done.has_processed_accounts);
  EXPECT_TRUE(done.has_processed_transactions);
  ASSERT_TRUE(done.successfully_aggregated_at.has_value());
  EXPECT_EQ(*done.successfully_aggregated_at, testing::test_start() + Seconds{3});
}

TEST(EmulatorLifecycle, MxBankAggregationProducesSixAccountsAndNinetyDaysOfTransactions) {
  TestEmulator emu;
  const std::string user = emu.user();
  const std::string guid = (*emu.member(user, "mxbank", "password"))->guid;
  emu.settle(guid);
  EXPECT_EQ(emu->store().accounts_of_member(guid).size(), 6U);
  TransactionFilter all{
      TransactionScope::kMember, guid, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  const auto page = emu->store().list_transactions(all, PageRequest{1, 1000});
  EXPECT_GT(page.total_entries, 700U);
  EXPECT_LT(page.total_entries, 1100U);
}

TEST(EmulatorLifecycle, ReaggregationAddsOnlyNewDaysAndKeepsGuids) {
  TestEmulator emu;
  const std::string guid = (*emu.member(emu.user(), "mxbank", "password"))->guid;
  emu.settle(guid);
  const std::size_t before = emu->store().transaction_count();
  emu.advance(5 * 24 * 3600);  // background aggregation may run meanwhile: both are fine
  ASSERT_TRUE(
      emu->start_job(emu.get(guid).user_guid, guid, IdentifierMode::kGuidOnly, JobType::kAggregate)
          .ok());
  emu.settle(guid);
  const std::size_t after = emu->store().transaction_count();
  EXPECT_GT(after, before);
  EXPECT_LT(after, before + 200);  // five days, not a second copy of ninety
}

TEST(EmulatorLifecycle, DeletingAUserCascadesToMembersAccountsAndTransactions) {
  TestEmulator emu;
  const std::string user = emu.user();
  const std::string guid = (*emu.member(user, "mxbank", "password"))->guid;
  emu.settle(guid);
  ASSERT_GT(emu->store().transaction_count(), 0U);
  ASSERT_TRUE(emu->delete_user(user, IdentifierMode::kGuidOnly).ok());
  EXPECT_EQ(emu->member_by_guid(guid), nullptr);
  EXPECT_EQ(emu->store().transaction_count(), 0U);
  EXPECT_TRUE(emu->store().accounts_of_user(user).empty());
  EXPECT_EQ(emu->find_user(user, IdentifierMode::kGuidOnly).error().code, ErrorCode::kNotFound);
}

TEST(EmulatorLifecycle, OAuthMemberStartsPendingAndConnectsAfterAuthorisation) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mx_bank_oauth";
  req.is_oauth = true;
  auto m = emu->create_member(emu.user(), IdentifierMode::kGuidOnly, req);
  ASSERT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kPending);
  ASSERT_TRUE((*m)->oauth_window.has_value());
  const std::string guid = (*m)->guid;
  ASSERT_TRUE(emu->complete_oauth(guid, "", true).ok());
  EXPECT_EQ(emu.get(guid).status(), ConnectionStatus::kCreated);
  EXPECT_EQ(emu.settle(guid).status(), ConnectionStatus::kConnected);
}

TEST(EmulatorLifecycle, OAuthWindowIsSingleUse) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mx_bank_oauth";
  req.is_oauth = true;
  const Member* m = *emu->create_member(emu.user(), IdentifierMode::kGuidOnly, req);
  const std::string state = m->oauth_window->state;
  EXPECT_EQ(emu->complete_oauth(m->guid, "wrong", true).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(emu->complete_oauth(m->guid, state, true).ok());
  EXPECT_FALSE(emu->complete_oauth(m->guid, state, true).ok());
}

TEST(EmulatorLifecycle, PendingOAuthMembersAreDeletedAfterAnHour) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mxcu_oauth";
  req.is_oauth = true;
  const std::string guid = (*emu->create_member(emu.user(), IdentifierMode::kGuidOnly, req))->guid;
  emu.advance(3599);
  EXPECT_NE(emu->member_by_guid(guid), nullptr);
  emu.advance(1);
  EXPECT_EQ(emu->member_by_guid(guid), nullptr);
}

TEST(EmulatorLifecycle, OAuthIsRefusedForCredentialInstitutions) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mxbank";
  req.is_oauth = true;
  auto m = emu->create_member(emu.user(), IdentifierMode::kGuidOnly, req);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(mxemu::api::message_of(m.error()), "Member cannot use OAuth.");
}

TEST(EmulatorLifecycle, BackgroundAggregationRunsRoughlyDaily) {
  TestEmulator emu;
  const std::string guid = (*emu.member(emu.user(), "mxbank", "password"))->guid;
  emu.settle(guid);
  emu.advance(24 * 3600);
  // Scheduled a day after creation; its job has finished by now.
  EXPECT_EQ(*emu.get(guid).aggregated_at, testing::test_start() + Seconds{24 * 3600});
  int background = 0;
  for (const auto& e : emu->events()) {
    if (e.kind == DomainEventKind::kAggregation && e.is_background) ++background;
  }
  EXPECT_EQ(background, 1);
}

TEST(EmulatorLifecycle, SkipAggregationCreatesWithoutAJob) {
  TestEmulator emu;
  MemberCreate req;
  req.institution_code = "mxbank";
  req.credentials = emu.credentials("mxbank", "password");
  req.skip_aggregation = true;
  auto m = emu->create_member(emu.user(), IdentifierMode::kGuidOnly, req);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->status(), ConnectionStatus::kCreated);
  EXPECT_FALSE((*m)->is_being_aggregated());
  EXPECT_FALSE((*m)->aggregated_at.has_value());
}

}  // namespace
}  // namespace mxemu::domain
