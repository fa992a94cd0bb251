// mxctl watch over a long wait: a progress line at least every 10 s (not with --quiet), and
// SIGINT ends the wait at once with exit 130 instead of polling on without waiting.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

class MxctlWatchTest : public MxctlTest {
 protected:
  void SetUp() override {
    member_ = enrol_and_connect("u-watch", "password");
    force_status(member_, "DELAYED");  // MX is slow: the policy keeps polling
  }

  // The elapsed seconds of each progress line on stderr.
  static std::vector<long> beats(const std::string& err) {
    std::vector<long> out;
    const std::regex line(R"(MBR-[^:]+: DELAYED, (\d+) s elapsed, \d+ polls)");
    for (std::sregex_iterator it(err.begin(), err.end(), line), end; it != end; ++it) {
      out.push_back(std::stol((*it)[1]));
    }
    return out;
  }

  std::string member_;
};

TEST_F(MxctlWatchTest, ALongWaitPrintsProgressAtLeastEveryTenSeconds) {
  CliRun watched = cli({"watch", member_, "--watch-timeout", "65"});
  EXPECT_EQ(watched.code, mxctl::kExitTimedOut) << watched.err;
  const std::vector<long> seen = beats(watched.err);
  ASSERT_GE(seen.size(), 6U) << watched.err;
  long previous = 0;
  for (long elapsed : seen) {
    EXPECT_GT(elapsed, previous);
    EXPECT_LE(elapsed - previous, 10) << watched.err;
    previous = elapsed;
  }
  EXPECT_GE(65 - previous, 0);

  CliRun quiet = cli({"watch", member_, "--watch-timeout", "65", "--quiet"});
  EXPECT_EQ(quiet.code, mxctl::kExitTimedOut);
  EXPECT_TRUE(beats(quiet.err).empty()) << quiet.err;
}

TEST_F(MxctlWatchTest, SigintEndsTheWaitAtOnceWithExit130) {
  const auto before = transport_->total_calls();
  mxclient::flowtest::InterruptedSleeper sigint(sleeper_, 2);  // during the second wait
  CliRun watched = cli({"watch", member_, "--json"}, "", &sigint);
  EXPECT_EQ(watched.code, mxctl::kExitInterrupted) << watched.out << watched.err;
  EXPECT_EQ(watched.json()["end"], "interrupted");
  EXPECT_EQ(watched.json()["polls"], 2);
  EXPECT_EQ(watched.json()["connection_status"], "DELAYED");
  // Two status reads, and nothing after the signal: no polls fired back to back.
  EXPECT_EQ(transport_->total_calls() - before, 2);
  EXPECT_EQ(sigint.waited, 2U);

  // The human form says what happened.
  mxclient::flowtest::InterruptedSleeper again(sleeper_, 1);
  CliRun human = cli({"watch", member_}, "", &again);
  EXPECT_EQ(human.code, mxctl::kExitInterrupted);
  EXPECT_NE(human.out.find("(interrupted, 1 polls"), std::string::npos) << human.out;
}

}  // namespace
}  // namespace mxemu::testing
