// Internal to mxclient: the kInvalidInput error that the widget callback parsers
// (callback.cpp) and ConnectFlow (connect.cpp) return.
#pragma once

#include <string>
#include <utility>

#include "mxclient/result.h"

namespace mxclient::internal {

inline Error invalid_input(std::string message) {
  return make_error(ErrorKind::kInvalidInput, std::move(message));
}

}  // namespace mxclient::internal
