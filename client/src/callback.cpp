// Widget callbacks, JSON side: postMessage payloads and the metadata every shape carries.
#include "mxclient/callback.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "callback_internal.h"
#include "invalid_input.h"

namespace mxclient {
namespace callback_internal {
namespace {

using Json = nlohmann::json;

// metadata[key] as a string: nullopt when absent or null; an error when of another type.
Result<std::optional<std::string>> string_field(const Json& metadata, const char* key,
                                                const std::string& event) {
  auto it = metadata.find(key);
  if (it == metadata.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return internal::invalid_input(event + ": metadata." + key + " must be a string, got " +
                                   it->type_name());
  }
  return std::optional<std::string>(it->get<std::string>());
}

// The events whose metadata must name the member (PMD: member_guid is not optional there).
bool requires_member(CallbackKind kind) {
  return kind == CallbackKind::kMemberConnected || kind == CallbackKind::kMemberStatusUpdate ||
         kind == CallbackKind::kOAuthSuccess || kind == CallbackKind::kOAuthRequested ||
         kind == CallbackKind::kMemberDeleted;
}

CallbackKind kind_of(std::string_view event) {
  if (event == "mx/connect/memberConnected") return CallbackKind::kMemberConnected;
  if (event == "mx/connect/memberStatusUpdate") return CallbackKind::kMemberStatusUpdate;
  if (event == "mx/connect/oauthError") return CallbackKind::kOAuthError;
  if (event == "mx/connect/oauthRequested") return CallbackKind::kOAuthRequested;
  if (event == "mx/connect/memberDeleted") return CallbackKind::kMemberDeleted;
  // The SDKs post these into the widget after an app-side OAuth redirect (RNSDK oauth.ts).
  if (event == "oauthComplete/success") return CallbackKind::kOAuthSuccess;
  if (event == "oauthComplete/error") return CallbackKind::kOAuthError;
  return CallbackKind::kOther;
}

// memberStatusUpdate carries MX's integer (PMD: number); a numeric string is tolerated.
Result<int> status_id(const Json& metadata, const std::string& event) {
  auto it = metadata.find("connection_status");
  if (it == metadata.end() || it->is_null()) {
    return internal::invalid_input(event + " without metadata.connection_status");
  }
  if (it->is_number_integer()) {
    const auto value = it->get<long long>();
    if (value < 0 || value > 1000) {
      return internal::invalid_input(event + ": metadata.connection_status " +
                                     std::to_string(value) + " is not an MX status id");
    }
    return static_cast<int>(value);
  }
  if (it->is_string()) {
    const std::string text = it->get<std::string>();
    if (!text.empty() && text.size() <= 3 &&
        std::all_of(text.begin(), text.end(),
                    [](unsigned char c) { return std::isdigit(c) != 0; })) {
      return std::stoi(text);
    }
  }
  return internal::invalid_input(event +
                                 ": metadata.connection_status must be MX's integer status id");
}

}  // namespace

std::optional<Error> check_guid(std::string_view what, std::string_view guid,
                                std::string_view prefix) {
  const bool shaped =
      guid.size() > prefix.size() && guid.size() <= 64 && guid.substr(0, prefix.size()) == prefix &&
      std::all_of(guid.begin(), guid.end(),
                  [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; });
  if (shaped) return std::nullopt;
  return internal::invalid_input(std::string(what) + " \"" + std::string(guid.substr(0, 64)) +
                                 "\" is not an MX guid (" + std::string(prefix) + "…)");
}

Result<Json> parse_object(std::string_view text, std::string_view what) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return internal::invalid_input(std::string(what) + " is not valid JSON");
  }
  if (!parsed.is_object()) {
    return internal::invalid_input(std::string(what) + " must be a JSON object, got " +
                                   parsed.type_name());
  }
  return parsed;
}

Result<WidgetCallback> from_event(std::string event, const Json& metadata) {
  WidgetCallback out;
  out.kind = kind_of(event);
  out.event = std::move(event);
  const std::string& name = out.event;

  auto member = string_field(metadata, "member_guid", name);
  if (!member) return member.error();
  auto user = string_field(metadata, "user_guid", name);
  if (!user) return user.error();
  auto session = string_field(metadata, "session_guid", name);
  if (!session) return session.error();
  if (member->has_value()) {
    if (auto bad = check_guid(name + ": metadata.member_guid", **member, "MBR-")) return *bad;
    out.member_guid = **member;
  } else if (requires_member(out.kind)) {
    return internal::invalid_input(name + " without metadata.member_guid");
  }
  if (user->has_value()) {
    if (auto bad = check_guid(name + ": metadata.user_guid", **user, "USR-")) return *bad;
    out.user_guid = *user;
  }
  out.session_guid = *session;

  if (out.kind == CallbackKind::kMemberStatusUpdate) {
    auto id = status_id(metadata, name);
    if (!id) return id.error();
    out.connection_status_id = *id;
  }
  if (out.kind == CallbackKind::kOAuthRequested) {
    auto url = string_field(metadata, "url", name);
    if (!url) return url.error();
    out.url = *url;
  }
  if (out.kind == CallbackKind::kOAuthError) {
    for (const char* key : {"error_reason", "reason"}) {
      auto reason = string_field(metadata, key, name);
      if (!reason) return reason.error();
      if (reason->has_value()) {
        out.error_reason = *reason;
        break;
      }
    }
  }
  return out;
}

}  // namespace callback_internal

Result<WidgetCallback> parse_post_message(std::string_view json) {
  namespace ci = callback_internal;
  auto body = ci::parse_object(json, "postMessage payload");
  if (!body) return body.error();
  auto mx = body->find("mx");
  if (mx != body->end() && !(mx->is_boolean() && mx->get<bool>())) {
    return internal::invalid_input(
        "postMessage payload has \"mx\" but not true: not an MX widget message");
  }
  auto type = body->find("type");
  if (type == body->end() || !type->is_string() || type->get<std::string>().empty()) {
    return internal::invalid_input("postMessage payload has no \"type\" string");
  }
  std::string event = type->get<std::string>();

  nlohmann::json metadata = nlohmann::json::object();
  if (auto it = body->find("metadata"); it != body->end() && !it->is_null()) {
    if (it->is_string()) {  // some bridges forward metadata still encoded, as in the URL form
      auto parsed = ci::parse_object(it->get<std::string>(), event + ": metadata");
      if (!parsed) return parsed.error();
      metadata = std::move(*parsed);
    } else if (it->is_object()) {
      metadata = *it;
    } else {
      return internal::invalid_input(event + ": metadata must be an object, got " +
                                     it->type_name());
    }
  }

  // mx/client/oauthComplete carries the OAuth redirect itself (metadata.url).
  if (event == "mx/client/oauthComplete") {
    auto it = metadata.find("url");
    if (it == metadata.end() || !it->is_string()) {
      return internal::invalid_input(event + " without a metadata.url string");
    }
    auto redirect = parse_oauth_redirect(it->get<std::string>());
    if (!redirect) return redirect.error();
    if (auto user = metadata.find("user_guid"); user != metadata.end() && user->is_string()) {
      if (auto bad =
              ci::check_guid(event + ": metadata.user_guid", user->get<std::string>(), "USR-")) {
        return *bad;
      }
      redirect->user_guid = user->get<std::string>();
    }
    return redirect;
  }
  // Accept the namespaced event without MX's "mx/" prefix; the SDKs' oauthComplete/* stay as is.
  if (event.rfind("mx/", 0) != 0 && event.rfind("oauthComplete/", 0) != 0) event = "mx/" + event;
  return ci::from_event(std::move(event), metadata);
}

Result<WidgetCallback> parse_widget_callback(std::string_view text) {
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && is_space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && is_space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return internal::invalid_input("empty widget callback");
  if (text.front() == '{') return parse_post_message(text);
  auto url = callback_internal::parse_url(text);
  if (!url) return url.error();
  const bool oauth = url->host == "oauth_complete" ||
                     (callback_internal::query_value(*url, "status") != nullptr &&
                      callback_internal::query_value(*url, "metadata") == nullptr);
  return oauth ? parse_oauth_redirect(text) : parse_webview_url(text);
}

std::string_view to_string(CallbackKind kind) {
  switch (kind) {
    case CallbackKind::kMemberConnected:
      return "member_connected";
    case CallbackKind::kMemberStatusUpdate:
      return "member_status_update";
    case CallbackKind::kOAuthSuccess:
      return "oauth_success";
    case CallbackKind::kOAuthError:
      return "oauth_error";
    case CallbackKind::kOAuthRequested:
      return "oauth_requested";
    case CallbackKind::kMemberDeleted:
      return "member_deleted";
    case CallbackKind::kOther:
      return "other";
  }
  return "other";
}

}  // namespace mxclient
