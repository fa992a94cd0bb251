#include "api/path_pattern.h"

namespace mxemu::api {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

PathPattern::PathPattern(std::string_view pattern) : text_(pattern) {
  for (std::string_view part : split(pattern)) {
    Segment s;
    if (!part.empty() && part.front() == '{') {
      s.capture = true;
      s.name = std::string(part.substr(1, part.find('}') - 1));
      s.literal = std::string(part.substr(part.find('}') + 1));
    } else {
      s.literal = std::string(part);
    }
    segments_.push_back(std::move(s));
  }
}

bool PathPattern::match(std::string_view path, std::vector<std::string>& captures) const {
  captures.clear();
  // The path's segments are taken one at a time, as split() would give them, so that a route
  // whose first segment differs costs one comparison, not a split of the whole path.
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t start = !path.empty() && path.front() == '/' ? 1 : 0;
  for (const Segment& s : segments_) {
    if (start > path.size()) return false;  // the path has fewer segments
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == kNone ? path.size() : slash;
    const std::string_view part = path.substr(start, end - start);
    start = slash == kNone ? path.size() + 1 : slash + 1;
    if (!s.capture) {
      if (part != s.literal) return false;
      continue;
    }
    if (part.size() <= s.literal.size()) return false;
    const std::string_view value = part.substr(0, part.size() - s.literal.size());
    if (part.substr(value.size()) != s.literal) return false;
    captures.emplace_back(value);
  }
  return start == path.size() + 1;  // and no more
}

int PathPattern::capture_index(std::string_view name) const {
  int index = 0;
  for (const Segment& s : segments_) {
    if (!s.capture) continue;
    if (s.name == name) return index;
    ++index;
  }
  return -1;
}

}  // namespace mxemu::api
