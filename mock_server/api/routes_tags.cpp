// Tags and taggings (listTransactionsByTag is in routes_transactions.cpp).
#include <optional>
#include <string>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

// The string under `object`.`key` of the body, or nullopt when absent; a 400 when the object is
// missing or the value is not a string.
domain::Result<std::optional<std::string>> body_string(const json& body, std::string_view object,
                                                       std::string_view key) {
  auto inner = required_object(body, object);
  if (!inner) return inner.error();
  return optional_string(**inner, key);
}

}  // namespace

Response list_tags(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto& tags = ctx.emulator.store().tags_of((*user)->guid);
  return list_response(ctx, "tags", domain::slice_page(tags, page_request(ctx.request, 1000)),
                       [](const domain::Tag& t) { return tag_json(t); });
}

Response create_tag(RouteContext& ctx) {
  auto name = body_string(ctx.body, "tag", "name");
  if (!name) return error_response(name.error());
  auto tag = ctx.emulator.create_tag(ctx.params[0], ctx.mode(), *name);
  if (!tag) return error_response(tag.error());
  return ctx.json(200, {{"tag", tag_json(**tag)}});
}

Response read_tag(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Tag* tag = ctx.emulator.store().find_tag((*user)->guid, ctx.params[1]);
  return tag == nullptr ? record_not_found() : ctx.json(200, {{"tag", tag_json(*tag)}});
}

Response update_tag(RouteContext& ctx) {
  auto name = body_string(ctx.body, "tag", "name");
  if (!name) return error_response(name.error());
  auto tag = ctx.emulator.update_tag(ctx.params[0], ctx.params[1], ctx.mode(), *name);
  if (!tag) return error_response(tag.error());
  return ctx.json(200, {{"tag", tag_json(**tag)}});
}

Response delete_tag(RouteContext& ctx) {
  auto status = ctx.emulator.delete_tag(ctx.params[0], ctx.params[1], ctx.mode());
  return status ? no_content() : error_response(status.error());
}

Response list_taggings(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto& taggings = ctx.emulator.store().taggings_of((*user)->guid);
  return list_response(ctx, "taggings",
                       domain::slice_page(taggings, page_request(ctx.request, 1000)),
                       [](const domain::Tagging& t) { return tagging_json(t); });
}

Response create_tagging(RouteContext& ctx) {
  auto tag = body_string(ctx.body, "tagging", "tag_guid");
  if (!tag) return error_response(tag.error());
  auto transaction = body_string(ctx.body, "tagging", "transaction_guid");
  if (!transaction) return error_response(transaction.error());
  auto tagging = ctx.emulator.create_tagging(ctx.params[0], ctx.mode(), *tag, *transaction);
  if (!tagging) return error_response(tagging.error());
  return ctx.json(200, {{"tagging", tagging_json(**tagging)}});
}

Response read_tagging(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Tagging* tagging = ctx.emulator.store().find_tagging((*user)->guid, ctx.params[1]);
  return tagging == nullptr ? record_not_found()
                            : ctx.json(200, {{"tagging", tagging_json(*tagging)}});
}

Response update_tagging(RouteContext& ctx) {
  auto tag = body_string(ctx.body, "tagging", "tag_guid");
  if (!tag) return error_response(tag.error());
  auto tagging = ctx.emulator.update_tagging(ctx.params[0], ctx.params[1], ctx.mode(), *tag);
  if (!tagging) return error_response(tagging.error());
  return ctx.json(200, {{"tagging", tagging_json(**tagging)}});
}

Response delete_tagging(RouteContext& ctx) {
  auto status = ctx.emulator.delete_tagging(ctx.params[0], ctx.params[1], ctx.mode());
  return status ? no_content() : error_response(status.error());
}

}  // namespace mxemu::api
