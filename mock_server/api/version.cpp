#include "api/version.h"

namespace mxemu::api {

std::string_view to_string(ApiVersion v) {
  return v == ApiVersion::kV20111101 ? "v20111101" : "v20250224";
}

std::optional<ApiVersion> negotiate_version(const Request& request, bool strict) {
  if (request.has_header("Accept-Version")) {
    const std::string v = request.header("Accept-Version");
    if (v == "v20111101") return ApiVersion::kV20111101;
    if (v == "v20250224") return ApiVersion::kV20250224;
    return std::nullopt;
  }
  const std::string accept = request.header("Accept");
  if (accept.find("application/vnd.mx.api.v1+") != std::string::npos) {
    return ApiVersion::kV20111101;
  }
  if (accept.find("application/vnd.mx.api.") != std::string::npos) return std::nullopt;
  if (strict) return std::nullopt;
  return ApiVersion::kV20111101;
}

std::string_view json_content_type(ApiVersion v) {
  return v == ApiVersion::kV20111101 ? "application/vnd.mx.api.v1+json; charset=utf-8"
                                     : "application/json; charset=utf-8";
}

}  // namespace mxemu::api
