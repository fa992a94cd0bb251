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
  // The institution's look, emulated: a centred card with two buttons.
  static constexpr std::string_view kStyle =
      "<style>body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
      "background:#f3f5f9;color:#1f2633;margin:0;padding:40px 16px}"
      "main{max-width:420px;margin:0 auto;background:#fff;border-radius:12px;padding:28px;"
      "box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{font-size:22px;margin:0 0 12px}"
      "a{display:inline-block;padding:10px 22px;border-radius:8px;text-decoration:none;"
      "font-weight:600;margin:12px 8px 0 0;border:1px solid #c9d0dc;color:#2c64ef}"
      "a#approve{background:#2c64ef;color:#fff;border-color:#2c64ef}</style>";
  r.body =
      "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>" +
      html_escape(title) + "</title>" + std::string(kStyle) + "</head><body><main><h1>" +
      html_escape(title) + "</h1>" + body + "</main></body></html>";
  return r;
}

struct WidgetOptions {
  domain::WidgetSession request;  // token, user and time are the emulator's to set
};

domain::Result<WidgetOptions> widget_options(const nlohmann::json& w, bool require_type) {
  WidgetOptions o;
  domain::WidgetSession& r = o.request;
  auto type = optional_string(w, "widget_type");
  if (!type) return type.error();
  if (require_type && !*type) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "widget_url.widget_type is required.");
  }
  r.widget_type = type->value_or("connect_widget");
  auto member = optional_string(w, "current_member_guid");
  if (!member) return member.error();
  r.current_member_guid = *member;
  // v20250224 names it; v20111101 is given the same leniency as its other unknown options.
  auto microdeposit = optional_string(w, "current_microdeposit_guid");
  if (!microdeposit) return microdeposit.error();
  r.current_microdeposit_guid = *microdeposit;
  auto update = optional_bool(w, "update_credentials");
  if (!update) return update.error();
  r.update_credentials = update->value_or(false);
  auto mode = optional_string(w, "mode");
  if (!mode) return mode.error();
  if (*mode && **mode != "aggregation" && **mode != "verification") {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "mode must be aggregation or verification.");
  }
  r.mode = mode->value_or("aggregation");
  auto code = optional_string(w, "current_institution_code");
  if (!code) return code.error();
  auto guid = optional_string(w, "current_institution_guid");
  if (!guid) return guid.error();
  r.current_institution = *code ? *code : *guid;
  auto disable_search = optional_bool(w, "disable_institution_search");
  if (!disable_search) return disable_search.error();
  r.disable_institution_search = disable_search->value_or(false);
  if (r.disable_institution_search && !r.current_member_guid && !r.current_institution) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "disable_institution_search requires current_institution_code, "
                              "current_institution_guid or current_member_guid.");
  }
  auto webview = optional_bool(w, "is_mobile_webview");
  if (!webview) return webview.error();
  r.is_mobile_webview = webview->value_or(false);
  auto scheme = optional_string(w, "ui_message_webview_url_scheme");
  if (!scheme) return scheme.error();
  if (*scheme && !(*scheme)->empty()) r.webview_url_scheme = **scheme;
  auto wait = optional_bool(w, "wait_for_full_aggregation");
  if (!wait) return wait.error();
  r.wait_for_full_aggregation = wait->value_or(false);
  auto include = optional_bool(w, "include_transactions");
  if (!include) return include.error();
  // v20250224: data_request.products names what the person is asked to share.
  if (auto dr = w.find("data_request"); dr != w.end() && dr->is_object()) {
    if (auto p = dr->find("products"); p != dr->end()) {
      if (!p->is_array()) {
        return domain::make_error(domain::ErrorCode::kBadRequest,
                                  "data_request.products must be an array of strings.");
      }
      for (const auto& item : *p) {
        if (!item.is_string()) {
          return domain::make_error(domain::ErrorCode::kBadRequest,
                                    "data_request.products must be an array of strings.");
        }
        r.products.push_back(item.get<std::string>());
      }
    }
  }
  return o;
}

domain::Result<domain::WidgetSession> issue(RouteContext& ctx, const WidgetOptions& o) {
  return ctx.emulator.issue_widget(ctx.params[0], ctx.mode(), o.request);
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

// The institution's OAuth page: it asks the person to approve or deny (outcome absent), then
// completes the member's OAuth with the answer (outcome=approve|deny) and sends the person back.
Response oauth_page(RouteContext& ctx) {
  const std::string& member_guid = ctx.params[0];
  const std::string outcome = ctx.request.query_param("outcome");
  if (outcome.empty()) {
    const domain::Member* m = ctx.emulator.member_by_guid(member_guid);
    if (m == nullptr || !m->is_oauth) {
      return html(404, "OAuth window unavailable", "<p>This OAuth link is unknown.</p>");
    }
    const domain::Institution* inst = ctx.emulator.find_institution(m->institution_code);
    std::string query;
    for (const auto& [key, value] : ctx.request.query) {
      if (key == "outcome") continue;
      query += url_encode(key) + "=" + url_encode(value) + "&";
    }
    const std::string name = inst != nullptr ? inst->name : m->institution_code;
    return html(
        200, "Sign in to " + name,
        "<p>An app asks to access your accounts at <b>" + html_escape(name) +
            "</b> (emulated OAuth page).</p><p><a id=\"approve\" class=\"button\" href=\"?" +
            html_escape(query) + "outcome=approve\">Approve</a> <a id=\"deny\" href=\"?" +
            html_escape(query) + "outcome=deny\">Deny</a></p>");
  }
  if (outcome != "approve" && outcome != "deny") {
    return html(400, "OAuth window", "<p>outcome must be approve or deny.</p>");
  }
  const bool authorized = outcome == "approve";
  auto m = ctx.emulator.complete_oauth(member_guid, ctx.request.query_param("state"), authorized);
  if (!m)
    return html(404, "OAuth window unavailable",
                "<p>" + html_escape(message_of(m.error())) + "</p>");
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
