// Member jobs: aggregate, check_balance, identify, verify, extend_history, fetch_statements,
// fetch_rewards, and resume. Every accepted call answers 202 (verify and fetch_rewards: 200, as
// the specs declare them) with the member, whether a job started, was already running, or was
// throttled (MX: "Throttled aggregations will not return an error").
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

Response run_job(RouteContext& ctx, domain::JobType type, int status = 202) {
  std::optional<std::string> payload;
  if (ctx.request.has_header("X-Callback-Payload"))
    payload = ctx.request.header("X-Callback-Payload");
  auto accepted = ctx.emulator.start_job(ctx.params[0], ctx.params[1], ctx.mode(), type, payload);
  if (!accepted) return error_response(accepted.error());
  return member_response(ctx, status, *accepted->member);
}

}  // namespace

Response aggregate_member(RouteContext& ctx) { return run_job(ctx, domain::JobType::kAggregate); }
Response check_balances(RouteContext& ctx) { return run_job(ctx, domain::JobType::kBalance); }
Response identify_member(RouteContext& ctx) { return run_job(ctx, domain::JobType::kIdentify); }
// Both specs declare verifyMember 200 where the other jobs are 202.
Response verify_member(RouteContext& ctx) { return run_job(ctx, domain::JobType::kVerify, 200); }
Response extend_history(RouteContext& ctx) { return run_job(ctx, domain::JobType::kHistory); }
Response fetch_statements(RouteContext& ctx) { return run_job(ctx, domain::JobType::kStatements); }
// Both specs declare fetchRewards 200, as verifyMember.
Response fetch_rewards(RouteContext& ctx) { return run_job(ctx, domain::JobType::kRewards, 200); }

Response resume_aggregation(RouteContext& ctx) {
  auto object = required_object(ctx.body, "member");
  if (!object) return error_response(object.error());
  auto challenges = (*object)->find("challenges");
  if (challenges == (*object)->end() || !challenges->is_array()) {
    return error_response(400, "member.challenges must be an array of {guid, value}.");
  }
  auto answers = credential_values(*challenges, "member.challenges");
  if (!answers) return error_response(answers.error());
  auto m = ctx.emulator.resume(ctx.params[0], ctx.params[1], ctx.mode(), *answers);
  if (!m) return error_response(m.error());
  return member_response(ctx, 202, **m);
}

}  // namespace mxemu::api
