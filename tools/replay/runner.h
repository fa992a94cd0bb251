#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "scenario.h"
#include "target.h"
#include "timeline.h"

// Runs scenarios against a target and reports them; the CLI (`mxemu-replay`) is run_cli.
namespace mxemu::replay {

struct Outcome {
  enum class Kind { kPassed, kFailed, kUnreachable };
  Kind kind = Kind::kPassed;
  std::string name;
  std::string file;
  long long milliseconds = 0;
  std::string failure;  // the step, its pointer, the expectation, the diff, a reproducer
  int tolerated = 0;    // invariant violations RunOptions::tolerated let pass
};

// The monotonic time the runner measures each scenario's milliseconds with. Only the tool's
// main passes the real steady clock; tests pass a fake one (no real clock in the library).
using Stopwatch = std::function<std::chrono::steady_clock::time_point()>;

struct RunOptions {
  // Rewrite each request step's golden file from the response instead of comparing
  // (--update-golden, or MXEMU_UPDATE_GOLDEN=1 in the environment).
  bool update_golden = false;
  // expect_invariants lets a violation pass (and counts it) when its text contains one of
  // these: the explorer's known failures (explore.h), so a walk goes on past a reported bug.
  std::vector<std::string> tolerated;
};

// Runs one scenario in a fresh session of `target`: setup, steps until one fails, then every
// finally step (their failures are reported too).
// With `trace`, records what happened for the timeline (timeline.h).
Outcome run_scenario(const Scenario& scenario, Target& target, const Stopwatch& stopwatch,
                     Trace* trace = nullptr, const RunOptions& options = {});

// Exit codes of mxemu-replay.
enum ExitCode { kAllPassed = 0, kExpectationFailed = 1, kInvalidFile = 2, kUnreachableTarget = 3 };

// The command line: FILES|DIRS... [--list] [--filter REGEX] [--junit FILE] [--target URL]
// [--jobs N] [--timeline DIR] [--update-golden], or --explore --seed N --walks K --steps L
// [--out DIR] (explore.h). Writes one line per scenario to `out`, failures' details and file
// errors to `err`; returns the exit code. `update_golden_env` is MXEMU_UPDATE_GOLDEN's value
// (main reads the environment).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const Stopwatch& stopwatch, const std::string& update_golden_env = "");

}  // namespace mxemu::replay
