// MxApi core: wire helpers, the request path (headers, retries, errors), page walking, users.
#include "mxclient/mx_api.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "mx_api_internal.h"

namespace mxclient {
namespace internal {

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[at]));
  };
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  if (i < bytes.size()) {
    unsigned n = byte(i) << 16U;
    const bool two = i + 1 < bytes.size();
    if (two) n |= byte(i + 1) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += two ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4U];
      out += kHex[c & 15U];
    }
  }
  return out;
}

std::string segment(std::string_view value) { return "/" + url_encode(value); }

std::string dump(const Json& body) {
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describe(std::string_view method, std::string_view target) {
  return std::string(method) + " " + std::string(target.substr(0, target.find('?')));
}

std::optional<Error> require(std::string_view what, const std::string& value) {
  if (!value.empty()) return std::nullopt;
  return make_error(ErrorKind::kInvalidInput, std::string(what) + " must not be empty");
}

std::optional<Error> require_date(std::string_view what, const std::optional<std::string>& date) {
  if (!date) return std::nullopt;
  const std::string& d = *date;
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  for (std::size_t i = 0; ok && i < d.size(); ++i) {
    if (i != 4 && i != 7) ok = std::isdigit(static_cast<unsigned char>(d[i])) != 0;
  }
  if (ok) return std::nullopt;
  return make_error(ErrorKind::kInvalidInput,
                    std::string(what) + " must be YYYY-MM-DD, not \"" + d + "\"");
}

}  // namespace internal

using internal::Json;

MxApi::MxApi(std::shared_ptr<Transport> transport, MxApiConfig config, Sleeper& sleeper)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      sleeper_(sleeper),
      authorization_("Basic " + internal::base64_encode(config_.client_id + ":" + config_.api_key)),
      rng_seq_(0) {}

Result<HttpResponse> MxApi::call(const char* method, const std::string& target,
                                 const std::optional<std::string>& body,
                                 const std::vector<std::pair<std::string, std::string>>& extra,
                                 int* attempts) {
  if (!transport_) return make_error(ErrorKind::kInvalidInput, "MxApi has no transport");
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.headers.emplace_back("Authorization", authorization_);
  if (config_.version == ApiVersion::kV20250224) {
    request.headers.emplace_back("Accept", "application/json");
    request.headers.emplace_back("Accept-Version", "v20250224");
  } else {
    request.headers.emplace_back("Accept", "application/vnd.mx.api.v1+json");
  }
  if (body) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = *body;
  }
  for (const auto& header : extra) request.headers.push_back(header);

  // A seed per call from one shared counter: concurrent calls never share generator state,
  // and a single-threaded sequence of calls is reproducible from config.jitter_seed.
  std::uint64_t mix = config_.jitter_seed +
                      0x9E3779B97F4A7C15ULL * rng_seq_.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t rng_state = next_random(mix);
  int retries = 0;
  const RetryObserver observer = [&](int attempt, const Result<HttpResponse>& outcome,
                                     std::chrono::milliseconds delay) {
    ++retries;
    if (config_.on_retry) config_.on_retry(attempt, outcome, delay);
  };
  auto outcome =
      send_with_retry(*transport_, request, config_.retry, sleeper_, rng_state, observer);
  if (attempts != nullptr) *attempts = retries + 1;
  if (!outcome) {
    Error e = outcome.error();
    e.message = internal::describe(method, target) + ": " + e.message;
    return e;
  }
  return outcome;
}

Result<HttpResponse> MxApi::call_ok(const char* method, const std::string& target,
                                    const std::optional<std::string>& body,
                                    const std::vector<std::pair<std::string, std::string>>& extra) {
  auto response = call(method, target, body, extra);
  if (!response) return response;
  if (response->status < 200 || response->status > 299) {
    return internal::http_error(*response, internal::describe(method, target));
  }
  return response;
}

Status MxApi::walk_pages(const std::string& target, const PageSink& sink,
                         const ProgressCallback& progress) {
  const int max_pages = std::max(config_.max_pages, 1);
  const int per_page = std::clamp(config_.records_per_page, 10, 1000);
  const char joiner = target.find('?') == std::string::npos ? '?' : '&';
  ListProgress state;
  for (int page = 1;; ++page) {
    if (page > max_pages) {
      return make_error(ErrorKind::kInvalidReply,
                        internal::describe("GET", target) + ": stopped after " +
                            std::to_string(max_pages) + " pages (the page limit): the server " +
                            "still reports total_pages " + std::to_string(state.total_pages) +
                            "; nothing from this list was kept");
    }
    const std::string paged = target + joiner + "page=" + std::to_string(page) +
                              "&records_per_page=" + std::to_string(per_page);
    auto response = call_ok("GET", paged);
    if (!response) return response.error();
    if (response->status == 204) break;  // MX's "no content": an empty list
    auto info = sink(*response);
    if (!info) {
      Error e = info.error();
      e.message = internal::describe("GET", target) + ": " + e.message;
      return e;
    }
    state.pages_fetched = page;
    state.total_pages = info->total_pages;
    state.total_entries = info->total_entries;
    state.records_so_far = info->records_kept;
    if (progress) progress(state);
    // total_pages is re-read on every page, so records added mid-walk are still reached.
    if (info->records_on_page == 0 || page >= info->total_pages) break;
  }
  return Done{};
}

// ---- users

Result<MxUser> MxApi::create_user(const std::string& partner_id,
                                  const std::optional<std::string>& email) {
  if (auto e = internal::require("create_user: partner_id", partner_id)) return *e;
  Json user{{"id", partner_id}};
  if (email) user["email"] = *email;
  auto response = call("POST", "/users", internal::dump(Json{{"user", user}}));
  if (!response) return response.error();
  if (response->status == 409) {
    // The id exists: most likely our own earlier attempt, whose reply was lost.
    const Error conflict = internal::http_error(*response, "POST /users");
    auto found = find_user_by_partner_id(partner_id);
    if (!found) return found.error();
    if (!*found) {
      return make_error(
          ErrorKind::kConflict,
          conflict.message + " (and GET /users?id= finds no user with id \"" + partner_id + "\")",
          409);
    }
    return std::move(**found);
  }
  if (response->status < 200 || response->status > 299) {
    return internal::http_error(*response, "POST /users");
  }
  return internal::parse_reply<MxUser>(*response, "user", internal::parse_user, "POST /users");
}

Result<std::optional<MxUser>> MxApi::find_user_by_partner_id(const std::string& partner_id) {
  if (auto e = internal::require("find_user_by_partner_id: partner_id", partner_id)) return *e;
  std::vector<MxUser> users;
  auto walked = walk_pages("/users?id=" + internal::url_encode(partner_id),
                           collect_into(users, "users", internal::parse_user), nullptr);
  if (!walked) return walked.error();
  // MX filters on id; match exactly anyway, in case a server ignores the filter.
  for (MxUser& user : users) {
    if (user.id == partner_id) return std::optional<MxUser>(std::move(user));
  }
  return std::optional<MxUser>();
}

Result<MxUser> MxApi::read_user(const std::string& user_guid) {
  if (auto e = internal::require("read_user: user_guid", user_guid)) return *e;
  const std::string target = "/users" + internal::segment(user_guid);
  auto response = call_ok("GET", target);
  if (!response) return response.error();
  return internal::parse_reply<MxUser>(*response, "user", internal::parse_user,
                                       internal::describe("GET", target));
}

Status MxApi::delete_user(const std::string& user_guid) {
  if (auto e = internal::require("delete_user: user_guid", user_guid)) return *e;
  const std::string target = "/users" + internal::segment(user_guid);
  int attempts = 0;
  auto response = call("DELETE", target, std::nullopt, {}, &attempts);
  if (!response) return response.error();
  // A retried DELETE that finds nothing: an earlier attempt deleted it and its reply was lost.
  if (response->status == 404 && attempts > 1) return Done{};
  if (response->status < 200 || response->status > 299) {
    return internal::http_error(*response, internal::describe("DELETE", target));
  }
  return Done{};
}

}  // namespace mxclient
