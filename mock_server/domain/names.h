#pragma once

#include <algorithm>
#include <string_view>

namespace mxemu::domain {

// A name a user gives (a category, a tag, a rule's match) is blank when it is empty or spaces
// only: MX refuses those as missing.
inline bool is_blank(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return c == ' '; });
}

}  // namespace mxemu::domain
