#pragma once

#include <vector>

#include "args.h"
#include "context.h"
#include "mxclient/connect.h"
#include "mxclient/sync.h"

// The command table (one place: parsing, help and dispatch all read it) and the commands.
namespace mxctl {

using CommandFn = int (*)(Context&);

struct Command {
  CommandSpec spec;
  CommandFn run;
};

const std::vector<Command>& command_table();

int cmd_enroll(Context& ctx);        // cmd_connect.cpp
int cmd_connect(Context& ctx);       // cmd_connect.cpp
int cmd_callback(Context& ctx);      // cmd_connect.cpp
int cmd_watch(Context& ctx);         // cmd_watch.cpp
int cmd_sync(Context& ctx);          // cmd_sync.cpp
int cmd_refresh(Context& ctx);       // cmd_refresh.cpp
int cmd_status(Context& ctx);        // cmd_status.cpp
int cmd_accounts(Context& ctx);      // cmd_data.cpp
int cmd_transactions(Context& ctx);  // cmd_data.cpp
int cmd_webhooks(Context& ctx);      // cmd_webhooks.cpp
int cmd_categories(Context& ctx);    // cmd_categories.cpp

// The widget configuration of --platform, --url-scheme and --redirect-url (web by default).
// kInvalidInput for a bad combination.
mxclient::Result<mxclient::PlatformConfig> platform_from(const Context& ctx);

// Prints a stored member as the result ("<verb> member MBR-… (code) for user: STATUS").
int report_member(Context& ctx, const mxclient::MemberRecord& member, const std::string& verb);
// connect --browser: serves the host page for `widget_url`, waits for the widget to report a
// member, stores it (and watches it with --watch). cmd_connect_browser.cpp.
int connect_in_browser(Context& ctx, mxclient::ConnectFlow& flow, const std::string& app_user,
                       const std::string& widget_url, const std::string& purpose);

// Shared by watch, connect --watch and callback --watch: watches `member_guid` (answering MFA
// with --answer values, syncing with --sync) and prints the outcome. Returns the exit code.
int watch_and_report(Context& ctx, const std::string& member_guid);

// Syncs one member with progress lines; the report as JSON and as one human line.
mxclient::Result<mxclient::SyncReport> sync_member(Context& ctx, const std::string& member_guid);
nlohmann::json sync_json(const mxclient::SyncReport& report);
std::string sync_line(const std::string& member_guid, const mxclient::SyncReport& report);

}  // namespace mxctl
