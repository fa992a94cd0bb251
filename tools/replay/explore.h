#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "runner.h"
#include "scenario.h"
#include "target.h"

// --explore: random walks over what can happen to a member, each step followed by the
// invariants (invariants.h and ClientSteps::invariant_violations, through the
// `expect_invariants` step). A walk is a scenario: it runs through run_scenario like any file,
// and a walk that breaks an invariant is shrunk (delta debugging over its steps) and written
// out as a scenario file that the runner replays.
namespace mxemu::replay {

struct ExploreOptions {
  std::uint64_t seed = 1;
  int walks = 0;
  int steps = 0;  // random steps per walk (each followed by an invariant check)
  std::string out_dir = "explore-failures";  // where failing walks are written
  // Invariant violations already reported (a bug with an owner): a violation whose text
  // contains one of these is counted and let pass (RunOptions::tolerated), so the walk goes on
  // and still checks everything else. CI names the known bugs this way; a new one still fails
  // it. Run without the flag to get a known bug's walk shrunk and written.
  std::vector<std::string> known_failures;
};

// Walk `walk` of `seed`: the client enrols a user and connects a member by API at a
// walk-chosen institution, then `steps` random steps, each followed by expect_invariants.
// A pure function of its arguments: the same seed gives the same walks.
Scenario make_walk(std::uint64_t seed, int walk, int steps);

// The scenario file for `scenario` (format 1), as the explorer writes it.
std::string scenario_text(const Scenario& scenario);

// Removes steps from a failing walk while it still breaks an invariant (ddmin over the random
// steps; the two opening client steps stay). `still_fails` runs a candidate.
Scenario shrink_walk(const Scenario& failing,
                     const std::function<bool(const Scenario&)>& still_fails);

// Runs the walks, shrinks and writes each failing one, and prints a summary (walks, steps
// explored, walks cut short by a step that could not run, failures with their files). Exit
// code: 0 when no invariant broke (known failures aside), 1 otherwise.
int run_explore(const ExploreOptions& options, Target& target, const Stopwatch& stopwatch,
                std::ostream& out);

}  // namespace mxemu::replay
