// Widget callbacks, URL side: webview navigation events and OAuth redirects.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "callback_internal.h"
#include "invalid_input.h"
#include "mxclient/callback.h"
#include "url_scheme.h"

namespace mxclient {
namespace callback_internal {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query-component decoding: %XX and '+' as a space (form encoding). A '%' not followed by two
// hex digits is kept as it is, the way browsers treat it.
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

Result<Url> parse_url(std::string_view text) {
  const auto colon = text.find("://");
  if (colon == std::string_view::npos) {
    return internal::invalid_input(R"(not a URL (no "scheme://"): ")" +
                                   std::string(text.substr(0, 80)) + "\"");
  }
  Url url;
  if (!internal::valid_scheme(text.substr(0, colon))) {
    return internal::invalid_input("URL scheme \"" + std::string(text.substr(0, colon)) +
                                   "\" is not valid");
  }
  url.scheme = std::string(text.substr(0, colon));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view rest = text.substr(colon + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  url.host = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) url.path = std::string(rest.substr(slash));
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::iscntrl(c) != 0; })) {
    return internal::invalid_input("URL contains control characters");
  }
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      url.query.emplace_back(
          percent_decode(pair.substr(0, eq)),
          eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return url;
}

const std::string* query_value(const Url& url, std::string_view key) {
  for (const auto& [name, value] : url.query) {
    if (name == key) return &value;
  }
  // "…?status=success&amp;member_guid=MBR-…" from an HTML page: RNSDK oauth.ts accepts it too.
  for (const auto& [name, value] : url.query) {
    if (name.size() == key.size() + 4 && name.rfind("amp;", 0) == 0 && name.substr(4) == key) {
      return &value;
    }
  }
  return nullptr;
}

}  // namespace callback_internal

Result<WidgetCallback> parse_webview_url(std::string_view url) {
  namespace ci = callback_internal;
  auto parts = ci::parse_url(url);
  if (!parts) return parts.error();
  if (parts->host.empty()) return internal::invalid_input("webview URL has no event (empty host)");
  // PMD buildPayloadFromUrl: host = namespace, path = event; host only: mx/<host>.
  std::string event = "mx/" + parts->host;
  if (!parts->path.empty() && parts->path != "/") {
    std::string_view path = parts->path;
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    event += std::string(path);
  }
  nlohmann::json metadata = nlohmann::json::object();
  if (const std::string* raw = ci::query_value(*parts, "metadata"); raw != nullptr) {
    auto parsed = ci::parse_object(*raw, event + ": metadata");
    if (!parsed) return parsed.error();
    metadata = std::move(*parsed);
  }
  return ci::from_event(std::move(event), metadata);
}

Result<WidgetCallback> parse_oauth_redirect(std::string_view url) {
  namespace ci = callback_internal;
  auto parts = ci::parse_url(url);
  if (!parts) return parts.error();
  const std::string* status = ci::query_value(*parts, "status");
  if (status == nullptr)
    return internal::invalid_input("OAuth redirect without a \"status\" parameter");
  WidgetCallback out;
  out.event = "oauth_complete";
  if (*status == "success") {
    out.kind = CallbackKind::kOAuthSuccess;
  } else if (*status == "error") {
    out.kind = CallbackKind::kOAuthError;
  } else {
    return internal::invalid_input("OAuth redirect status \"" + status->substr(0, 40) +
                                   "\" is neither success nor error");
  }
  const std::string* member = ci::query_value(*parts, "member_guid");
  if (member != nullptr && !member->empty()) {
    if (auto bad = ci::check_guid("OAuth redirect member_guid", *member, "MBR-")) return *bad;
    out.member_guid = *member;
  } else if (out.kind == CallbackKind::kOAuthSuccess) {
    return internal::invalid_input("OAuth redirect status=success without a member_guid");
  }
  for (const char* key : {"error_reason", "reason", "error"}) {
    if (const std::string* reason = ci::query_value(*parts, key); reason != nullptr) {
      out.error_reason = *reason;
      break;
    }
  }
  return out;
}

}  // namespace mxclient
