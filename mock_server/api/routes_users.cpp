// Users: GET/POST /users, GET/PUT/DELETE /users/{user}.
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

domain::Result<domain::UserFields> user_fields(const nlohmann::json& body) {
  auto user = required_object(body, "user");
  if (!user) return user.error();
  domain::UserFields f;
  auto id = optional_string(**user, "id");
  auto email = optional_string(**user, "email");
  auto metadata = optional_string(**user, "metadata");
  auto disabled = optional_bool(**user, "is_disabled");
  for (const auto* r : {&id, &email, &metadata}) {
    if (!*r) return r->error();
  }
  if (!disabled) return disabled.error();
  f.id = *id;
  f.email = *email;
  f.metadata = *metadata;
  f.is_disabled = *disabled;
  return f;
}

Response user_response(RouteContext& ctx, const domain::User& user) {
  return ctx.json(200, {{"user", user_json(user, ctx.version)}});
}

}  // namespace

Response list_users(RouteContext& ctx) {
  domain::UserFilter filter;
  if (ctx.request.has_query_param("id")) filter.id = ctx.request.query_param("id");
  if (ctx.request.has_query_param("email")) filter.email = ctx.request.query_param("email");
  if (ctx.request.has_query_param("is_disabled")) {
    filter.is_disabled = ctx.request.query_param("is_disabled") == "true";
  }
  const auto users = ctx.emulator.list_users(filter);
  const auto page = domain::slice_page(users, page_request(ctx.request, 1000));
  return list_response(ctx, "users", page,
                       [&](const domain::User* u) { return user_json(*u, ctx.version); });
}

Response create_user(RouteContext& ctx) {
  auto fields = user_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto user = ctx.emulator.create_user(*fields);
  if (!user) return error_response(user.error());
  return user_response(ctx, **user);
}

Response read_user(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return user_response(ctx, **user);
}

Response update_user(RouteContext& ctx) {
  auto fields = user_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto user = ctx.emulator.update_user(ctx.params[0], ctx.mode(), *fields);
  if (!user) return error_response(user.error());
  return user_response(ctx, **user);
}

Response delete_user(RouteContext& ctx) {
  auto status = ctx.emulator.delete_user(ctx.params[0], ctx.mode());
  if (!status) return error_response(status.error());
  return no_content();
}

}  // namespace mxemu::api
