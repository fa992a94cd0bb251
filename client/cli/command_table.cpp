#include <array>

#include "commands.h"

namespace mxctl {
namespace {

// Options several commands share.
const std::array<OptionSpec, 6> kWatchOptions = {{
    {"interval", "SECONDS", "poll GET .../status this often (default 3)"},
    {"max-polls", "N", "stop after N polls (default 200)"},
    {"watch-timeout", "SECONDS", "stop after this long (default 600)"},
    {"answer", "VALUE",
     "answer MFA challenges through the API, in challenge order; for OPTIONS the option's "
     "label or value",
     true},
    {"sync", "", "when CONNECTED and idle, sync accounts and transactions"},
    {"mapping", "FILE", "category mapping JSON (default: the built-in mapping)"},
}};

std::vector<OptionSpec> with_watch(std::vector<OptionSpec> options) {
  options.insert(options.end(), kWatchOptions.begin(), kWatchOptions.end());
  return options;
}

}  // namespace

const std::vector<Command>& command_table() {
  static const std::vector<Command> kTable = {
      {{"enroll",
        "APP_USER_ID [--email EMAIL]",
        "Create the MX user for an app user once; print its user_guid.",
        "The app's user id is MX's partner id, so enrolling again (or after a lost reply)\n"
        "returns the same user without creating a duplicate.",
        {{"email", "EMAIL", "the user's e-mail, sent to MX"}},
        1,
        1},
       cmd_enroll},
      {{"connect", "APP_USER_ID [options]",
        "Print a Connect widget URL for the app user (or repair a member, or connect by API).",
        "Default: a widget URL for a new connection, configured for --platform.\n"
        "--reconnect MEMBER: a widget URL with current_member_guid and update_credentials\n"
        "  (DENIED, EXPIRED, PREVENTED, IMPAIRED ...). --resume MEMBER: current_member_guid only\n"
        "  (finish MFA in the widget).\n"
        "--institution CODE --credential NAME=VALUE ...: create the member through the API\n"
        "  instead of the widget (apps that collect credentials themselves; scripts against\n"
        "  the emulator), store it and, with --watch, watch it. NAME is the credential's\n"
        "  field_name, label or guid (GET /institutions/CODE/credentials).",
        with_watch({
            {"platform", "NAME", "web (default), ios or android"},
            {"url-scheme", "SCHEME", "ios/android: the app's URL scheme (default mx)"},
            {"redirect-url", "URL", "client_redirect_url: where OAuth returns to the app"},
            {"institution", "CODE", "preselect this institution"},
            {"reconnect", "MEMBER_GUID", "repair URL with update_credentials"},
            {"resume", "MEMBER_GUID", "repair URL for MFA"},
            {"credential", "NAME=VALUE", "create the member through the API", true},
            {"watch", "", "after --credential: watch the new member"},
        }),
        1, 1},
       cmd_connect},
      {{"callback", "APP_USER_ID PAYLOAD|-",
        "Store the member the Connect widget reported, and start watching it.",
        "PAYLOAD is what the widget handed the app: a postMessage's JSON, a webview URL\n"
        "(mx://connect/memberConnected?metadata=...) or an OAuth redirect URL\n"
        "(...?status=success&member_guid=MBR-...). '-' reads it from stdin.",
        with_watch({{"watch", "", "watch the member right away"}}), 2, 2},
       cmd_callback},
      {{"watch", "MEMBER_GUID [options]",
        "Poll a stored member until it is CONNECTED and idle, or needs someone.",
        "Each status goes through the status policy; notices for the end user are printed\n"
        "once per episode. Exit codes: 0 connected, 3 needs the user, 4 retry later,\n"
        "5 gave up, 6 timed out.",
        with_watch({}), 1, 1},
       cmd_watch},
      {{"sync",
        "[MEMBER_GUID] [--user APP_USER_ID | --all]",
        "Fetch accounts and transactions of connected members into the database.",
        "The first sync covers MX's default window (or --lookback-days); later ones start\n"
        "--overlap-days before the last successful sync. Categories are mapped to the app's.",
        {{"user", "APP_USER_ID", "every member of this app user"},
         {"all", "", "every stored member"},
         {"lookback-days", "N", "first sync: this many days back"},
         {"overlap-days", "N", "later syncs: re-read this many days (default 7)"},
         {"mapping", "FILE", "category mapping JSON (default: the built-in mapping)"}},
        0,
        1},
       cmd_sync},
      {{"refresh",
        "--due [options] | MEMBER_GUID",
        "Aggregate members whose data is older than the SLA, within limits.",
        "--due runs one pass of the refresh scheduler: throttled members (202 without a job)\n"
        "wait out the throttle window, attempts are capped with backoff, and calls are limited\n"
        "per institution, per user and overall. MEMBER_GUID aggregates one member now.",
        {{"due", "", "refresh every member past the SLA"},
         {"sla-hours", "H", "data older than this is stale (default 24)"},
         {"max-in-flight", "N", "jobs running at once, overall (default 16)"},
         {"per-institution", "N", "jobs running at once per institution (default 4)"},
         {"per-user", "N", "jobs running at once per user (default 1)"},
         {"max-calls", "N", "aggregate calls per --window (default 40)"},
         {"window", "SECONDS", "the rolling window of --max-calls (default 60)"},
         {"spread", "SECONDS", "spread the calls over this long with jitter (default 0)"},
         {"seed", "N", "jitter seed (default 0)"}},
        0,
        1},
       cmd_refresh},
      {{"status",
        "[MEMBER_GUID] [--user APP_USER_ID] [--live]",
        "Show stored members (or one member with its status history).",
        "Reads the database only, unless --live reads GET .../status from MX and records it.",
        {{"user", "APP_USER_ID", "only this app user's members"},
         {"live", "", "read the status from MX now"},
         {"history", "N", "with MEMBER_GUID: the last N observations (default 10)"}},
        0,
        1},
       cmd_status},
      {{"webhooks serve",
        "[options]",
        "Receive MX webhooks; apply member statuses; poll members nobody heard from.",
        "Serves POST --path until SIGINT/SIGTERM. Each event is recorded once (MX retries\n"
        "deliveries; duplicates are answered 204 and dropped), statuses go through the status\n"
        "policy, and watched members silent for --poll-after seconds are polled (MX: never\n"
        "rely on webhooks alone).",
        {{"host", "HOST", "bind address (default 127.0.0.1)"},
         {"port", "PORT", "port (default 0: pick a free one and print it)"},
         {"path", "PATH", "the webhook path (default /webhooks/mx)"},
         {"username", "USER", "require HTTP Basic credentials"},
         {"password", "PASS", "with --username"},
         {"poll-after", "SECONDS", "poll watched members silent this long (default 60; 0 off)"}},
        0,
        0},
       cmd_webhooks},
  };
  return kTable;
}

}  // namespace mxctl
