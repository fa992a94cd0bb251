// Members: CRUD, status, challenges and credentials.
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

std::optional<std::string> callback_payload(const Request& request) {
  if (!request.has_header("X-Callback-Payload")) return std::nullopt;
  return request.header("X-Callback-Payload");
}

// Reads the fields createMember and updateMember share. Unknown fields are ignored, as MX does.
domain::Status read_common(const nlohmann::json& m, std::optional<std::string>& id,
                           std::optional<std::string>& name, std::optional<std::string>& metadata,
                           std::optional<bool>& background_disabled, bool& skip_aggregation) {
  auto id_r = optional_string(m, "id");
  auto name_r = optional_string(m, "name");
  auto meta_r = optional_string(m, "metadata");
  auto bg_r = optional_bool(m, "background_aggregation_is_disabled");
  auto skip_r = optional_bool(m, "skip_aggregation");
  for (const auto* r : {&id_r, &name_r, &meta_r}) {
    if (!*r) return r->error();
  }
  if (!bg_r) return bg_r.error();
  if (!skip_r) return skip_r.error();
  id = *id_r;
  name = *name_r;
  metadata = *meta_r;
  background_disabled = *bg_r;
  skip_aggregation = skip_r->value_or(false);
  return domain::ok_status();
}

}  // namespace

Response member_response(RouteContext& ctx, int status, const domain::Member& m) {
  auto user = ctx.emulator.find_user(m.user_guid, domain::IdentifierMode::kGuidOnly);
  const domain::Institution* inst = ctx.emulator.find_institution(m.institution_code);
  return ctx.json(status, {{"member", member_json(m, *inst, **user, ctx.version, ctx.base_url())}});
}

Response list_members(RouteContext& ctx) {
  auto members = ctx.emulator.list_members(ctx.params[0], ctx.mode());
  if (!members) return error_response(members.error());
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  const auto page = domain::slice_page(*members, page_request(ctx.request, 1000));
  return list_response(ctx, "members", page, [&](const domain::Member* m) {
    return member_json(*m, *ctx.emulator.find_institution(m->institution_code), **user, ctx.version,
                       ctx.base_url());
  });
}

Response create_member(RouteContext& ctx) {
  auto object = required_object(ctx.body, "member");
  if (!object) return error_response(object.error());
  const nlohmann::json& m = **object;
  domain::MemberCreate req;
  std::optional<bool> background_disabled;
  if (auto s =
          read_common(m, req.id, req.name, req.metadata, background_disabled, req.skip_aggregation);
      !s) {
    return error_response(s.error());
  }
  req.background_aggregation_is_disabled = background_disabled.value_or(false);
  auto code = optional_string(m, "institution_code");
  if (!code) return error_response(code.error());
  req.institution_code = code->value_or("");
  auto is_oauth = optional_bool(m, "is_oauth");
  if (!is_oauth) return error_response(is_oauth.error());
  req.is_oauth = is_oauth->value_or(false);
  if (m.contains("credentials")) {
    auto creds = credential_values(m["credentials"], "member.credentials");
    if (!creds) return error_response(creds.error());
    req.credentials = *creds;
  }
  if (auto uc = m.find("use_cases"); uc != m.end() && uc->is_array()) {
    for (const auto& u : *uc) {
      if (u.is_string()) req.use_cases.push_back(u.get<std::string>());
    }
  }
  // MX: the OAuth options sit beside "member", not inside it.
  for (auto [key, target] :
       {std::pair{"referral_source", &req.oauth.referral_source},
        std::pair{"ui_message_webview_url_scheme", &req.oauth.ui_message_webview_url_scheme},
        std::pair{"client_redirect_url", &req.oauth.client_redirect_url}}) {
    auto v = optional_string(ctx.body, key);
    if (!v) return error_response(v.error());
    *target = *v;
  }
  auto app2app = optional_bool(ctx.body, "enable_app2app");
  if (!app2app) return error_response(app2app.error());
  req.oauth.enable_app2app = app2app->value_or(false);
  req.callback_payload = callback_payload(ctx.request);

  auto created = ctx.emulator.create_member(ctx.params[0], ctx.mode(), req);
  if (!created) return error_response(created.error());
  // 202 when a job started (MX is processing), 200 otherwise; the spec declares both.
  return member_response(ctx, (*created)->is_being_aggregated() ? 202 : 200, **created);
}

Response read_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return member_response(ctx, 200, **m);
}

Response update_member(RouteContext& ctx) {
  auto object = required_object(ctx.body, "member");
  if (!object) return error_response(object.error());
  const nlohmann::json& m = **object;
  domain::MemberUpdate up;
  if (auto s = read_common(m, up.id, up.name, up.metadata, up.background_aggregation_is_disabled,
                           up.skip_aggregation);
      !s) {
    return error_response(s.error());
  }
  if (m.contains("credentials")) {
    auto creds = credential_values(m["credentials"], "member.credentials");
    if (!creds) return error_response(creds.error());
    up.credentials = *creds;
  }
  up.callback_payload = callback_payload(ctx.request);
  auto updated = ctx.emulator.update_member(ctx.params[0], ctx.params[1], ctx.mode(), up);
  if (!updated) return error_response(updated.error());
  return member_response(ctx, 200, **updated);
}

Response delete_member(RouteContext& ctx) {
  auto s = ctx.emulator.delete_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!s) return error_response(s.error());
  return no_content();
}

Response read_member_status(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return ctx.json(200, {{"member", member_status_json(**m)}});
}

Response list_member_challenges(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  if ((*m)->status() != domain::ConnectionStatus::kChallenged) {
    Response r;
    r.status = 204;  // MX: no content unless the member is CHALLENGED
    return r;
  }
  const auto page = domain::slice_page((*m)->challenges, page_request(ctx.request, 1000));
  return list_response(ctx, "challenges", page,
                       [](const domain::Challenge& c) { return challenge_json(c); });
}

Response list_member_credentials(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  const domain::Institution* inst = ctx.emulator.find_institution((*m)->institution_code);
  std::vector<domain::CredentialField> fields;
  for (const auto& f : inst->credentials) {
    for (const auto& v : (*m)->credentials) {
      if (v.guid == f.guid) fields.push_back(f);
    }
  }
  const auto page = domain::slice_page(fields, page_request(ctx.request, 1000));
  return list_response(ctx, "credentials", page,
                       [](const domain::CredentialField& f) { return credential_json(f); });
}

}  // namespace mxemu::api
