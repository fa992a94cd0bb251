// watch: step 4 (and 5 with --sync), answering MFA through the API with --answer.
#include <algorithm>
#include <sstream>

#include "commands.h"
#include "mxclient/watch.h"

namespace mxctl {
namespace {

// --answer values, consumed in order across MFA rounds: one per challenge. For OPTIONS and
// IMAGE_OPTIONS the value names an option by label or value.
class ArgumentAnswerer final : public mxclient::ChallengeAnswerer {
 public:
  explicit ArgumentAnswerer(std::vector<std::string> answers) : answers_(std::move(answers)) {}

  std::optional<std::vector<mxclient::MxCredentialValue>> answer(
      const mxclient::MemberRecord& /*member*/,
      const std::vector<mxclient::MxChallenge>& challenges) override {
    if (answers_.size() - next_ < challenges.size()) return std::nullopt;
    std::vector<mxclient::MxCredentialValue> out;
    for (const auto& c : challenges) {
      std::string value = answers_[next_++];
      for (const auto& o : c.options) {
        if (equal_ignoring_case(o.label, value) || o.value == value) {
          value = o.value;
          break;
        }
      }
      out.push_back({c.guid, value});
    }
    return out;
  }

 private:
  std::vector<std::string> answers_;
  std::size_t next_ = 0;
};

int watch_exit_code(mxclient::WatchEnd end) {
  switch (end) {
    case mxclient::WatchEnd::kReady:
      return kExitOk;
    case mxclient::WatchEnd::kNeedsUser:
      return kExitNeedsUser;
    case mxclient::WatchEnd::kRetryLater:
      return kExitRetryLater;
    case mxclient::WatchEnd::kGaveUp:
      return kExitGaveUp;
    case mxclient::WatchEnd::kTimedOut:
      return kExitTimedOut;
    case mxclient::WatchEnd::kInterrupted:
      return kExitInterrupted;
  }
  return kExitError;
}

std::string status_text(const mxclient::MxMemberStatus& s) {
  return (s.connection_status.empty() ? std::string("null") : s.connection_status) +
         (s.is_being_aggregated ? " (aggregating)" : "");
}

nlohmann::json challenges_json(const std::vector<mxclient::MxChallenge>& challenges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : challenges) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& o : c.options) options.push_back({{"label", o.label}, {"value", o.value}});
    out.push_back({{"guid", c.guid}, {"type", c.type}, {"label", c.label}, {"options", options}});
  }
  return out;
}

mxclient::WatchConfig watch_config(const Context& ctx) {
  mxclient::WatchConfig config;
  if (auto s = ctx.number_option("interval")) {
    config.poll_interval = std::max(std::chrono::milliseconds(static_cast<long long>(*s * 1000)),
                                    std::chrono::milliseconds{1});
  }
  if (auto n = ctx.int_option("max-polls")) config.max_polls = static_cast<int>(*n);
  if (auto s = ctx.number_option("watch-timeout")) {
    config.timeout = std::chrono::milliseconds(static_cast<long long>(*s * 1000));
  }
  if (!ctx.quiet()) {
    // The heartbeat of a long wait: a line every progress_every (10 s) on stderr.
    config.on_progress = [&ctx](const mxclient::WatchProgress& p) {
      ctx.progress(p.member_guid + ": " + status_text(p.last) + ", " +
                   std::to_string(p.elapsed.count() / 1000) + " s elapsed, " +
                   std::to_string(p.polls) + " polls");
    };
  }
  return config;
}

// How the user repairs a member that needs them, as mxctl commands.
// `app_user` is the member's app user ("APP_USER_ID" when the store does not say).
std::string repair_hint(const std::string& app_user, const std::string& member_guid,
                        const mxclient::PolicyDecision& d) {
  switch (d.link) {
    case mxclient::RepairLink::kWidgetWithCredentials:
      return "  reconnect with: mxctl connect " + app_user + " --reconnect " + member_guid +
             " (widget URL), or --reconnect " + member_guid +
             " --credential NAME=VALUE ... (by API)\n";
    case mxclient::RepairLink::kWidget:
      if (d.action == mxclient::Action::kAnswerMfa) {
        return "  answer with: mxctl watch " + member_guid +
               " --answer VALUE ... (or open mxctl connect " + app_user + " --resume " +
               member_guid + ")\n";
      }
      return "  repair with: mxctl connect " + app_user + " --resume " + member_guid + "\n";
    default:
      return "";
  }
}

}  // namespace

int watch_and_report(Context& ctx, const std::string& member_guid) {
  auto platform = platform_from(ctx);
  if (!platform) return ctx.usage(platform.error().message);
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  mxclient::MemberWatcher watcher(mx->api, mx->store, ctx.clock(), ctx.sleeper(), ctx.notifier(),
                                  watch_config(ctx));
  mxclient::ConnectFlow repairs(mx->api, mx->store, ctx.clock(), *platform);
  watcher.offer_repair_links(&repairs);
  auto result = watcher.watch(member_guid);
  if (!result) return ctx.fail(result.error());
  const auto answers = ctx.args().all("answer");
  if (result->end == mxclient::WatchEnd::kNeedsUser &&
      result->decision.action == mxclient::Action::kAnswerMfa && !answers.empty()) {
    ctx.progress(member_guid + ": CHALLENGED; answering " +
                 std::to_string(result->last.challenges.size()) + " challenge(s)");
    ArgumentAnswerer answerer(answers);
    result = watcher.answer_challenges(member_guid, answerer);
    if (!result) return ctx.fail(result.error());
  }

  const std::string status =
      result->last.connection_status.empty() ? "null" : result->last.connection_status;
  nlohmann::json json = {{"member_guid", member_guid},
                         {"end", std::string(mxclient::to_string(result->end))},
                         {"connection_status", status},
                         {"is_being_aggregated", result->last.is_being_aggregated},
                         {"action", std::string(mxclient::to_string(result->decision.action))},
                         {"policy", policy_json(result->decision)},
                         {"message", result->decision.message("")},
                         {"polls", result->polls},
                         {"challenges", challenges_json(result->last.challenges)}};
  nlohmann::json notices = nlohmann::json::array();
  for (const auto& n : ctx.notifier().sent()) notices.push_back(notice_json(n));
  json["notices"] = notices;

  std::ostringstream human;
  human << member_guid << ": " << status << " (" << mxclient::to_string(result->end) << ", "
        << result->polls << " polls; next: " << mxclient::to_string(result->decision.action)
        << ")\n";
  for (const auto& c : result->last.challenges) {
    human << "  challenge " << c.guid << " [" << c.type << "] " << c.label << "\n";
    for (const auto& o : c.options) human << "    option " << o.label << " = " << o.value << "\n";
  }
  if (result->end == mxclient::WatchEnd::kInterrupted) {
    human << "  interrupted: the member was left as it was; mxctl watch " << member_guid
          << " goes on\n";
  } else {
    auto stored = mx->store.find_member(member_guid);
    const std::string app_user =
        stored && *stored ? (*stored)->app_user_id : std::string("APP_USER_ID");
    human << repair_hint(app_user, member_guid, result->decision);
  }

  int code = watch_exit_code(result->end);
  if (result->end == mxclient::WatchEnd::kReady && ctx.args().has("sync")) {
    auto report = sync_member(ctx, member_guid);
    if (report) {
      json["sync"] = sync_json(*report);
      human << sync_line(member_guid, *report);
    } else {
      // The watch's result stands; the sync's error is part of it (one JSON object).
      code = ctx.warn(report.error());
      json["sync"] = error_json(report.error());
    }
  }
  ctx.emit(json, human.str());
  return code;
}

int cmd_watch(Context& ctx) { return watch_and_report(ctx, ctx.args().args[0]); }

}  // namespace mxctl
