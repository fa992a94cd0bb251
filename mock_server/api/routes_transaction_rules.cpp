// Transaction rules: list, create, read, update, delete (their effects: emulator_rules.cpp).
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

domain::Result<domain::RuleFields> rule_fields(const json& body) {
  auto rule = required_object(body, "transaction_rule");
  if (!rule) return rule.error();
  domain::RuleFields f;
  auto match = optional_string(**rule, "match_description");
  auto category = optional_string(**rule, "category_guid");
  auto description = optional_string(**rule, "description");
  for (const auto* r : {&match, &category, &description}) {
    if (!*r) return r->error();
  }
  f.match_description = *match;
  f.category_guid = *category;
  f.description = *description;
  return f;
}

Response rule_response(RouteContext& ctx, const domain::TransactionRule& rule) {
  return ctx.json(200, {{"transaction_rule", transaction_rule_json(rule)}});
}

}  // namespace

Response list_transaction_rules(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto& rules = ctx.emulator.store().rules_of((*user)->guid);
  return list_response(ctx, "transaction_rules",
                       domain::slice_page(rules, page_request(ctx.request, 1000)),
                       [](const domain::TransactionRule& r) { return transaction_rule_json(r); });
}

Response create_transaction_rule(RouteContext& ctx) {
  auto fields = rule_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto rule = ctx.emulator.create_rule(ctx.params[0], ctx.mode(), *fields);
  if (!rule) return error_response(rule.error());
  return rule_response(ctx, **rule);
}

Response read_transaction_rule(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto* rule = ctx.emulator.store().find_rule((*user)->guid, ctx.params[1]);
  return rule == nullptr ? record_not_found() : rule_response(ctx, *rule);
}

Response update_transaction_rule(RouteContext& ctx) {
  auto fields = rule_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto rule = ctx.emulator.update_rule(ctx.params[0], ctx.params[1], ctx.mode(), *fields);
  if (!rule) return error_response(rule.error());
  return rule_response(ctx, **rule);
}

Response delete_transaction_rule(RouteContext& ctx) {
  auto status = ctx.emulator.delete_rule(ctx.params[0], ctx.params[1], ctx.mode());
  return status ? no_content() : error_response(status.error());
}

}  // namespace mxemu::api
