#pragma once

#include <string>
#include <vector>

// What a scenario did over emulated time, drawn as an SVG (`mxemu-replay --timeline DIR`): one
// lane per member with the statuses the runner saw, the webhooks MX would have sent, the
// requests on their own lane, and the clock's jumps.
namespace mxemu::replay {

struct Mark {
  enum class Kind { kRequest, kStatus, kWebhook, kClock };
  Kind kind = Kind::kRequest;
  std::string at;     // ISO 8601 emulated time
  std::string lane;   // member guid; empty for requests and clock marks
  std::string label;  // "POST /users/…/aggregate → 202", "DEGRADED", "CONNECTION_STATUS …"
};

struct Trace {
  std::string name;
  std::vector<std::string> lanes;       // member guids, in the order they appeared
  std::vector<std::string> lane_names;  // their capture names where known
  std::vector<Mark> marks;
};

// The picture. Time is drawn on an ordinal axis (each distinct instant one column), so seconds
// of a job and two weeks of waiting both stay readable; the jumps are labelled.
std::string render_svg(const Trace& trace);

// Text made safe inside XML attributes and elements (&, <, >, "): the SVG and the JUnit report.
std::string xml_escape(const std::string& s);

}  // namespace mxemu::replay
