#include "api/service.h"

#include <mutex>
#include <string_view>
#include <utility>

#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

bool is_form_or_empty(const Request& request) {
  return request.body.empty() ||
         request.header("Content-Type").find("application/x-www-form-urlencoded") !=
             std::string::npos;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16U) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8U) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16U;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

Service::Service(domain::Emulator& emulator, ServiceConfig config)
    : emulator_(emulator),
      expected_authorization_("Basic " + base64_encode(config.client_id + ":" + config.api_key)) {
  state_.config = std::move(config);
}

void Service::set_base_url(std::string base_url) {
  std::lock_guard<std::mutex> lock(emulator_.mutex());
  state_.config.base_url = std::move(base_url);
}

bool Service::authorized(const Request& request) const {
  return request.header("Authorization") == expected_authorization_;
}

std::optional<Response> Service::injected_fault(const Request& request) {
  for (auto it = state_.faults.begin(); it != state_.faults.end(); ++it) {
    if (it->method && *it->method != request.method) continue;
    if (request.path.compare(0, it->path_prefix.size(), it->path_prefix) != 0) continue;
    Response r = error_response(it->status, it->message.empty() ? "Injected fault." : it->message);
    if (it->retry_after_seconds) {
      r.headers.emplace_back("Retry-After", std::to_string(*it->retry_after_seconds));
    }
    if (--it->remaining <= 0) state_.faults.erase(it);
    return r;
  }
  return std::nullopt;
}

std::optional<Response> Service::rate_limited() {
  const int limit = state_.config.rate_limit_per_minute;
  if (limit <= 0) return std::nullopt;
  const domain::TimePoint now = emulator_.now();
  auto& window = state_.recent_requests;
  while (!window.empty() && now - window.front() >= domain::Seconds{60}) window.pop_front();
  if (window.size() >= static_cast<std::size_t>(limit)) {
    const auto wait =
        std::chrono::duration_cast<domain::Seconds>(window.front() + domain::Seconds{60} - now);
    Response r = error_response(
        429, "Too many requests. The limit is " + std::to_string(limit) + " requests per minute.");
    r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, wait.count())));
    return r;
  }
  window.push_back(now);
  return std::nullopt;
}

Response Service::handle(const Request& request) {
  std::vector<std::string> captures;
  const Route* route = nullptr;
  for (const Route& r : route_table()) {
    if (r.method == request.method && r.pattern.match(request.path, captures)) {
      route = &r;
      break;
    }
  }
  const bool is_mx = route == nullptr || route->scope == RouteScope::kMx;

  std::optional<ApiVersion> version = ApiVersion::kV20111101;
  if (is_mx) {
    if (!authorized(request))
      return error_response(401, "Invalid MX-API-Key or MX-Client-ID provided.");
    version = negotiate_version(request, state_.config.strict_version);
    if (!version) {
      return error_response(406,
                            "The request didn't specify a valid API version. Send Accept: "
                            "application/vnd.mx.api.v1+json or Accept-Version: v20250224.");
    }
  }
  if (route == nullptr ||
      (route->versions == Versions::kV1Only && version == ApiVersion::kV20250224) ||
      (route->versions == Versions::kV2Only && version == ApiVersion::kV20111101)) {
    return error_response(404, "Invalid route");
  }

  nlohmann::json body;
  if (!is_form_or_empty(request)) {
    body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return error_response(400, "The request body is not valid JSON.");
  }

  std::lock_guard<std::mutex> lock(emulator_.mutex());
  emulator_.catch_up();
  if (is_mx) {
    if (auto fault = injected_fault(request)) return *fault;
    if (auto limited = rate_limited()) return *limited;
  }
  RouteContext ctx{request, captures, *version, emulator_, state_, body};
  try {
    return route->handler(ctx);
  } catch (const nlohmann::json::exception& e) {
    // A body field of an unexpected type that a handler read without checking.
    return error_response(400, std::string("Invalid request body: ") + e.what());
  }
}

}  // namespace mxemu::api
