// The opt-in "storm" policy: StormGate's sliding window, then the emulator with it switched on
// (globally, per institution) and off (the default, which is MX's documented behaviour).
#include "domain/storm.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/errors.h"
#include "emulator_steps.h"
#include "support/test_emulator.h"

namespace mxemu::domain {
namespace {

using testing::aggregate;
using testing::connect;
using testing::Connected;
using testing::TestEmulator;

TimePoint t(long long seconds) { return testing::test_start() + Seconds{seconds}; }

TEST(StormGate, AdmitsTheFirstNInsideTheWindowAndRefusesTheRest) {
  const StormPolicy policy{2, Seconds{60}};
  StormGate gate;
  EXPECT_TRUE(gate.admit(policy, t(0)));
  EXPECT_TRUE(gate.admit(policy, t(10)));
  EXPECT_FALSE(gate.admit(policy, t(20)));
  EXPECT_FALSE(gate.admit(policy, t(59)));  // refused starts still count
  EXPECT_EQ(gate.recent_starts(), 4U);
  // The start at 0 leaves the window at 60 (exactly W ago is outside), the one at 10 at 70.
  EXPECT_FALSE(gate.admit(policy, t(60)));
  EXPECT_FALSE(gate.admit(policy, t(75)));
  EXPECT_TRUE(gate.admit(policy, t(200)));
  EXPECT_EQ(gate.recent_starts(), 1U);
}

TEST(StormGate, ADisabledPolicyAdmitsEverythingAndRemembersNothing) {
  StormGate gate;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(gate.admit(StormPolicy{}, t(0)));
  EXPECT_EQ(gate.recent_starts(), 0U);
  EXPECT_FALSE((StormPolicy{5, Seconds{0}}.enabled()));
  EXPECT_FALSE((StormPolicy{-1, Seconds{60}}.enabled()));
  EXPECT_TRUE((StormPolicy{0, Seconds{60}}.enabled()));  // every start is beyond zero
}

// `count` members of distinct logins at `institution`, created in the same emulated second.
std::vector<std::string> simultaneous_members(TestEmulator& emu, const std::string& institution,
                                              int count) {
  const std::string user = emu.user();
  std::vector<std::string> guids;
  for (int i = 0; i < count; ++i) {
    auto m = emu.member(user, institution, "password", "login" + std::to_string(i));
    EXPECT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
    if (m.ok()) guids.push_back((*m)->guid);
  }
  for (const auto& g : guids) emu.settle(g);
  return guids;
}

TEST(RefreshStorm, IsOffByDefault) {
  TestEmulator emu;
  for (const auto& g : simultaneous_members(emu, "mxbank", 20)) {
    EXPECT_EQ(emu.get(g).status(), ConnectionStatus::kConnected);
  }
}

TEST(RefreshStorm, LoginsBeyondTheLimitFailLikeAnInstitutionError) {
  EmulatorOptions options;
  options.storm = StormPolicy{3, Seconds{60}};
  TestEmulator emu(options);
  const auto guids = simultaneous_members(emu, "mxbank", 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(emu.get(guids[i]).status(),
              i < 3 ? ConnectionStatus::kConnected : ConnectionStatus::kFailed)
        << i;
  }
  EXPECT_EQ(emu.get(guids[4]).most_recent_job_detail_text,
            "The institution is receiving too many connections; please try again later.");
  // Once the window has passed, the refused member connects.
  emu.advance(60);
  EXPECT_EQ(aggregate(emu, Connected{emu.get(guids[4]).user_guid, guids[4]}),
            ConnectionStatus::kConnected);
}

TEST(RefreshStorm, RefusalsCountTowardDegraded) {
  EmulatorOptions options;
  options.storm = StormPolicy{1, Seconds{3600}};
  TestEmulator emu(options);
  connect(emu, "mxbank");  // takes the hour's only login
  const Connected c = connect(emu, "mxbank", "password");
  EXPECT_EQ(emu.get(c.member).status(), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kFailed);
  EXPECT_EQ(aggregate(emu, c), ConnectionStatus::kDegraded);
}

TEST(RefreshStorm, APerInstitutionSettingReplacesTheGlobalOne) {
  EmulatorOptions options;
  options.storm = StormPolicy{1, Seconds{60}};
  options.storm_by_institution["mxbank"] = StormPolicy{};  // exempt
  options.storm_by_institution["summit_ridge_bank"] = StormPolicy{2, Seconds{60}};
  TestEmulator emu(options);
  for (const auto& g : simultaneous_members(emu, "mxbank", 4)) {
    EXPECT_EQ(emu.get(g).status(), ConnectionStatus::kConnected);
  }
  const auto summit = simultaneous_members(emu, "summit_ridge_bank", 3);
  EXPECT_EQ(emu.get(summit[1]).status(), ConnectionStatus::kConnected);
  EXPECT_EQ(emu.get(summit[2]).status(), ConnectionStatus::kFailed);
  const auto pioneer = simultaneous_members(emu, "pioneer_fcu", 2);  // the global policy
  EXPECT_EQ(emu.get(pioneer[0]).status(), ConnectionStatus::kConnected);
  EXPECT_EQ(emu.get(pioneer[1]).status(), ConnectionStatus::kFailed);
}

TEST(RefreshStorm, CountsEveryJobStartedAtTheInstitutionNotOtherInstitutions) {
  EmulatorOptions options;
  options.storm = StormPolicy{2, Seconds{600}};
  TestEmulator emu(options);
  const Connected a = connect(emu, "mxbank");
  const Connected other = connect(emu, "summit_ridge_bank");  // its own count
  ASSERT_EQ(emu.get(other.member).status(), ConnectionStatus::kConnected);
  ASSERT_TRUE(testing::job(emu, a, JobType::kIdentify).ok());  // premium jobs log in too
  emu.settle(a.member);
  EXPECT_EQ(emu.get(a.member).status(), ConnectionStatus::kConnected);
  EXPECT_EQ(aggregate(emu, a), ConnectionStatus::kFailed);
}

}  // namespace
}  // namespace mxemu::domain
