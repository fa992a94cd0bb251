#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/codec.h"
#include "api/fault_rules.h"
#include "api/http_types.h"
#include "api/journal.h"
#include "api/version.h"
#include "api/webhook_outbox.h"
#include "api/world_config.h"
#include "domain/emulator.h"
#include "domain/pagination.h"

namespace mxemu::api {

class Tenants;
class World;

// Mutable service-level state beside the emulator (faults, rate-limit window, journal). Guarded by
// the emulator's mutex like everything else, except the journal (journal_mutex).
struct ServiceState {
  WorldConfig config;
  // How clients reach this server ("http://127.0.0.1:8089"); prefixes widget and OAuth URLs.
  std::string base_url = "http://127.0.0.1";
  FaultRules faults;  // HTTP fault rules (/_emulator/faults)
  // What the tenant was asked and answered (/_emulator/journal). Guarded by journal_mutex alone,
  // so that recording an answer never waits for the tenant's other requests. Lock order: the
  // tenant's mutex, then journal_mutex; never the tenant's while holding journal_mutex.
  std::mutex journal_mutex;
  Journal journal;
  RateLimiter rate_limiter;  // the windows of config.limits
  WebhookOutbox webhooks;    // subscriptions and deliveries (/_emulator/webhooks)
};

// Everything a route handler may use. Handlers are free functions in routes_*.cpp.
struct RouteContext {
  const Request& request;
  const std::vector<std::string>& params;  // path captures, in pattern order
  ApiVersion version;
  domain::Emulator& emulator;
  ServiceState& state;
  const nlohmann::json& body;  // parsed JSON body; null when there is none
  Tenants* tenants = nullptr;  // for the control routes that manage tenants; may be null
  World* world = nullptr;      // the tenant serving this request (control routes: its clock)

  domain::IdentifierMode mode() const {
    return version == ApiVersion::kV20250224 ? domain::IdentifierMode::kGuidOrId
                                             : domain::IdentifierMode::kGuidOnly;
  }
  const std::string& base_url() const { return state.base_url; }
  // A JSON response in the version's media type (json_response).
  Response json(int status, const nlohmann::json& value) const;
};

// `value` dumped as the body of a response of this status and content type, with the member or
// user it is about noted (Response::subject) when it is one object under "member" or "user".
// Every JSON answer a route makes is built here.
Response json_response(int status, std::string content_type, const nlohmann::json& value);
// 204 with no body and no content type: MX's answer to a delete.
Response no_content();

using RouteHandler = Response (*)(RouteContext&);

// --- request parameter helpers (params.cpp)

// MX pagination: page defaults to 1; records_per_page defaults to 25, is clamped up to 10, and
// silently becomes 25 above `max_per_page` (100 for institutions, 1000 elsewhere).
domain::PageRequest page_request(const Request& request, int max_per_page);

// Optional string/bool fields of a JSON object; a present value of the wrong type is an error.
domain::Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                           std::string_view key);
domain::Result<std::optional<bool>> optional_bool(const nlohmann::json& object,
                                                  std::string_view key);
// The object under `key` (e.g. "user" in {"user":{…}}), or a 400 naming what is missing.
domain::Result<const nlohmann::json*> required_object(const nlohmann::json& body,
                                                      std::string_view key);

// [{"guid":…,"value":…}, …]: credentials on create/update, answers on resume.
domain::Result<std::vector<domain::CredentialValue>> credential_values(const nlohmann::json& array,
                                                                       std::string_view what);

// Builds a list response {"<key>":[…], "pagination":{…}} from a page whose items are already
// JSON: they are moved into the answer, not copied.
inline Response list_response(const RouteContext& ctx, std::string_view key,
                              domain::Page<nlohmann::json>&& page) {
  nlohmann::json out;
  out[std::string(key)] = nlohmann::json(std::move(page.items));
  out["pagination"] =
      pagination_json(page.total_entries, page.current_page, page.per_page, page.total_pages);
  return ctx.json(200, out);
}

// The same from a page of records, each rendered by `render`.
template <class T, class Render>
Response list_response(const RouteContext& ctx, std::string_view key, const domain::Page<T>& page,
                       Render render) {
  domain::Page<nlohmann::json> rendered{
      {}, page.total_entries, page.current_page, page.per_page, page.total_pages};
  rendered.items.reserve(page.items.size());
  for (const auto& item : page.items) rendered.items.push_back(render(item));
  return list_response(ctx, key, std::move(rendered));
}

}  // namespace mxemu::api
