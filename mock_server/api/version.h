#pragma once

#include <optional>
#include <string_view>

#include "api/http_types.h"

namespace mxemu::api {

// The two MX Platform API versions the emulator speaks.
enum class ApiVersion {
  kV20111101,  // Accept: application/vnd.mx.api.v1+json
  kV20250224,  // Accept-Version: v20250224
};

std::string_view to_string(ApiVersion v);  // "v20111101" / "v20250224"

// Picks the version a request asks for (mx-behavior.md §8):
//  - Accept-Version: v20111101 | v20250224 selects it; any other value → nullopt (406).
//  - otherwise Accept naming application/vnd.mx.api.v1+json (or +pdf) → v20111101; another
//    vnd.mx.api version → nullopt (406);
//  - otherwise (no Accept, */*, application/json) → v20111101, as MX serves "the current
//    version unless a different version is specified" — or nullopt when `strict`.
std::optional<ApiVersion> negotiate_version(const Request& request, bool strict);

// The response media type MX declares for a version.
std::string_view json_content_type(ApiVersion v);

}  // namespace mxemu::api
