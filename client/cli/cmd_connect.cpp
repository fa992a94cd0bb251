// enroll, connect and callback: steps 1 to 3 of the flow.
#include <algorithm>
#include <istream>
#include <iterator>
#include <sstream>

#include "commands.h"
#include "mxclient/connect.h"
#include "mxclient/enrol.h"

namespace mxctl {

mxclient::Result<mxclient::PlatformConfig> platform_from(const Context& ctx) {
  const std::string name = ctx.args().get("platform").value_or("web");
  const auto redirect = ctx.args().get("redirect-url");
  mxclient::PlatformConfig config;
  if (name == "web") {
    config = mxclient::web_platform(redirect);
  } else if (name == "ios" || name == "android") {
    const std::string scheme = ctx.args().get("url-scheme").value_or("mx");
    const std::string to = redirect.value_or(scheme + "://oauth_complete");
    config =
        name == "ios" ? mxclient::ios_platform(scheme, to) : mxclient::android_platform(scheme, to);
  } else {
    return mxclient::make_error(mxclient::ErrorKind::kInvalidInput,
                                "--platform must be web, ios or android, not " + name);
  }
  if (auto ok = mxclient::validate(config); !ok) return ok.error();
  return config;
}

int report_member(Context& ctx, const mxclient::MemberRecord& member, const std::string& verb) {
  std::ostringstream human;
  human << verb << " member " << member.member_guid << " (" << member.institution_code << ") for "
        << member.app_user_id << ": "
        << (member.connection_status.empty() ? "null" : member.connection_status)
        << (member.is_being_aggregated ? ", aggregating" : "") << "\n";
  ctx.emit(member_json(member), human.str());
  return kExitOk;
}

namespace {

// NAME=VALUE pairs → the institution's credential guids.
mxclient::Result<std::vector<mxclient::MxCredentialValue>> credentials_from(
    Context& ctx, mxclient::MxApi& api, const std::string& institution) {
  auto fields = api.list_institution_credentials(institution);
  if (!fields) return fields.error();
  std::vector<mxclient::MxCredentialValue> out;
  for (const auto& pair : ctx.args().all("credential")) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return mxclient::make_error(mxclient::ErrorKind::kInvalidInput,
                                  "--credential needs NAME=VALUE, not '" + pair + "'");
    }
    const std::string name = pair.substr(0, eq);
    auto field = std::find_if(fields->begin(), fields->end(), [&](const auto& f) {
      return f.guid == name || equal_ignoring_case(f.field_name, name) ||
             equal_ignoring_case(f.label, name);
    });
    if (field == fields->end()) {
      std::string message = "institution " + institution + " has no credential '" + name;
      message += "' (it asks for:";
      for (const auto& f : *fields) message.append(" ").append(f.field_name);
      message += ")";
      return mxclient::make_error(mxclient::ErrorKind::kInvalidInput, message);
    }
    out.push_back({field->guid, pair.substr(eq + 1)});
  }
  return out;
}

// The ConnectFlow for this command line's --platform; nullopt after reporting why not, with the
// exit code in `code`.
std::optional<mxclient::ConnectFlow> make_flow(Context& ctx, int& code) {
  auto platform = platform_from(ctx);
  if (!platform) {
    code = ctx.usage(platform.error().message);
    return std::nullopt;
  }
  auto mx = ctx.backend();
  if (!mx) {
    code = ctx.fail(mx.error());
    return std::nullopt;
  }
  return mxclient::ConnectFlow(mx->api, mx->store, ctx.clock(), *platform);
}

// After a connect or repair by API: watch the member (--watch) or report it.
int stored_by_api(Context& ctx, const mxclient::MemberRecord& member, const std::string& verb) {
  if (ctx.args().has("watch")) {
    ctx.progress(verb + " member " + member.member_guid + "; watching");
    return watch_and_report(ctx, member.member_guid);
  }
  return report_member(ctx, member, verb);
}

int connect_by_api(Context& ctx, mxclient::ConnectFlow& flow, const std::string& app_user) {
  auto mx = ctx.backend();  // built by make_flow already
  if (!mx) return ctx.fail(mx.error());
  const auto institution = ctx.args().get("institution");
  if (!institution) return ctx.usage("--credential needs --institution CODE (or --reconnect)");
  if (auto user_guid = ctx.user_guid_of(app_user); !user_guid) return ctx.fail(user_guid.error());
  auto credentials = credentials_from(ctx, mx->api, *institution);
  if (!credentials) return ctx.fail(credentials.error());
  auto connected = flow.connect_with_credentials(app_user, *institution, *credentials);
  if (!connected) return ctx.fail(connected.error());
  const std::string& guid = connected->member.member_guid;
  if (connected->credentials_updated) {
    // Said even with --quiet: the command did something else than its name says.
    *ctx.env().err << "mxctl: MX already has member " << guid << " for this login, "
                   << connected->previous_status << ": updated the credentials of member " << guid
                   << " (PUT /users/" << connected->member.user_guid << "/members/" << guid
                   << ") instead of creating one\n";
  } else if (connected->existing) {
    *ctx.env().err << "mxctl: MX already has member " << guid << " for this login ("
                   << connected->member.connection_status
                   << "); reusing it with the credentials MX has\n";
  }
  return stored_by_api(ctx, connected->member,
                       connected->credentials_updated ? "repaired"
                       : connected->existing          ? "reused"
                                                      : "created");
}

// --reconnect MEMBER --credential ...: the repair by API.
int reconnect_by_api(Context& ctx, mxclient::ConnectFlow& flow, const std::string& app_user,
                     const std::string& member_guid) {
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  auto member = mx->store.find_member(member_guid);
  if (!member) return ctx.fail(member.error());
  if (!*member) {
    return ctx.fail(mxclient::make_error(mxclient::ErrorKind::kNotFound,
                                         "member " + member_guid + " is not stored"));
  }
  if ((*member)->app_user_id != app_user) {
    return ctx.usage("member " + member_guid + " is app user " + (*member)->app_user_id +
                     "'s, not " + app_user + "'s");
  }
  auto credentials = credentials_from(ctx, mx->api, (*member)->institution_code);
  if (!credentials) return ctx.fail(credentials.error());
  auto updated = flow.update_credentials(member_guid, *credentials);
  if (!updated) return ctx.fail(updated.error());
  *ctx.env().err << "mxctl: updated the credentials of member " << member_guid << " (was "
                 << ((*member)->connection_status.empty() ? "null" : (*member)->connection_status)
                 << ")\n";
  return stored_by_api(ctx, *updated, "repaired");
}

}  // namespace

int cmd_enroll(Context& ctx) {
  auto mx = ctx.backend();
  if (!mx) return ctx.fail(mx.error());
  mxclient::Enroller enroller(mx->api, mx->store, ctx.clock());
  auto user = enroller.enrol(ctx.args().args[0], ctx.args().get("email"));
  if (!user) return ctx.fail(user.error());
  ctx.emit({{"app_user_id", user->app_user_id},
            {"user_guid", user->user_guid},
            {"created_at", format_time(user->created_at)}},
           "app user " + user->app_user_id + " is MX user " + user->user_guid + "\n");
  return kExitOk;
}

int cmd_connect(Context& ctx) {
  const std::string& app_user = ctx.args().args[0];
  const bool by_api = ctx.args().has("credential");
  const int repairs =
      static_cast<int>(ctx.args().has("reconnect")) + static_cast<int>(ctx.args().has("resume"));
  if (repairs > 1) return ctx.usage("use one of --reconnect and --resume");
  if (by_api && ctx.args().has("resume")) {
    return ctx.usage("--credential goes with --institution or --reconnect, not --resume");
  }
  const bool browser = ctx.args().has("browser");
  if (browser && by_api)
    return ctx.usage("--browser and --credential are two ways to connect: use one");
  if (browser && ctx.args().get("platform").value_or("web") != "web") {
    return ctx.usage("--browser embeds the widget in a web page: it needs --platform web");
  }
  if (!browser) {
    for (const char* option : {"port", "open", "browser-timeout"}) {
      if (ctx.args().has(option))
        return ctx.usage(std::string("--") + option + " goes with --browser");
    }
  }
  if (ctx.args().has("watch") && !by_api && !browser) {
    return ctx.usage("--watch goes with --credential or --browser");
  }
  int code = kExitOk;
  auto flow = make_flow(ctx, code);
  if (!flow) return code;
  if (by_api) {
    if (auto member = ctx.args().get("reconnect")) {
      return reconnect_by_api(ctx, *flow, app_user, *member);
    }
    return connect_by_api(ctx, *flow, app_user);
  }

  mxclient::Result<std::string> url = std::string();
  std::string purpose = "connect";
  if (auto member = ctx.args().get("reconnect")) {
    url = flow->reconnect(*member);
    purpose = "reconnect " + *member;
  } else if (auto mfa = ctx.args().get("resume")) {
    url = flow->resume_mfa(*mfa);
    purpose = "resume " + *mfa;
  } else {
    url = flow->connect(app_user, ctx.args().get("institution"));
  }
  if (!url) return ctx.fail(url.error());
  if (browser) return connect_in_browser(ctx, *flow, app_user, *url, purpose);
  ctx.emit({{"app_user_id", app_user},
            {"purpose", purpose},
            {"platform", std::string(mxclient::to_string(flow->config().platform))},
            {"widget_url", *url}},
           *url + "\n");
  return kExitOk;
}

int cmd_callback(Context& ctx) {
  std::string payload = ctx.args().args[1];
  if (payload == "-") {
    payload.assign(std::istreambuf_iterator<char>(*ctx.env().in), std::istreambuf_iterator<char>());
  }
  int code = kExitOk;
  auto flow = make_flow(ctx, code);
  if (!flow) return code;
  auto parsed = mxclient::parse_widget_callback(payload);
  // A payload that is no callback is a bad argument, not MX's or the store's failure.
  if (!parsed) return ctx.usage(parsed.error().message);
  if (parsed->kind == mxclient::CallbackKind::kMemberDeleted) {
    auto forgotten = flow->forget_deleted(ctx.args().args[0], *parsed);
    if (!forgotten) return ctx.fail(forgotten.error());
    ctx.emit({{"member_guid", parsed->member_guid}, {"deleted", *forgotten}},
             "member " + parsed->member_guid +
                 (*forgotten ? " deleted in the widget; removed from the database\n"
                             : " deleted in the widget; it was not stored\n"));
    return kExitOk;
  }
  auto member = flow->complete(ctx.args().args[0], *parsed);
  if (!member) return ctx.fail(member.error());
  if (ctx.args().has("watch")) {
    ctx.progress("stored member " + member->member_guid + "; watching");
    return watch_and_report(ctx, member->member_guid);
  }
  return report_member(ctx, *member, "watching");
}

}  // namespace mxctl
