// connect --browser: step 2 done by a person in a browser. mxctl serves a host page that embeds
// the widget URL and forwards its postMessages here; the member the widget reports is stored
// (ConnectFlow::complete) without anyone pasting a callback.
#include <cstdint>
#include <random>
#include <sstream>

#include "commands.h"
#include "mxclient/connect_host.h"

namespace mxctl {
namespace {

// 32 hex digits from the OS's random source: the host page's path secret.
std::string random_token() {
  std::random_device source;
  std::ostringstream hex;
  hex << std::hex;
  for (int i = 0; i < 4; ++i) {
    const auto word = static_cast<std::uint32_t>(source());
    hex.width(8);
    hex.fill('0');
    hex << word;
  }
  return hex.str();
}

// What one widget message says, in a few words (pings are not worth a line).
std::string describe(const mxclient::WidgetCallback& m) {
  std::string line = "widget: " + m.event;
  if (!m.member_guid.empty()) line += " " + m.member_guid;
  if (m.connection_status_id) {
    line += " " + std::string(mxclient::to_string(
                      mxclient::connection_status_from_id(*m.connection_status_id)));
  }
  return line;
}

int browser_connect_exit_code(mxclient::BrowserConnectEnd end) {
  switch (end) {
    case mxclient::BrowserConnectEnd::kConnected:
      return kExitOk;
    case mxclient::BrowserConnectEnd::kTimedOut:
      return kExitTimedOut;
    case mxclient::BrowserConnectEnd::kInterrupted:
      return kExitInterrupted;
  }
  return kExitError;
}

}  // namespace

int connect_in_browser(Context& ctx, mxclient::ConnectFlow& flow, const std::string& app_user,
                       const std::string& widget_url, const std::string& purpose) {
  mxclient::ConnectHostOptions options;
  if (auto port = ctx.int_option("port")) options.port = static_cast<int>(*port);
  options.token = random_token();
  mxclient::ConnectHost host(widget_url, options);
  auto port = host.start();
  if (!port) return ctx.fail(port.error());
  const std::string page = host.page_url();
  // The URL is the point of the command: printed even with --quiet, before any wait.
  ctx.emit(
      {{"event", "listening"}, {"url", page}, {"purpose", purpose}, {"widget_url", widget_url}},
      "Open " + page + " in a browser to " + purpose + " (Ctrl-C stops waiting)\n");
  if (ctx.args().has("open")) {
    if (!ctx.env().open_url || !ctx.env().open_url(page)) {
      ctx.progress("mxctl: could not start xdg-open; open the URL yourself");
    }
  }

  mxclient::BrowserConnectConfig config;
  if (auto s = ctx.number_option("browser-timeout")) {
    config.timeout = std::chrono::milliseconds(static_cast<long long>(*s * 1000));
  }
  config.on_message = [&ctx](const mxclient::WidgetCallback& m) {
    if (m.event != "mx/ping") ctx.progress(describe(m));
  };
  config.on_rejected = [&ctx](const std::string& why) {
    ctx.progress("widget: a message mxctl cannot read: " + why);
  };
  config.on_progress = [&ctx](std::chrono::milliseconds elapsed, int messages) {
    ctx.progress("waiting for the widget: " + std::to_string(messages) + " messages, " +
                 std::to_string(elapsed.count() / 1000) + " s elapsed");
  };
  auto waited = mxclient::wait_for_widget(host, flow, app_user, ctx.clock(), ctx.sleeper(), config);
  host.stop();
  if (!waited) return ctx.fail(waited.error());
  nlohmann::json deleted = waited->deleted;
  if (waited->end != mxclient::BrowserConnectEnd::kConnected) {
    const std::string end(mxclient::to_string(waited->end));
    ctx.emit({{"event", end}, {"messages", waited->messages}, {"deleted", deleted}},
             "no member connected in the widget (" + end + ", " + std::to_string(waited->messages) +
                 " messages)\n");
    return browser_connect_exit_code(waited->end);
  }
  const mxclient::MemberRecord& member = *waited->member;
  if (ctx.args().has("watch")) {
    ctx.progress("stored member " + member.member_guid + "; watching");
    return watch_and_report(ctx, member.member_guid);
  }
  return report_member(ctx, member, "stored");
}

}  // namespace mxctl
