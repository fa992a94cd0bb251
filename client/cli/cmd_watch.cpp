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

int exit_code_for(mxclient::WatchEnd end) {
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
  }
  return kExitError;
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

mxclient::Result<mxclient::WatchConfig> watch_config(const Context& ctx) {
  mxclient::WatchConfig config;
  std::string bad;
  if (auto s = ctx.number_option("interval", bad)) {
    config.poll_interval = std::chrono::milliseconds(static_cast<long long>(*s * 1000));
  }
  if (auto n = ctx.int_option("max-polls", bad)) config.max_polls = static_cast<int>(*n);
  if (auto s = ctx.number_option("watch-timeout", bad)) {
    config.timeout = std::chrono::milliseconds(static_cast<long long>(*s * 1000));
  }
  if (!bad.empty()) return mxclient::make_error(mxclient::ErrorKind::kInvalidInput, bad);
  return config;
}

}  // namespace

int watch_and_report(Context& ctx, const std::string& member_guid) {
  auto config = watch_config(ctx);
  if (!config) return ctx.usage(config.error().message);
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  mxclient::MemberWatcher watcher(mx->api, mx->store, ctx.clock(), ctx.sleeper(), ctx.notifier(),
                                  *config);
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
  if (result->decision.action == mxclient::Action::kAnswerMfa) {
    human << "  answer with: mxctl watch " << member_guid
          << " --answer VALUE ... (or open mxctl connect APP_USER_ID --resume " << member_guid
          << ")\n";
  } else if (result->decision.action == mxclient::Action::kReconnectWithCredentials) {
    human << "  reconnect with: mxctl connect APP_USER_ID --reconnect " << member_guid << "\n";
  }

  int code = exit_code_for(result->end);
  if (result->end == mxclient::WatchEnd::kReady && ctx.args().has("sync")) {
    auto report = sync_member(ctx, member_guid);
    if (!report) {
      ctx.emit(json, human.str());
      return ctx.fail(report.error());
    }
    json["sync"] = sync_json(*report);
    human << sync_line(member_guid, *report);
  }
  ctx.emit(json, human.str());
  return code;
}

int cmd_watch(Context& ctx) { return watch_and_report(ctx, ctx.args().args[0]); }

}  // namespace mxctl
