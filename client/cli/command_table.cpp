#include <array>

#include "commands.h"

namespace mxctl {
namespace {

// Options several commands share.
const std::array<OptionSpec, 6> kWatchOptions = {{
    {"interval", "SECONDS", "poll GET .../status this often (default 3)", false,
     ValueKind::kPositiveNumber},
    {"max-polls", "N", "stop after N polls (default 200)", false, ValueKind::kPositiveCount},
    {"watch-timeout", "SECONDS", "stop after this long (default 600)", false, ValueKind::kNumber},
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
        "  (DENIED, PREVENTED, IMPAIRED, IMPORTED). --resume MEMBER: current_member_guid only\n"
        "  (finish MFA, or any repair the widget resolves: EXPIRED, REJECTED, DEGRADED ...).\n"
        "--institution CODE --credential NAME=VALUE ...: create the member through the API\n"
        "  instead of the widget (apps that collect credentials themselves; scripts against\n"
        "  the emulator), store it and, with --watch, watch it. NAME is the credential's\n"
        "  field_name, label or guid (GET /institutions/CODE/credentials). If MX already has\n"
        "  a member for that login and it needs new credentials (DENIED, PREVENTED, IMPAIRED,\n"
        "  IMPORTED), the credentials are PUT to it (a repair; said on stderr).\n"
        "--reconnect MEMBER --credential NAME=VALUE ...: repair that member through the API\n"
        "  (PUT its new credentials) instead of printing a widget URL.\n"
        "--browser (with any of the widget forms above): serve a page on 127.0.0.1 that embeds\n"
        "  the widget and receives its postMessages; open it (printed first; --open runs\n"
        "  xdg-open), connect there, and mxctl stores the member the widget reports, then\n"
        "  exits (0; with --watch, the watch's code; 6 after --browser-timeout, 130 on SIGINT).",
        with_watch({
            {"platform", "NAME", "web (default), ios or android"},
            {"url-scheme", "SCHEME", "ios/android: the app's URL scheme (default mx)"},
            {"redirect-url", "URL", "client_redirect_url: where OAuth returns to the app"},
            {"institution", "CODE", "preselect this institution"},
            {"reconnect", "MEMBER_GUID", "repair URL with update_credentials"},
            {"resume", "MEMBER_GUID", "repair URL for MFA"},
            {"credential", "NAME=VALUE", "connect (or repair) the member through the API", true},
            {"watch", "", "after --credential or --browser: watch the member"},
            {"browser", "", "connect in a browser: serve a host page for the widget and wait"},
            {"port", "PORT", "--browser: the host page's port (default 0: any free one)", false,
             ValueKind::kPort},
            {"open", "", "--browser: open the page with xdg-open"},
            {"browser-timeout", "SECONDS", "--browser: stop waiting after this long (default 1800)",
             false, ValueKind::kPositiveNumber},
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
        "once per episode, with a repair URL when the policy offers one. A progress line\n"
        "(status, elapsed time) goes to stderr every 10 s unless --quiet. Exit codes:\n"
        "0 connected, 3 needs the user, 4 retry later, 5 gave up, 6 timed out,\n"
        "130 interrupted (SIGINT ends the wait at once).",
        with_watch({}), 1, 1},
       cmd_watch},
      {{"sync",
        "[MEMBER_GUID] [--user APP_USER_ID | --all]",
        "Fetch accounts and transactions of connected members into the database.",
        "The first sync covers MX's default window (or --lookback-days); later ones start\n"
        "--overlap-days before the last successful sync. Categories are mapped to the app's.",
        {{"user", "APP_USER_ID", "every member of this app user"},
         {"all", "", "every stored member"},
         {"lookback-days", "N", "first sync: this many days back", false, ValueKind::kCount},
         {"overlap-days", "N", "later syncs: re-read this many days (default 7)", false,
          ValueKind::kCount},
         {"mapping", "FILE", "category mapping JSON (default: the built-in mapping)"}},
        0,
        1},
       cmd_sync},
      {{"categories",
        "[APP_USER_ID] [--mapping FILE] [--uncovered]",
        "List MX's categories with the app category the mapping gives each.",
        "Reads MX's own list: GET /categories/default, or with APP_USER_ID that user's\n"
        "GET /users/{user}/categories (the defaults and the categories the user made).\n"
        "A category no rule of the mapping covers would fall to its default category;\n"
        "the exit code is then 8, so a CI job can check a mapping against MX's taxonomy.",
        {{"mapping", "FILE", "category mapping JSON (default: the built-in mapping)"},
         {"uncovered", "", "list only the categories the mapping does not cover"}},
        0,
        1},
       cmd_categories},
      {{"accounts",
        "MEMBER_GUID | --user APP_USER_ID",
        "List the synced accounts of a member or an app user (from the database).",
        "Reads the database only: what the last sync stored. As a table, or one JSON object\n"
        "with --json.",
        {{"user", "APP_USER_ID", "every account of this app user"}},
        0,
        1},
       cmd_accounts},
      {{"transactions",
        "MEMBER_GUID | --user APP_USER_ID [--from DATE] [--to DATE] [--limit N]",
        "List the synced transactions of a member or an app user (from the database).",
        "Reads the database only: what the syncs stored, newest first, with the app's\n"
        "category next to MX's. --limit keeps the newest N.",
        {{"user", "APP_USER_ID", "every transaction of this app user"},
         {"account", "ACCOUNT_GUID", "only this account's"},
         {"from", "DATE", "on or after this date (YYYY-MM-DD)", false, ValueKind::kDate},
         {"to", "DATE", "on or before this date (YYYY-MM-DD)", false, ValueKind::kDate},
         {"limit", "N", "at most N, the newest (default: all)", false, ValueKind::kPositiveCount}},
        0,
        1},
       cmd_transactions},
      {{"refresh",
        "--due [options] | MEMBER_GUID",
        "Aggregate members whose data is older than the SLA, within limits.",
        "--due runs one pass of the refresh scheduler: throttled members (202 without a job)\n"
        "wait out the throttle window, attempts are capped with backoff, and calls are limited\n"
        "per institution, per user and overall. MEMBER_GUID aggregates one member now.",
        {{"due", "", "refresh every member past the SLA"},
         {"sla-hours", "H", "data older than this is stale (default 24)", false,
          ValueKind::kNumber},
         {"max-in-flight", "N", "jobs running at once, overall (default 16; 0 no limit)", false,
          ValueKind::kCount},
         {"per-institution", "N", "jobs running at once per institution (default 4)", false,
          ValueKind::kCount},
         {"per-user", "N", "jobs running at once per user (default 1)", false, ValueKind::kCount},
         {"max-calls", "N", "aggregate calls per --window (default 40)", false, ValueKind::kCount},
         {"window", "SECONDS", "the rolling window of --max-calls (default 60)", false,
          ValueKind::kCount},
         {"spread", "SECONDS", "spread the calls over this long with jitter (default 0)", false,
          ValueKind::kCount},
         {"seed", "N", "jitter seed (default 0)", false, ValueKind::kCount}},
        0,
        1},
       cmd_refresh},
      {{"status",
        "[MEMBER_GUID] [--user APP_USER_ID] [--live]",
        "Show stored members (or one member with its status history).",
        "Reads the database only, unless --live reads GET .../status from MX and records it.\n"
        "Each member shows what the client will do about its status (the status policy's\n"
        "decision: poll, ask the user, refresh later, wait for MX, give up) and the repair\n"
        "link a notice offers.",
        {{"user", "APP_USER_ID", "only this app user's members"},
         {"live", "", "read the status from MX now"},
         {"history", "N", "with MEMBER_GUID: the last N observations (default 10)", false,
          ValueKind::kCount}},
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
         {"port", "PORT", "port (default 0: pick a free one and print it)", false,
          ValueKind::kPort},
         {"path", "PATH", "the webhook path (default /webhooks/mx)"},
         {"username", "USER", "require HTTP Basic credentials"},
         {"password", "PASS", "with --username"},
         {"poll-after", "SECONDS", "poll watched members silent this long (default 60; 0 off)",
          false, ValueKind::kCount}},
        0,
        0},
       cmd_webhooks},
  };
  return kTable;
}

}  // namespace mxctl
