// wait_for_widget: the widget's postMessages, taken from a ConnectHost, fed to ConnectFlow.
#include <algorithm>
#include <chrono>

#include "mxclient/connect_host.h"

namespace mxclient {

std::string_view to_string(BrowserConnectEnd end) {
  switch (end) {
    case BrowserConnectEnd::kConnected:
      return "connected";
    case BrowserConnectEnd::kTimedOut:
      return "timed_out";
    case BrowserConnectEnd::kInterrupted:
      return "interrupted";
  }
  return "timed_out";
}

Result<BrowserConnectResult> wait_for_widget(ConnectHost& host, ConnectFlow& flow,
                                             const std::string& app_user_id, const Clock& clock,
                                             Sleeper& sleeper, const BrowserConnectConfig& config) {
  using std::chrono::milliseconds;
  BrowserConnectResult result;
  const TimePoint start = clock.now();
  TimePoint next_beat = start + config.progress_every;
  for (;;) {
    for (const std::string& raw : host.take_messages()) {
      auto parsed = parse_post_message(raw);
      if (!parsed) {
        if (config.on_rejected) config.on_rejected(parsed.error().message);
        continue;
      }
      ++result.messages;
      if (config.on_message) config.on_message(*parsed);
      switch (parsed->kind) {
        case CallbackKind::kMemberConnected:
        case CallbackKind::kOAuthSuccess: {
          auto member = flow.complete(app_user_id, *parsed);
          if (!member) return member.error();
          result.member = std::move(*member);
          result.end = BrowserConnectEnd::kConnected;
          return result;
        }
        case CallbackKind::kMemberDeleted: {
          auto forgotten = flow.forget_deleted(app_user_id, *parsed);
          if (!forgotten) return forgotten.error();
          result.deleted.push_back(parsed->member_guid);
          break;
        }
        case CallbackKind::kMemberStatusUpdate:
          result.last_connection_status = parsed->connection_status_id;
          break;
        default:  // load, stepChange, ping, OAuth requests and errors: the widget goes on
          break;
      }
    }
    if (sleeper.interrupted()) {
      result.end = BrowserConnectEnd::kInterrupted;
      return result;
    }
    const TimePoint now = clock.now();
    if (now - start >= config.timeout) {
      result.end = BrowserConnectEnd::kTimedOut;
      return result;
    }
    if (config.on_progress && now >= next_beat) {
      config.on_progress(std::chrono::duration_cast<milliseconds>(now - start), result.messages);
      next_beat = now + config.progress_every;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(config.timeout - (now - start));
    sleeper.wait(std::min(config.poll_interval, left));
  }
}

}  // namespace mxclient
