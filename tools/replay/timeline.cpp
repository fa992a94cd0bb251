#include "timeline.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "domain/timestamps.h"

namespace mxemu::replay {

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// A stable colour per status: green for CONNECTED, red-ish for failures, amber for actionable.
std::string colour(const std::string& status) {
  static const std::map<std::string, std::string> known = {
      {"CONNECTED", "#7ac77a"},  {"CREATED", "#c8d8f0"},     {"UPDATED", "#c8d8f0"},
      {"RESUMED", "#c8d8f0"},    {"RECONNECTED", "#a8d8a8"}, {"DELAYED", "#e0e0a0"},
      {"FAILED", "#f0a0a0"},     {"DEGRADED", "#e07070"},    {"DISCONNECTED", "#c04040"},
      {"CHALLENGED", "#f5c26b"}, {"DENIED", "#f5a05b"},      {"REJECTED", "#f5b07b"},
      {"EXPIRED", "#e8b090"},    {"LOCKED", "#e09050"},      {"IMPEDED", "#e0a070"},
      {"IMPAIRED", "#e0a070"},   {"PREVENTED", "#d08060"},   {"PENDING", "#d0d0f0"},
      {"DISABLED", "#b0b0b0"},   {"CLOSED", "#909090"},      {"DISCONTINUED", "#808080"},
      {"IMPORTED", "#c8d8f0"}};
  auto it = known.find(status);
  return it == known.end() ? "#dddddd" : it->second;
}

std::string jump_label(long long seconds) {
  std::ostringstream o;
  o << "+";
  if (seconds >= 86400) o << seconds / 86400 << "d";
  if (seconds % 86400 >= 3600) o << (seconds % 86400) / 3600 << "h";
  if (seconds < 86400 && seconds % 3600 >= 60) o << (seconds % 3600) / 60 << "m";
  if (seconds < 3600 && seconds % 60 != 0) o << seconds % 60 << "s";
  return o.str();
}

}  // namespace

std::string render_svg(const Trace& trace) {
  std::set<std::string> instants;
  for (const auto& m : trace.marks) instants.insert(m.at);
  std::map<std::string, int> column;
  for (const auto& t : instants) column.emplace(t, static_cast<int>(column.size()));
  const int col_w = 28;
  const int left = 170;
  const int top = 60;
  const int lane_h = 44;
  const int lanes = static_cast<int>(trace.lanes.size()) + 1;  // + the requests lane
  const int width = left + col_w * std::max<int>(1, static_cast<int>(column.size())) + 40;
  const int height = top + lane_h * lanes + 30;
  const auto x = [&](const std::string& at) { return left + col_w * column[at]; };
  const auto lane_y = [&](const std::string& guid) {
    auto it = std::find(trace.lanes.begin(), trace.lanes.end(), guid);
    return top + lane_h * (1 + static_cast<int>(it - trace.lanes.begin()));
  };
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
    << "<title>" << xml_escape(trace.name) << "</title>\n"
    << "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">" << xml_escape(trace.name)
    << "</text>\n<text x=\"8\" y=\"" << top + 16 << "\">requests</text>\n";
  for (std::size_t i = 0; i < trace.lanes.size(); ++i) {
    const std::string name = i < trace.lane_names.size() && !trace.lane_names[i].empty()
                                 ? trace.lane_names[i]
                                 : trace.lanes[i];
    s << "<text x=\"8\" y=\"" << lane_y(trace.lanes[i]) + 16 << "\">" << xml_escape(name)
      << "</text>\n";
  }
  // Clock jumps: a dashed line where emulated time moved by a minute or more between columns.
  std::string prev;
  for (const auto& t : instants) {
    if (!prev.empty()) {
      const auto a = domain::parse_iso8601(prev);
      const auto b = domain::parse_iso8601(t);
      if (a && b) {
        const long long d = std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
        if (d >= 60) {
          s << "<line x1=\"" << x(t) - 2 << "\" y1=\"" << top - 14 << "\" x2=\"" << x(t) - 2
            << "\" y2=\"" << height - 20 << "\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n"
            << "<text x=\"" << x(t) << "\" y=\"" << top - 16 << "\" fill=\"#555\">" << jump_label(d)
            << "</text>\n";
        }
      }
    }
    prev = t;
  }
  // Statuses: a bar from each observed change to the next one (or the end).
  for (const auto& lane : trace.lanes) {
    std::vector<const Mark*> changes;
    for (const auto& m : trace.marks) {
      if (m.kind == Mark::Kind::kStatus && m.lane == lane) changes.push_back(&m);
    }
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const int x0 = x(changes[i]->at);
      const int x1 = i + 1 < changes.size() ? x(changes[i + 1]->at) : width - 40;
      s << "<rect x=\"" << x0 << "\" y=\"" << lane_y(lane) << "\" width=\"" << std::max(2, x1 - x0)
        << "\" height=\"22\" fill=\"" << colour(changes[i]->label) << "\"><title>"
        << xml_escape(changes[i]->label + " at " + changes[i]->at) << "</title></rect>\n"
        << "<text x=\"" << x0 + 2 << "\" y=\"" << lane_y(lane) + 15 << "\">"
        << xml_escape(changes[i]->label) << "</text>\n";
    }
  }
  for (const auto& m : trace.marks) {
    if (m.kind == Mark::Kind::kRequest) {
      s << "<rect x=\"" << x(m.at) + 4 << "\" y=\"" << top + 4 << "\" width=\"6\" height=\"16\" "
        << "fill=\"#5b8bd0\"><title>" << xml_escape(m.at + "  " + m.label) << "</title></rect>\n";
    } else if (m.kind == Mark::Kind::kWebhook && !m.lane.empty()) {
      s << "<circle cx=\"" << x(m.at) + 7 << "\" cy=\"" << lane_y(m.lane) + 32
        << "\" r=\"5\" fill=\"#8a4fd0\"><title>" << xml_escape(m.at + "  webhook " + m.label)
        << "</title></circle>\n";
    }
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace mxemu::replay
