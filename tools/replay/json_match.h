#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

// Templating and subset matching, the two JSON operations a scenario relies on.
namespace mxemu::replay {

using Captures = std::map<std::string, nlohmann::json>;

// A `{name}` that no capture defines.
struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Replaces `{name}` in every string of `value` by the capture `name`: a string that is exactly
// `{name}` becomes the captured value itself (of any JSON type); inside a longer string the
// capture is spliced in as text. Names are [A-Za-z_][A-Za-z0-9_]*; other braces stay as they are.
// Throws TemplateError for an unknown name.
nlohmann::json render(const nlohmann::json& value, const Captures& captures);
std::string render(const std::string& text, const Captures& captures);

// Whether `actual` contains `expected`: objects by the keys `expected` names (others ignored),
// arrays element by element with the same length, scalars equal. Returns one line per
// difference ("/member/connection_status: expected \"CONNECTED\", got \"FAILED\""); empty when
// it matches.
std::vector<std::string> subset_diff(const nlohmann::json& expected, const nlohmann::json& actual,
                                     const std::string& pointer = "");

}  // namespace mxemu::replay
