// Widget URLs, the OAuth window, and the two pages those URLs open.
#include <cctype>
#include <string_view>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
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

Response html(int status, std::string_view title, const std::string& body) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title></head><body><h1>" + html_escape(title) + "</h1>" + body + "</body></html>";
  return r;
}

// The step MX's widget opens on for a member (postMessage loaded.initial_step).
std::string initial_step(const domain::Member* m, bool update_credentials) {
  if (m == nullptr) return "search";
  if (update_credentials) return "enterCreds";
  switch (m->status()) {
    case domain::ConnectionStatus::kChallenged:
      return "mfa";
    case domain::ConnectionStatus::kConnected:
      return "connected";
    default:
      return info(m->status()).needs_user ? "loginError" : "connected";
  }
}

struct WidgetOptions {
  std::string widget_type;
  std::optional<std::string> current_member_guid;
  bool update_credentials = false;
};

domain::Result<WidgetOptions> widget_options(const nlohmann::json& w, bool require_type) {
  WidgetOptions o;
  auto type = optional_string(w, "widget_type");
  if (!type) return type.error();
  if (require_type && !*type) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "widget_url.widget_type is required.");
  }
  o.widget_type = type->value_or("connect_widget");
  auto member = optional_string(w, "current_member_guid");
  if (!member) return member.error();
  o.current_member_guid = *member;
  auto update = optional_bool(w, "update_credentials");
  if (!update) return update.error();
  o.update_credentials = update->value_or(false);
  auto mode = optional_string(w, "mode");
  if (!mode) return mode.error();
  if (*mode && **mode != "aggregation" && **mode != "verification") {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "mode must be aggregation or verification.");
  }
  auto disable_search = optional_bool(w, "disable_institution_search");
  if (!disable_search) return disable_search.error();
  if (disable_search->value_or(false) && !o.current_member_guid &&
      !w.contains("current_institution_code") && !w.contains("current_institution_guid")) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "disable_institution_search requires current_institution_code, "
                              "current_institution_guid or current_member_guid.");
  }
  for (const char* key :
       {"is_mobile_webview", "wait_for_full_aggregation", "include_transactions"}) {
    auto flag = optional_bool(w, key);
    if (!flag) return flag.error();
  }
  return o;
}

domain::Result<domain::WidgetSession> issue(RouteContext& ctx, const WidgetOptions& o) {
  return ctx.emulator.issue_widget(ctx.params[0], ctx.mode(), o.widget_type, o.current_member_guid,
                                   o.update_credentials);
}

}  // namespace

Response request_widget_url(RouteContext& ctx) {
  auto object = required_object(ctx.body, "widget_url");
  if (!object) return error_response(object.error());
  auto options = widget_options(**object, true);
  if (!options) return error_response(options.error());
  auto session = issue(ctx, *options);
  if (!session) return error_response(session.error());
  auto user = ctx.emulator.find_user(session->user_guid, domain::IdentifierMode::kGuidOnly);
  return ctx.json(
      200, {{"widget_url",
             widget_url_json(session->widget_type, ctx.base_url() + "/connect/" + session->token,
                             (*user)->id)}});
}

Response request_connect_widget_url(RouteContext& ctx) {
  const nlohmann::json config = ctx.body.is_object() && ctx.body.contains("config")
                                    ? ctx.body["config"]
                                    : nlohmann::json::object();
  if (!config.is_object()) return error_response(400, "config must be an object.");
  auto options = widget_options(config, false);
  if (!options) return error_response(options.error());
  auto session = issue(ctx, *options);
  if (!session) return error_response(session.error());
  auto user = ctx.emulator.find_user(session->user_guid, domain::IdentifierMode::kGuidOnly);
  return ctx.json(
      200, {{"user", connect_widget_json(**user, ctx.base_url() + "/connect/" + session->token)}});
}

Response request_oauth_window_uri(RouteContext& ctx) {
  domain::OAuthOptions o;
  auto opt = [&](const char* key) -> std::optional<std::string> {
    if (!ctx.request.has_query_param(key)) return std::nullopt;
    return ctx.request.query_param(key);
  };
  o.referral_source = opt("referral_source");
  o.ui_message_webview_url_scheme = opt("ui_message_webview_url_scheme");
  o.client_redirect_url = opt("client_redirect_url");
  o.enable_app2app = ctx.request.query_param("enable_app2app") == "true";
  std::optional<bool> skip;
  if (auto s = opt("skip_aggregation")) skip = *s == "true";
  auto m = ctx.emulator.oauth_window(ctx.params[0], ctx.params[1], ctx.mode(), o, skip);
  if (!m) return error_response(m.error());
  return ctx.json(200, {{"member", oauth_window_json(**m, ctx.base_url())}});
}

Response widget_page(RouteContext& ctx) {
  domain::WidgetSession s;
  switch (ctx.emulator.load_widget(ctx.params[0], &s)) {
    case domain::WidgetLoad::kUnknown:
      return html(404, "Widget not found", "<p>This widget URL is unknown.</p>");
    case domain::WidgetLoad::kUsed:
      return html(410, "Widget URL already used",
                  "<p>A widget URL works once. Request a new one for each page load.</p>");
    case domain::WidgetLoad::kExpired:
      return html(410, "Widget URL expired", "<p>Widget URLs expire after ten minutes.</p>");
    case domain::WidgetLoad::kOk:
      break;
  }
  const domain::Member* m =
      s.current_member_guid ? ctx.emulator.member_by_guid(*s.current_member_guid) : nullptr;
  std::string body = "<dl><dt>user_guid</dt><dd id=\"user_guid\">" + html_escape(s.user_guid) +
                     "</dd><dt>widget_type</dt><dd id=\"widget_type\">" +
                     html_escape(s.widget_type) +
                     "</dd><dt>initial_step</dt><dd id=\"initial_step\">" +
                     initial_step(m, s.update_credentials) + "</dd>";
  if (m != nullptr) {
    body += "<dt>current_member_guid</dt><dd id=\"current_member_guid\">" + html_escape(m->guid) +
            "</dd><dt>connection_status</dt><dd id=\"connection_status\">" +
            std::string(to_wire(m->status())) + "</dd>";
  }
  body += "</dl>";
  return html(200, "MX Connect (emulated)", body);
}

Response oauth_page(RouteContext& ctx) {
  const std::string& member_guid = ctx.params[0];
  const bool authorized = ctx.request.query_param("outcome") != "deny";
  auto m = ctx.emulator.complete_oauth(member_guid, ctx.request.query_param("state"), authorized);
  if (!m)
    return html(404, "OAuth window unavailable", "<p>" + html_escape(m.error().message) + "</p>");
  const std::string status = authorized ? "success" : "error";
  const std::string query = "status=" + status + "&member_guid=" + url_encode(member_guid);
  if (ctx.request.query_param("referral_source") == "APP") {
    std::string target = ctx.request.query_param("client_redirect_url");
    if (target.empty()) {
      const std::string scheme = ctx.request.has_query_param("ui_message_webview_url_scheme")
                                     ? ctx.request.query_param("ui_message_webview_url_scheme")
                                     : "mx";
      target = scheme + "://oauth_complete";
    }
    Response r;
    r.status = 302;
    r.headers.emplace_back("Location",
                           target + (target.find('?') == std::string::npos ? "?" : "&") + query);
    return r;
  }
  // BROWSER: MX's "OAuth complete" page posts a message to the window that opened it.
  const nlohmann::json message = {{"mx", true},
                                  {"type", "oauthComplete/" + status},
                                  {"metadata", {{"member_guid", member_guid}}}};
  return html(200, authorized ? "OAuth complete" : "OAuth denied",
              "<script>window.opener && window.opener.postMessage(" + message.dump() +
                  ", '*');</script><p id=\"status\">" + status + "</p>");
}

}  // namespace mxemu::api
