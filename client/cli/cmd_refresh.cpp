// refresh: step 7, one scheduler pass (--due) or one member now.
#include "commands.h"
#include "mxclient/refresh_scheduler.h"

namespace mxctl {
namespace {

mxclient::RefreshSchedulerOptions scheduler_options(Context& ctx) {
  mxclient::RefreshSchedulerOptions o;
  if (auto h = ctx.number_option("sla-hours")) {
    o.sla = std::chrono::seconds(static_cast<long long>(*h * 3600));
  }
  auto set_int = [&](std::string_view name, int& field) {
    if (auto n = ctx.int_option(name)) field = static_cast<int>(*n);
  };
  set_int("max-in-flight", o.limits.max_in_flight);
  set_int("per-institution", o.limits.max_in_flight_per_institution);
  set_int("per-user", o.limits.max_in_flight_per_user);
  set_int("max-calls", o.limits.max_calls);
  if (auto s = ctx.int_option("window")) o.limits.window = std::chrono::seconds(*s);
  if (auto s = ctx.int_option("spread")) o.spread = std::chrono::seconds(*s);
  if (auto n = ctx.int_option("seed")) o.jitter_seed = static_cast<std::uint64_t>(*n);
  o.on_call = [&ctx](const mxclient::RefreshCall& call) {
    ctx.progress(call.member_guid + " (" + call.institution_code +
                 "): " + mxclient::to_string(call.outcome) +
                 (call.detail.empty() ? "" : " " + call.detail));
  };
  return o;
}

int refresh_one(Context& ctx, const std::string& member_guid) {
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  auto member = mx->store.find_member(member_guid);
  if (!member) return ctx.fail(member.error());
  if (!*member) {
    return ctx.fail(mxclient::make_error(mxclient::ErrorKind::kNotFound,
                                         "member " + member_guid + " is not stored"));
  }
  auto result = mx->api.aggregate_member((*member)->user_guid, member_guid);
  if (!result) return ctx.fail(result.error());
  const bool started = result->outcome == mxclient::AggregateOutcome::kStarted;
  ctx.emit({{"member_guid", member_guid},
            {"started", started},
            {"connection_status", result->member.connection_status},
            {"is_being_aggregated", result->member.is_being_aggregated}},
           member_guid + ": " +
               (started ? "aggregation started"
                        : "no job started (throttled, or a job is already running)") +
               "\n");
  return kExitOk;
}

}  // namespace

int cmd_refresh(Context& ctx) {
  const bool due = ctx.args().has("due");
  if (due == !ctx.args().args.empty()) return ctx.usage("give either --due or one MEMBER_GUID");
  if (!due) return refresh_one(ctx, ctx.args().args[0]);

  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  mxclient::RefreshScheduler scheduler(mx->api, mx->store, ctx.clock(), ctx.sleeper(),
                                       scheduler_options(ctx));
  auto counts = scheduler.run_due();
  if (!counts) return ctx.fail(counts.error());

  nlohmann::json skipped = nlohmann::json::object();
  for (std::size_t i = 0; i < mxclient::kRefreshSkipCount; ++i) {
    skipped[mxclient::to_string(static_cast<mxclient::RefreshSkip>(i))] = counts->skipped[i];
  }
  nlohmann::json deferred = nlohmann::json::object();
  for (std::size_t i = 0; i < mxclient::kRefreshDeferralCount; ++i) {
    deferred[mxclient::to_string(static_cast<mxclient::RefreshDeferral>(i))] = counts->deferred[i];
  }
  ctx.emit({{"considered", counts->considered},
            {"started", counts->started},
            {"throttled", counts->throttled},
            {"rate_limited", counts->rate_limited},
            {"failed", counts->failed},
            {"skipped", skipped},
            {"deferred", deferred},
            {"max_in_flight", counts->max_in_flight},
            {"waited_ms", counts->waited.count()}},
           mxclient::describe(*counts) + "\n");
  if (ctx.sleeper().interrupted()) return kExitInterrupted;
  if (counts->failed > 0) return kExitError;
  if (counts->rate_limited > 0) return kExitRetryLater;
  return kExitOk;
}

}  // namespace mxctl
