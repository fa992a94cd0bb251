// Split transactions (createSplitTransactions, deleteSplitTransactions, and v20250224's forms
// under a member's account).
#include <string>
#include <vector>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

// One part: {"amount", "description"?, "memo"?, "category_guid"?}.
domain::Result<domain::SplitPart> split_part(const json& item) {
  if (!item.is_object()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "Each of transactions must be an object with an amount.");
  }
  domain::SplitPart p;
  const auto amount = item.find("amount");
  if (amount == item.end() || !amount->is_number()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "Each of transactions needs a numeric amount.");
  }
  p.amount = amount->get<double>();
  auto description = optional_string(item, "description");
  if (!description) return description.error();
  p.description = *description;
  auto memo = optional_string(item, "memo");
  if (!memo) return memo.error();
  p.memo = *memo;
  auto category = optional_string(item, "category_guid");
  if (!category) return category.error();
  p.category_guid = *category;
  return p;
}

// `transactions`: the specs give it one part (SplitTransactionRequest); MX's Nexus API, which the
// operation's text follows ("two or more child transactions"), a list. Both are taken.
domain::Result<std::vector<domain::SplitPart>> split_parts(const json& body) {
  const auto it = body.find("transactions");
  if (it == body.end() || !(it->is_object() || it->is_array())) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "transactions is required: an object, or a list of them, each with "
                              "an amount.");
  }
  std::vector<domain::SplitPart> parts;
  const json items = it->is_array() ? *it : json::array({*it});
  for (const json& item : items) {
    auto p = split_part(item);
    if (!p) return p.error();
    parts.push_back(*p);
  }
  return parts;
}

Response split_into_parts(RouteContext& ctx, const std::string& user,
                          const std::string& transaction) {
  auto parts = split_parts(ctx.body);
  if (!parts) return error_response(parts.error());
  auto children = ctx.emulator.split_transaction(user, transaction, ctx.mode(), *parts);
  if (!children) return error_response(children.error());
  const domain::User* u = ctx.emulator.store().find_user(children->front().user_guid);
  json out = json::array();
  for (const auto& t : *children) {
    const domain::Account* a = ctx.emulator.store().find_account(t.account_guid);
    out.push_back(transaction_json(t, ctx.version, u != nullptr ? u->id : std::nullopt,
                                   a != nullptr ? a->id : std::nullopt));
  }
  return ctx.json(200, {{"transactions", std::move(out)}});
}

// The transaction guid when it is one of the member's account's (v20250224's scoped form),
// else a 404.
domain::Result<std::string> scoped_transaction(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return m.error();
  const auto t = ctx.emulator.store().find_transaction(ctx.params[3]);
  if (!t || t->member_guid != (*m)->guid || t->account_guid != ctx.params[2]) {
    return domain::record_not_found();
  }
  return t->guid;
}

}  // namespace

Response create_split_transactions(RouteContext& ctx) {
  return split_into_parts(ctx, ctx.params[0], ctx.params[1]);
}

Response delete_split_transactions(RouteContext& ctx) {
  auto s = ctx.emulator.unsplit_transaction(ctx.params[0], ctx.params[1], ctx.mode());
  return s ? no_content() : error_response(s.error());
}

Response create_split_transactions_by_account(RouteContext& ctx) {
  auto guid = scoped_transaction(ctx);
  if (!guid) return error_response(guid.error());
  return split_into_parts(ctx, ctx.params[0], *guid);
}

Response delete_split_transactions_by_account(RouteContext& ctx) {
  auto guid = scoped_transaction(ctx);
  if (!guid) return error_response(guid.error());
  auto s = ctx.emulator.unsplit_transaction(ctx.params[0], *guid, ctx.mode());
  return s ? no_content() : error_response(s.error());
}

}  // namespace mxemu::api
