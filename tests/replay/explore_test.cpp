// The explorer: deterministic walks, shrinking, and a failing walk written out as a scenario
// that the runner replays.
#include "explore.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "invariants.h"
#include "runner_fixture.h"

namespace mxemu::replay {
namespace {

TEST(Explore, TheSameSeedGivesTheSameWalks) {
  EXPECT_EQ(scenario_text(make_walk(42, 3, 40)), scenario_text(make_walk(42, 3, 40)));
  EXPECT_NE(scenario_text(make_walk(42, 3, 40)), scenario_text(make_walk(43, 3, 40)));
  EXPECT_NE(scenario_text(make_walk(42, 3, 40)), scenario_text(make_walk(42, 4, 40)));
  const Scenario w = make_walk(7, 0, 25);
  ASSERT_EQ(w.steps.size(), 3u + 2u * 25u);
  EXPECT_EQ(w.steps[0].kind, "client_enrol");
  EXPECT_EQ(w.steps[1].kind, "client_connect_credentials");
  for (std::size_t i = 2; i < w.steps.size(); i += 2)
    EXPECT_EQ(w.steps[i].kind, "expect_invariants");
}

TEST(Explore, ShrinkingKeepsOnlyTheStepsTheFailureNeeds) {
  const Scenario w = make_walk(5, 1, 60);
  // A synthetic failure: it needs two particular random steps, wherever they end up.
  const std::string a = w.steps[3 + 2 * 11].args.dump();
  const std::string b = w.steps[3 + 2 * 47].args.dump();
  const auto needs_both = [&](const Scenario& c) {
    bool has_a = false;
    bool has_b = false;
    for (std::size_t i = 3; i < c.steps.size(); i += 2) {
      has_a = has_a || (c.steps[i].args.dump() == a && c.steps[i].kind == w.steps[25].kind);
      has_b = has_b || (c.steps[i].args.dump() == b && c.steps[i].kind == w.steps[97].kind);
    }
    return has_a && has_b;
  };
  ASSERT_TRUE(needs_both(w));
  const Scenario small = shrink_walk(w, needs_both);
  EXPECT_TRUE(needs_both(small));
  EXPECT_LE(small.steps.size(), 3u + 2u * 3u) << scenario_text(small);
  // Pointers are renumbered: the result is a valid file.
  ParseError e;
  EXPECT_TRUE(parse_scenario(scenario_text(small), "small.json", e)) << e.message();
}

TEST(Invariants, IsBeingAggregatedMustAgreeWithTheWorldsJob) {
  const nlohmann::json running = {{"is_being_aggregated", true}};
  const nlohmann::json idle = {{"is_being_aggregated", false}};
  const auto world = [](nlohmann::json job) {
    return nlohmann::json{
        {"emulator", {{"store", {{"members", {{{"guid", "MBR-1"}, {"job", std::move(job)}}}}}}}}};
  };
  const nlohmann::json a_job = {{"guid", "JOB-1"}};
  EXPECT_TRUE(check_job_invariants("MBR-1", running, world(a_job)).empty());
  EXPECT_TRUE(check_job_invariants("MBR-1", idle, world(nullptr)).empty());
  const auto stale = check_job_invariants("MBR-1", running, world(nullptr));
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0], "is_being_aggregated is true but no job runs in the world");
  const auto hidden = check_job_invariants("MBR-1", idle, world(a_job));
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(hidden[0], "is_being_aggregated is false but a job runs in the world");
  EXPECT_EQ(check_job_invariants("MBR-2", idle, world(nullptr)).at(0),
            "the world's snapshot has no member MBR-2");
}

TEST_F(Runner, ABrokenWalkIsShrunkWrittenAndReplaysFailing) {
  const auto stopwatch_fn = stopwatch();
  auto target = make_in_process_target();
  // A walk with one step that breaks the transition table (a forced status bypasses it).
  Scenario w = make_walk(9, 2, 30);
  Step forced;
  forced.kind = "force_status";
  forced.args = {{"member", "{member}"}, {"status", "CREATED"}};
  w.steps.insert(w.steps.begin() + 3 + 2 * 20, forced);
  w.steps.insert(w.steps.begin() + 3 + 2 * 20 + 1, w.steps[2]);
  ParseError e;
  w = *parse_scenario(scenario_text(w), "w.json", e);
  const Outcome broken = run_scenario(w, *target, stopwatch_fn);
  ASSERT_EQ(broken.kind, Outcome::Kind::kFailed) << broken.failure;
  ASSERT_NE(broken.failure.find(kInvariantFailure), std::string::npos) << broken.failure;
  EXPECT_NE(broken.failure.find("is not reachable by the transition table"), std::string::npos)
      << broken.failure;
  const Scenario small = shrink_walk(w, [&](const Scenario& c) {
    const Outcome o = run_scenario(c, *target, stopwatch_fn);
    return o.failure.find(kInvariantFailure) != std::string::npos;
  });
  EXPECT_LT(small.steps.size(), w.steps.size());
  bool kept = false;
  for (const auto& s : small.steps) kept = kept || s.kind == "force_status";
  EXPECT_TRUE(kept) << scenario_text(small);
  const auto file = write("shrunk.json", scenario_text(small));
  EXPECT_EQ(run({file}), kExpectationFailed) << out_.str();
  EXPECT_NE(out_.str().find(kInvariantFailure), std::string::npos) << out_.str();
}

TEST_F(Runner, ExploreIsDeterministicAndCountsItsSteps) {
  // Seed 3's walks meet a client bug (the refresh scheduler aggregates a member whose status
  // needs its user, seen by its own GET just before): the same output, shrunk files and all,
  // every time; declared known, it is counted and the walks go on to their last step.
  const std::vector<std::string> args = {"--explore", "--seed", "3",
                                         "--walks",   "3",      "--steps",
                                         "40",        "--out",  (dir_ / "found").string()};
  const int code = run(args);
  const std::string first = out_.str();
  ticks_ = {};
  EXPECT_EQ(run(args), code);
  EXPECT_EQ(first, out_.str());
  EXPECT_NE(first.find("explored 3 walks, "), std::string::npos) << first;
  if (code == kExpectationFailed) {
    auto known = args;
    known.insert(known.end(), {"--known-failure", "the client aggregated"});
    EXPECT_EQ(run(known), kAllPassed) << out_.str();
    EXPECT_NE(out_.str().find("explored 3 walks, 120 steps (seed 3)"), std::string::npos)
        << out_.str();
    EXPECT_EQ(out_.str().find(" 0 known violations"), std::string::npos) << out_.str();
  }
  EXPECT_EQ(run({"--explore", "--seed", "3"}), kInvalidFile);
}

}  // namespace
}  // namespace mxemu::replay
