#include "api/tenants_file.h"

#include <nlohmann/json.hpp>

namespace mxemu::api {
namespace {

domain::Error invalid(const std::string& where, const std::string& what) {
  return domain::make_error(domain::ErrorCode::kBadRequest, where + ": " + what);
}

}  // namespace

domain::Result<std::vector<TenantCredentials>> parse_tenants_file(std::string_view text) {
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false,
                                         /*ignore_comments=*/true);
  if (doc.is_discarded()) return invalid("/", "not valid JSON");
  if (!doc.is_object() || !doc.contains("tenants") || !doc["tenants"].is_array()) {
    return invalid("/tenants", "expected an array of {\"client_id\", \"api_key\"} objects");
  }
  std::vector<TenantCredentials> out;
  const auto& list = doc["tenants"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "/tenants/" + std::to_string(i);
    const auto& t = list[i];
    if (!t.is_object()) return invalid(where, "expected an object");
    for (const char* key : {"client_id", "api_key"}) {
      if (!t.contains(key) || !t[key].is_string() || t[key].get<std::string>().empty()) {
        return invalid(where + "/" + key, "expected a non-empty string");
      }
    }
    out.push_back({t["client_id"].get<std::string>(), t["api_key"].get<std::string>()});
  }
  return out;
}

}  // namespace mxemu::api
