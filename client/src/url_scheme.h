// Internal to mxclient: URL schemes, for the widget's webview URLs (callback_url.cpp) and the
// app's own scheme in a platform's widget config (connect_platform.cpp).
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace mxclient::internal {

// True when `scheme` is a URL scheme as RFC 3986 spells one: a letter, then letters, digits,
// '+', '-' and '.'.
inline bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || std::isalpha(static_cast<unsigned char>(scheme.front())) == 0) {
    return false;
  }
  return std::all_of(scheme.begin(), scheme.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace mxclient::internal
