// A job's data made ahead by World::prefetch_data (domain/data_prefetch.h) is exactly what the
// job step would have generated inline, and is used only by the step it was made for.
#include <gtest/gtest.h>

#include <string>

#include "api/errors.h"
#include "api/snapshot_codec.h"
#include "api/world_snapshot.h"
#include "support/test_emulator.h"

namespace mxemu::testing {
namespace {

using domain::JobPhase;
using domain::JobType;

// A new member (MX Bank unless named) whose first job has authenticated and now pulls its data (the
// step that stores it is due in 60 % of the job's 4 s).
std::string member_pulling_data(TestEmulator& emu, const std::string& institution = "mxbank") {
  const std::string user = emu.user("prefetch");
  const std::string member = (*emu.member(user, institution, "password"))->guid;
  emu.advance(2);
  EXPECT_EQ(emu->store().find_member(member)->job->phase, JobPhase::kPullingData);
  return member;
}

std::string world_dump(TestEmulator& emu) {
  std::lock_guard<std::mutex> lock(emu.world().mutex());
  return api::encode_snapshot(api::snapshot_world(emu.world())).dump();
}

TEST(DataPrefetch, PrefetchedDataIsWhatTheStepMakesInline) {
  TestEmulator inline_emu;
  TestEmulator prefetch_emu;
  member_pulling_data(inline_emu);
  member_pulling_data(prefetch_emu);
  {
    std::lock_guard<std::mutex> lock(prefetch_emu.world().mutex());
    ASSERT_EQ(prefetch_emu->data_orders().size(), 1U);
  }
  prefetch_emu.world().prefetch_data();
  {
    std::lock_guard<std::mutex> lock(prefetch_emu.world().mutex());
    EXPECT_TRUE(prefetch_emu->data_orders().empty()) << "made once, kept for its step";
  }
  inline_emu.advance(10);
  prefetch_emu.advance(10);
  const std::string made_inline = world_dump(inline_emu);
  EXPECT_NE(made_inline.find("\"transactions\":[{"), std::string::npos) << "data was stored";
  EXPECT_EQ(world_dump(prefetch_emu), made_inline);
}

TEST(DataPrefetch, LaterAggregationsAndExtendedHistoryMatchToo) {
  TestEmulator inline_emu;
  TestEmulator prefetch_emu;
  for (TestEmulator* emu : {&inline_emu, &prefetch_emu}) {
    const std::string member = member_pulling_data(*emu, "summit_ridge_bank");  // has history
    if (emu == &prefetch_emu) emu->world().prefetch_data();
    emu->advance(3 * 86400 + 600);  // background aggregations run and finish meanwhile
    const std::string user = (*emu)->store().find_member(member)->user_guid;
    const auto history =
        (*emu)->start_job(user, member, domain::IdentifierMode::kGuidOnly, JobType::kHistory);
    ASSERT_TRUE(history.ok()) << api::message_of(history.error());
    emu->advance(2);
    if (emu == &prefetch_emu) emu->world().prefetch_data();
    emu->advance(10);
  }
  EXPECT_EQ(world_dump(prefetch_emu), world_dump(inline_emu));
}

TEST(DataPrefetch, DataMadeForAnotherStepOrOtherDaysIsNeverStored) {
  TestEmulator inline_emu;
  TestEmulator emu;
  member_pulling_data(inline_emu);
  member_pulling_data(emu);
  {
    std::lock_guard<std::mutex> lock(emu.world().mutex());
    const auto orders = emu->data_orders();
    ASSERT_EQ(orders.size(), 1U);
    domain::PreparedData later = domain::prepare_data(orders[0], emu->catalog());
    ASSERT_GT(later.transactions.size(), 1U);
    domain::PreparedData other_days = later;
    later.transactions.resize(1);  // anything stored from these would show in the dump
    later.at += domain::Seconds{1};
    other_days.transactions.resize(1);
    other_days.days.from += 1;
    emu->stash_prepared(std::move(later));
    emu->stash_prepared(std::move(other_days));
    EXPECT_EQ(emu->data_orders().size(), 1U) << "neither was kept";
  }
  inline_emu.advance(10);
  emu.advance(10);
  EXPECT_EQ(world_dump(emu), world_dump(inline_emu));
}

TEST(DataPrefetch, DataOfADeletedMemberIsForgotten) {
  TestEmulator emu;
  const std::string member = member_pulling_data(emu);
  emu.world().prefetch_data();
  const std::string user = emu->store().find_member(member)->user_guid;
  ASSERT_TRUE(emu->delete_member(user, member, domain::IdentifierMode::kGuidOnly).ok());
  std::lock_guard<std::mutex> lock(emu.world().mutex());
  EXPECT_TRUE(emu->data_orders().empty());
}

}  // namespace
}  // namespace mxemu::testing
