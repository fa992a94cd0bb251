#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mxemu::api {

// A route path such as "/users/{user}/members/{member}/statements/{statement}.pdf". Segments
// are literal or a single capture, optionally followed by a literal suffix (".pdf"). Matching
// is a segment walk, not a regex: routing cost stays flat as routes are added.
class PathPattern {
 public:
  explicit PathPattern(std::string_view pattern);

  // On a match, appends one value per capture to `captures` (after clearing it).
  bool match(std::string_view path, std::vector<std::string>& captures) const;
  const std::string& text() const { return text_; }
  // The position of the capture `{name}` among the captures, or -1.
  int capture_index(std::string_view name) const;

 private:
  struct Segment {
    std::string literal;  // whole segment when !capture, else the suffix after the capture
    bool capture = false;
    std::string name;  // the capture's name, without braces
  };
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace mxemu::api
