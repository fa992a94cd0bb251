// The Connect widget page a widget URL opens, the page-scoped JSON API it talks to, and the demo
// page that embeds it. The page's files live in mock_server/web/ and are embedded at build time.
//
// The page API is keyed by the widget session token and runs the MX API's own handlers with the
// session's user: a member created in the page is the member the API shows, under the same rules.
#include <string>
#include <string_view>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "api/web_assets.h"
#include "api/web_page.h"
#include "api/world.h"

namespace mxemu::api {
namespace {

void replace_once(std::string& s, std::string_view marker, std::string_view with) {
  const auto pos = s.find(marker);
  if (pos != std::string::npos) s.replace(pos, marker.size(), with);
}

// JSON safe inside a <script> element.
std::string script_json(const nlohmann::json& value) {
  std::string out;
  for (char c : value.dump()) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Response page_response(int status, std::string_view html_file, std::string_view css_file,
                       std::initializer_list<std::string_view> js_files,
                       const nlohmann::json& boot) {
  std::string body(web_asset(html_file));
  std::string scripts;
  for (std::string_view js : js_files) scripts += web_asset(js);
  replace_once(body, "/*MXEMU_CSS*/", web_asset(css_file));
  replace_once(body, "/*MXEMU_BOOT*/", "window.MXEMU_BOOT = " + script_json(boot) + ";");
  replace_once(body, "/*MXEMU_JS*/", scripts);
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

nlohmann::json status_table() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : domain::all_statuses()) {
    if (row.status == domain::ConnectionStatus::kNone) continue;
    out.push_back({{"name", row.name},
                   {"code", row.code},
                   {"needs_user", row.needs_user},
                   {"message", row.message}});
  }
  return out;
}

namespace {

// The widget page's scripts, in order: connect.js uses what the others define.
Response connect_page(int status, const nlohmann::json& boot) {
  return page_response(status, "connect.html", "connect.css",
                       {"dom.js", "connect_microdeposits.js", "connect.js"}, boot);
}

Response message_page(int status, std::string_view title, std::string_view text) {
  return connect_page(status, {{"error", {{"title", title}, {"message", text}}}});
}

// The view MX's widget opens on for current_member_guid (postMessage loaded.initial_step), or
// its microdeposit step for current_microdeposit_guid in verification mode.
std::string initial_step(const domain::WidgetSession& s, const domain::Member* m,
                         const domain::Microdeposit* md) {
  if (md != nullptr && s.mode == "verification") return "microdeposits";
  if (m == nullptr) {
    return s.current_institution && !s.current_member_guid ? "enterCreds" : "search";
  }
  using S = domain::ConnectionStatus;
  const S status = m->status();
  if (status == S::kChallenged) return "mfa";
  // MX: credentials are needed for DENIED, PREVENTED, IMPAIRED and IMPORTED (mx-behavior §11).
  if (s.update_credentials || status == S::kDenied || status == S::kPrevented ||
      status == S::kImpaired || status == S::kImported) {
    return m->is_oauth ? "oauth" : "enterCreds";
  }
  if (status == S::kPending) return "oauth";
  return info(status).needs_user ? "loginError" : "connected";
}

// An institution as the page needs it: the v20111101 fields (supports_*) plus the guid the
// postMessages carry and the v20250224 supported_products.
nlohmann::json page_institution_json(const domain::Institution& inst) {
  nlohmann::json out = institution_json(inst, ApiVersion::kV20111101);
  out["guid"] = inst.guid;
  out["supported_products"] = inst.supported_products();
  return out;
}

// The member as the page needs it: MX's member fields plus the status fields (challenges,
// is_authenticated) of GET …/status, in one read.
nlohmann::json page_member_json(RouteContext& ctx, const domain::Member& m) {
  const domain::Institution* inst = ctx.emulator.find_institution(m.institution_code);
  const domain::User* user = ctx.emulator.store().find_user(m.user_guid);
  if (inst == nullptr || user == nullptr) return member_status_json(m);
  nlohmann::json out = member_json(m, *inst, *user, ApiVersion::kV20111101, ctx.base_url());
  out.update(member_status_json(m));
  return out;
}

// The microdeposit as the page needs it: MX's fields plus, once the deposits are made, their
// amounts (`deposit_amounts`), which the emulated page shows in a note since there is no bank
// statement to read them from.
nlohmann::json page_microdeposit_json(RouteContext& ctx, const domain::Microdeposit& m) {
  nlohmann::json out = microdeposit_body(ctx, m)["micro_deposit"];
  if (domain::deposits_made(m)) {
    out["deposit_amounts"] = {m.deposit_cents_1 / 100.0, m.deposit_cents_2 / 100.0};
  }
  return out;
}

nlohmann::json boot_json(RouteContext& ctx, const domain::WidgetSession& s) {
  const domain::Member* m =
      s.current_member_guid ? ctx.emulator.member_by_guid(*s.current_member_guid) : nullptr;
  const domain::Microdeposit* md =
      s.current_microdeposit_guid
          ? ctx.emulator.store().find_microdeposit(s.user_guid, *s.current_microdeposit_guid)
          : nullptr;
  const domain::Institution* inst = nullptr;
  if (m != nullptr) {
    inst = ctx.emulator.find_institution(m->institution_code);
  } else if (s.current_institution) {
    inst = ctx.emulator.find_institution(*s.current_institution);
  }
  return {
      {"api", "/connect/" + s.token + "/api"},
      {"user_guid", s.user_guid},
      {"session_guid", "ANS-" + s.token},
      {"widget_type", s.widget_type},
      {"mode", s.mode},
      {"initial_step", initial_step(s, m, md)},
      {"current_microdeposit",
       md != nullptr ? page_microdeposit_json(ctx, *md) : nlohmann::json(nullptr)},
      {"current_member", m != nullptr ? page_member_json(ctx, *m) : nlohmann::json(nullptr)},
      {"current_institution",
       inst != nullptr ? page_institution_json(*inst) : nlohmann::json(nullptr)},
      {"update_credentials", s.update_credentials},
      {"disable_institution_search", s.disable_institution_search},
      {"is_mobile_webview", s.is_mobile_webview},
      {"ui_message_webview_url_scheme", s.webview_url_scheme},
      {"wait_for_full_aggregation", s.wait_for_full_aggregation},
      {"products", s.products},
      {"statuses", status_table()},
  };
}

// The session behind the page's API calls: the widget URL must have been opened once.
const domain::WidgetSession* session_of(RouteContext& ctx) {
  return ctx.emulator.loaded_widget(ctx.params[0]);
}

Response no_session() {
  return error_response(404, "This widget session is unknown or its page was never opened.");
}

// Runs an MX API handler for the session's user; its captures follow the token's.
Response as_user(RouteContext& ctx, RouteHandler handler, bool with_user) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  std::vector<std::string> params;
  if (with_user) params.push_back(s->user_guid);
  params.insert(params.end(), ctx.params.begin() + 1, ctx.params.end());
  RouteContext inner{ctx.request,  params,    ApiVersion::kV20111101,
                     ctx.emulator, ctx.state, ctx.body,
                     ctx.tenants,  ctx.world};
  return handler(inner);
}

}  // namespace

Response widget_page(RouteContext& ctx) {
  domain::WidgetSession s;
  switch (ctx.emulator.load_widget(ctx.params[0], &s)) {
    case domain::WidgetLoad::kUnknown:
      return message_page(404, "Widget not found", "This widget URL is unknown.");
    case domain::WidgetLoad::kUsed:
      return message_page(410, "Widget URL already used",
                          "A widget URL works once. Request a new one for each page load.");
    case domain::WidgetLoad::kExpired:
      return message_page(410, "Widget URL expired", "Widget URLs expire after ten minutes.");
    case domain::WidgetLoad::kOk:
      break;
  }
  return connect_page(200, boot_json(ctx, s));
}

Response widget_page_session(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  return control_response(200, boot_json(ctx, *s));
}

Response widget_page_institutions(RouteContext& ctx) {
  if (session_of(ctx) == nullptr) return no_session();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& inst : ctx.emulator.institutions()) {
    if (!ctx.emulator.is_discontinued(inst)) list.push_back(page_institution_json(inst));
  }
  return control_response(200, {{"institutions", std::move(list)}});
}
Response widget_page_credentials(RouteContext& ctx) {
  return as_user(ctx, list_institution_credentials, false);
}
Response widget_page_members(RouteContext& ctx) { return as_user(ctx, list_members, true); }
Response widget_page_create_member(RouteContext& ctx) { return as_user(ctx, create_member, true); }
Response widget_page_read_member(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  if (ctx.world != nullptr && ctx.world->auto_time()) {
    // Auto time: a page polling a member moves its running job one step, as an API read does.
    ctx.emulator.skip_to_job_step(s->user_guid, ctx.params[1], domain::IdentifierMode::kGuidOnly);
  }
  auto m = ctx.emulator.find_member(s->user_guid, ctx.params[1], domain::IdentifierMode::kGuidOnly);
  if (!m) return error_response(m.error());
  return control_response(200, {{"member", page_member_json(ctx, **m)}});
}
Response widget_page_update_member(RouteContext& ctx) { return as_user(ctx, update_member, true); }
Response widget_page_resume(RouteContext& ctx) { return as_user(ctx, resume_aggregation, true); }
Response widget_page_verify(RouteContext& ctx) { return as_user(ctx, verify_member, true); }
Response widget_page_oauth_window(RouteContext& ctx) {
  return as_user(ctx, request_oauth_window_uri, true);
}

// The page's microdeposits: the session's user's only; answers carry page_microdeposit_json.
namespace {

Response page_microdeposit_result(RouteContext& ctx,
                                  const domain::Result<const domain::Microdeposit*>& m) {
  if (!m) return error_response(m.error());
  return control_response(200, {{"micro_deposit", page_microdeposit_json(ctx, **m)}});
}

}  // namespace

Response widget_page_create_microdeposit(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  auto fields = microdeposit_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  return page_microdeposit_result(
      ctx,
      ctx.emulator.create_microdeposit(s->user_guid, domain::IdentifierMode::kGuidOnly, *fields));
}

Response widget_page_read_microdeposit(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  const domain::Microdeposit* m =
      ctx.emulator.store().find_microdeposit(s->user_guid, ctx.params[1]);
  if (m == nullptr) return record_not_found();
  return page_microdeposit_result(ctx, m);
}

Response widget_page_complete_microdeposit(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  auto fields = microdeposit_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  return page_microdeposit_result(
      ctx, ctx.emulator.complete_microdeposit(s->user_guid, ctx.params[1], *fields));
}

Response widget_page_verify_microdeposit(RouteContext& ctx) {
  const domain::WidgetSession* s = session_of(ctx);
  if (s == nullptr) return no_session();
  if (ctx.emulator.store().find_microdeposit(s->user_guid, ctx.params[1]) == nullptr) {
    return record_not_found();
  }
  return page_microdeposit_result(ctx, verify_with_body(ctx, ctx.params[1]));
}

Response widget_page_delete_microdeposit(RouteContext& ctx) {
  return as_user(ctx, delete_microdeposit, true);
}

Response connect_demo_page(RouteContext& ctx) {
  const std::string user = ctx.request.query_param("user");
  if (user.empty()) {
    return page_response(400, "connect_demo.html", "connect.css", {"connect_demo.js"},
                         {{"error", "Give the user: /_emulator/connect-demo?user=USR-…"}});
  }
  domain::WidgetSession request;
  request.widget_type = "connect_widget";
  if (ctx.request.has_query_param("current_member_guid")) {
    request.current_member_guid = ctx.request.query_param("current_member_guid");
  }
  if (ctx.request.has_query_param("current_institution_code")) {
    request.current_institution = ctx.request.query_param("current_institution_code");
  }
  request.update_credentials = ctx.request.query_param("update_credentials") == "true";
  if (ctx.request.query_param("mode") == "verification") request.mode = "verification";
  if (ctx.request.has_query_param("current_microdeposit_guid")) {
    request.current_microdeposit_guid = ctx.request.query_param("current_microdeposit_guid");
  }
  auto s = ctx.emulator.issue_widget(user, domain::IdentifierMode::kGuidOrId, request);
  if (!s) {
    return page_response(404, "connect_demo.html", "connect.css", {"connect_demo.js"},
                         {{"error", message_of(s.error())}});
  }
  return page_response(
      200, "connect_demo.html", "connect.css", {"connect_demo.js"},
      {{"widget_url", ctx.base_url() + "/connect/" + s->token}, {"user_guid", s->user_guid}});
}

}  // namespace mxemu::api
