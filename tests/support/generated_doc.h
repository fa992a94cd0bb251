#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

// Docs whose middle is generated from code (state machine, API coverage): the block sits between
// a BEGIN and an END marker line, and a test compares it with what the code renders now.
namespace mxemu::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// MXEMU_UPDATE_DOCS=1: rewrite generated blocks instead of failing.
inline bool update_docs_requested() {
  const char* flag = std::getenv("MXEMU_UPDATE_DOCS");
  return flag != nullptr && std::string_view(flag) == "1";
}

struct DocBlock {
  std::string before;     // up to and including the BEGIN marker line
  std::string generated;  // between the markers
  std::string after;      // from the END marker on
};

// Splits `text` (the contents of `path`) at the markers. Fails the test and returns false when a
// marker is missing or out of order.
inline bool split_generated_block(const std::string& path, const std::string& text,
                                  std::string_view begin_marker, std::string_view end_marker,
                                  DocBlock* out) {
  const std::size_t begin = text.find(begin_marker);
  if (begin == std::string::npos) {
    ADD_FAILURE() << path << " lacks the line " << begin_marker;
    return false;
  }
  const std::size_t body = begin + begin_marker.size();
  const std::size_t end = text.find(end_marker, body);
  if (end == std::string::npos) {
    ADD_FAILURE() << path << " lacks " << end_marker << " after the BEGIN marker";
    return false;
  }
  out->before = text.substr(0, body);
  out->generated = text.substr(body, end - body);
  out->after = text.substr(end);
  return true;
}

}  // namespace mxemu::testing
