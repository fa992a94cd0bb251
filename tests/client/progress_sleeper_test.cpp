// mxctl's ProgressSleeper: a long wait (Retry-After, a refresh spread) says it is still waiting
// at least every 10 s; short waits pass through whole; an interruption ends the wait.
#include "progress_sleeper.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "flow_test_support.h"

namespace mxctl {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ProgressSleeperTest : public ::testing::Test {
 protected:
  mxclient::flowtest::ManualTestClock clock_;
  mxclient::flowtest::ClockSleeper inner_{clock_};
  std::vector<std::pair<long long, long long>> lines_;  // {elapsed, total} in seconds
  ProgressSleeper sleeper_{inner_, [this](milliseconds elapsed, milliseconds total) {
                             lines_.emplace_back(elapsed.count() / 1000, total.count() / 1000);
                           }};
};

TEST_F(ProgressSleeperTest, ALongWaitReportsEveryTenSecondsAndLastsItsWholeLength) {
  const auto before = clock_.now();
  sleeper_.wait(seconds(35));
  EXPECT_EQ(clock_.now() - before, seconds(35));
  EXPECT_EQ(inner_.waits,
            (std::vector<milliseconds>{seconds(10), seconds(10), seconds(10), seconds(5)}));
  EXPECT_EQ(lines_, (std::vector<std::pair<long long, long long>>{{10, 35}, {20, 35}, {30, 35}}));
}

TEST_F(ProgressSleeperTest, ShortWaitsPassThroughWhole) {
  sleeper_.wait(seconds(3));
  sleeper_.wait(seconds(10));
  EXPECT_EQ(inner_.waits, (std::vector<milliseconds>{seconds(3), seconds(10)}));
  EXPECT_TRUE(lines_.empty());
}

TEST_F(ProgressSleeperTest, AnInterruptionEndsTheWaitAtTheNextSlice) {
  mxclient::flowtest::InterruptedSleeper sigint(inner_, 2);
  ProgressSleeper sleeper(sigint, [this](milliseconds elapsed, milliseconds total) {
    lines_.emplace_back(elapsed.count() / 1000, total.count() / 1000);
  });
  sleeper.wait(seconds(600));
  EXPECT_EQ(sigint.waited, 2U);
  EXPECT_TRUE(sleeper.interrupted());
  EXPECT_EQ(lines_, (std::vector<std::pair<long long, long long>>{{10, 600}}));
}

}  // namespace
}  // namespace mxctl
