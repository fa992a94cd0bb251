#pragma once

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
};

// Runs one scenario in a fresh session of `target`: setup, steps until one fails, then every
// finally step (their failures are reported too).
// With `trace`, records what happened for the timeline (timeline.h).
Outcome run_scenario(const Scenario& scenario, Target& target, Trace* trace = nullptr);

// Exit codes of mxemu-replay.
enum ExitCode { kAllPassed = 0, kExpectationFailed = 1, kInvalidFile = 2, kUnreachableTarget = 3 };

// The command line: FILES|DIRS... [--list] [--filter REGEX] [--junit FILE] [--target URL]
// [--jobs N] [--timeline DIR]. Writes one line per scenario to `out`, failures' details and file
// errors to `err`; returns the exit code.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mxemu::replay
