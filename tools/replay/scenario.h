#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

// A scenario file, parsed and validated into plain values (scenarios/README.md is the format's
// specification). Nothing here runs anything: the executor (runner.h) does.
namespace mxemu::replay {

// One step: its kind (the key that names it: "request", "advance", ...), where it stands in the
// file ("/steps/3") and its arguments, validated against the kind's table but not yet templated
// (captures are only known while the scenario runs).
struct Step {
  std::string kind;
  std::string pointer;
  nlohmann::json args;     // the value under the kind's key
  nlohmann::json expect;   // "expect" of a request step (null when absent)
  nlohmann::json capture;  // "capture" of a request step: name -> JSON pointer (null when absent)
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string start;     // ISO 8601; the emulated instant the scenario begins at
  nlohmann::json setup;  // validated object (may be empty)
  std::vector<Step> steps;
  std::vector<Step> finally_steps;
};

// A mistake in a file: where (file and JSON pointer) and what was expected there.
struct ParseError {
  std::string file;
  std::string pointer;
  std::string expected;
  std::string message() const;
};

// Parses the text of one scenario file (comments allowed). `file` names it in errors.
std::optional<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                       ParseError& error);
// Reads and parses a file.
std::optional<Scenario> load_scenario(const std::string& path, ParseError& error);

// The step kinds the runner knows, in the order scenarios/README.md lists them.
const std::vector<std::string>& step_kinds();

}  // namespace mxemu::replay
