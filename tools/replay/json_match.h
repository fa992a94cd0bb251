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

// A golden comparison: `actual` must equal `expected` (objects with the same keys, arrays of the
// same length, scalars equal), except at the `volatile_pointers` (JSON pointers whose segments
// may be "*", any key or index), where any value is accepted as long as one is there. One line
// per difference, as subset_diff.
std::vector<std::string> golden_diff(const nlohmann::json& expected, const nlohmann::json& actual,
                                     const std::vector<std::string>& volatile_pointers);

// What --update-golden writes: `actual` with the values at the volatile pointers replaced by
// null, and every string equal to a string capture replaced by that capture's "{name}" (the
// longest name first when two captures are equal), so the file is valid for any run.
nlohmann::json golden_from_response(const nlohmann::json& actual,
                                    const std::vector<std::string>& volatile_pointers,
                                    const Captures& captures);

}  // namespace mxemu::replay
