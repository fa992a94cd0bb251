// webhooks serve: the receiver, feeding statuses to the watcher, with polling as the fallback.
#include <mutex>
#include <ostream>

#include "commands.h"
#include "mxclient/watch.h"
#include "mxclient/webhook_receiver.h"

namespace mxctl {
namespace {

struct ServeSettings {
  mxclient::WebhookServerOptions server;
  std::chrono::seconds poll_after{60};
};

mxclient::Result<ServeSettings> serve_settings(const Context& ctx) {
  ServeSettings s;
  std::string bad;
  if (auto host = ctx.args().get("host")) s.server.host = *host;
  if (auto port = ctx.int_option("port")) s.server.port = static_cast<int>(*port);
  if (auto path = ctx.args().get("path")) {
    if (path->empty() || (*path)[0] != '/') bad = "--path must start with /";
    s.server.path = *path;
  }
  s.server.username = ctx.args().get("username");
  s.server.password = ctx.args().get("password");
  if (s.server.username.has_value() != s.server.password.has_value()) {
    bad = "--username and --password go together";
  }
  if (auto after = ctx.int_option("poll-after")) s.poll_after = std::chrono::seconds(*after);
  if (!bad.empty()) return mxclient::make_error(mxclient::ErrorKind::kInvalidInput, bad);
  return s;
}

}  // namespace

int cmd_webhooks(Context& ctx) {
  auto settings = serve_settings(ctx);
  if (!settings) return ctx.usage(settings.error().message);
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());

  mxclient::MemberWatcher watcher(mx->api, mx->store, ctx.clock(), ctx.sleeper(), ctx.notifier());
  mxclient::WebhookReceiverOptions receiver_options;
  receiver_options.record_status = false;  // the watcher records, applies the policy, notifies
  mxclient::WebhookReceiver receiver(mx->store, ctx.clock(), receiver_options);

  std::mutex print_mutex;
  auto print = [&](const nlohmann::json& json, const std::string& human) {
    std::lock_guard<std::mutex> lock(print_mutex);
    ctx.emit(json, human);
  };
  auto on_event = [&](const mxclient::ReceivedWebhook& w) {
    const auto& e = w.event;
    std::string outcome = w.member_known ? "recorded" : "member not stored";
    if (w.observation) {  // the receiver's one conversion of an event into a status
      auto applied = watcher.on_status(*w.observation);
      outcome = applied
                    ? (applied->stale ? "stale, ignored"
                                      : std::string(mxclient::to_string(applied->decision.action)))
                    : "error: " + applied.error().message;
    } else if (w.order == mxclient::EventOrder::kStale) {
      outcome = "stale, ignored";
    }
    print({{"event", "webhook"},
           {"type", e.type_name},
           {"action", e.action},
           {"member_guid", e.member_guid},
           {"connection_status", e.connection_status.value_or("")},
           {"outcome", outcome}},
          "webhook " + e.type_name + (e.action.empty() ? "" : " " + e.action) + " " +
              e.member_guid + (e.connection_status ? " " + *e.connection_status : "") + ": " +
              outcome + "\n");
  };
  mxclient::WebhookServer server(receiver, on_event, settings->server);
  auto port = server.start();
  if (!port) return ctx.fail(port.error());
  const std::string url =
      "http://" + settings->server.host + ":" + std::to_string(*port) + settings->server.path;
  print({{"event", "listening"}, {"url", url}}, "listening on " + url + "\n");

  // Polling fallback: members still being watched that no webhook or poll has spoken of.
  auto poll_quiet = [&] {
    auto quiet = mxclient::members_to_poll(mx->store, ctx.clock().now(), settings->poll_after);
    if (!quiet) {
      ctx.progress("poll fallback: " + quiet.error().message);
      return;
    }
    for (const auto& candidate : *quiet) {
      auto status = mx->api.read_member_status(candidate.user_guid, candidate.member_guid);
      if (!status) {
        ctx.progress(candidate.member_guid + ": poll failed: " + status.error().message);
        continue;
      }
      auto seen = watcher.observe(*status, mxclient::StatusSource::kPoll, ctx.clock().now());
      print({{"event", "poll"},
             {"member_guid", candidate.member_guid},
             {"connection_status", status->connection_status}},
            "poll " + candidate.member_guid + " " + status->connection_status +
                (seen ? "" : " (" + seen.error().message + ")") + "\n");
    }
  };
  auto next_poll = ctx.clock().now() + settings->poll_after;
  while (!ctx.env().stop_requested()) {
    ctx.sleeper().wait(ctx.env().stop_poll);
    if (settings->poll_after.count() > 0 && ctx.clock().now() >= next_poll) {
      poll_quiet();
      next_poll = ctx.clock().now() + settings->poll_after;
    }
  }
  server.stop();
  const auto stats = server.stats();
  print({{"event", "stopped"},
         {"accepted", stats.accepted},
         {"duplicates", stats.duplicates},
         {"malformed", stats.malformed}},
        "stopped: " + std::to_string(stats.accepted) + " events, " +
            std::to_string(stats.duplicates) + " duplicates, " + std::to_string(stats.malformed) +
            " malformed\n");
  return kExitOk;
}

}  // namespace mxctl
