// Rewards: the loyalty balances fetch_rewards (routes_jobs.cpp) gathers, per member, and the
// credit card products accounts name.
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {

Response list_rewards(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  const auto& rewards = ctx.emulator.store().rewards_of_member((*m)->guid);
  return list_response(ctx, "rewards", domain::slice_page(rewards, page_request(ctx.request, 1000)),
                       [&ctx](const domain::Reward& r) { return reward_json(r, ctx.version); });
}

Response read_reward(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  for (const auto& r : ctx.emulator.store().rewards_of_member((*m)->guid)) {
    if (r.guid == ctx.params[2]) return ctx.json(200, {{"reward", reward_json(r, ctx.version)}});
  }
  return record_not_found();
}

Response read_credit_card_product(RouteContext& ctx) {
  const auto product = domain::find_credit_card_product(ctx.emulator.institutions(), ctx.params[0]);
  if (!product) return record_not_found();
  return ctx.json(200, {{"credit_card_product", credit_card_product_json(*product)}});
}

}  // namespace mxemu::api
