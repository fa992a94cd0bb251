#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "cli.h"
#include "mxclient/category_mapper.h"
#include "mxclient/mx_api.h"
#include "mxclient/notifier.h"
#include "mxclient/result.h"
#include "mxclient/status_policy.h"
#include "mxclient/store.h"
#include "progress_sleeper.h"

// What every command needs: its parsed arguments, the environment, and the library objects
// built from the global options on first use (so `status` never needs MX credentials and
// `--help` never opens the database).
namespace mxctl {

// The CLI's Notifier: prints each notice as it happens (a line, or nothing with --json) and
// keeps them for the command's JSON result.
class PrintingNotifier final : public mxclient::Notifier {
 public:
  PrintingNotifier(std::ostream& out, bool json) : out_(out), json_(json) {}
  mxclient::Status notify(const mxclient::Notice& notice) override;
  std::vector<mxclient::Notice> sent() const;

 private:
  std::ostream& out_;
  const bool json_;
  mutable std::mutex mutex_;
  std::vector<mxclient::Notice> sent_;
};

class Context {
 public:
  Context(Environment& env, const ParsedArgs& args);

  const ParsedArgs& args() const { return args_; }
  Environment& env() { return env_; }
  bool json() const { return json_; }
  std::ostream& out() const { return *env_.out; }
  const mxclient::Clock& clock() const { return *env_.clock; }
  // The environment's sleeper behind a ProgressSleeper: long waits print a line every 10 s on
  // stderr (not with --quiet).
  mxclient::Sleeper& sleeper() { return sleeper_; }

  // Built on first use; errors are reported through fail().
  mxclient::Result<mxclient::MxApi*> api();
  mxclient::Result<mxclient::Store*> store();
  // Both, for the commands that talk to MX and keep what they learn.
  struct Backend {
    mxclient::MxApi& api;
    mxclient::Store& store;
  };
  mxclient::Result<Backend> backend();
  mxclient::Result<const mxclient::CategoryMapper*> mapper();  // --mapping FILE or the default
  PrintingNotifier& notifier();
  // The stored MX user_guid of an enrolled app user; kNotFound when not enrolled.
  mxclient::Result<std::string> user_guid_of(const std::string& app_user_id);

  // A progress line on stderr (not with --quiet).
  void progress(const std::string& line) const;
  bool quiet() const { return quiet_; }
  // The command ends with `error`: a line on stderr and, with --json, the error object on
  // stdout (error_json) as the command's one result. Returns its exit code.
  int fail(const mxclient::Error& error) const;
  // A usage error, the same way (with the command's synopsis on stderr); returns kExitUsage.
  int usage(const std::string& message) const;
  // An error the command's result reports itself (one member of several failed): the stderr
  // line only. Returns its exit code.
  int warn(const mxclient::Error& error) const;
  // The result: `json` with --json, else `human` (each ends with a newline).
  void emit(const nlohmann::json& json, const std::string& human) const;

  // Integer and number options; nullopt when absent. parse_args has checked their values
  // (OptionSpec::kind), so they parse.
  std::optional<long long> int_option(std::string_view name) const;
  std::optional<double> number_option(std::string_view name) const;

 private:
  std::string setting(std::string_view option, const char* env_name,
                      const std::string& fallback) const;

  Environment& env_;
  const ParsedArgs& args_;
  const bool json_;
  const bool quiet_;
  ProgressSleeper sleeper_;
  std::unique_ptr<mxclient::MxApi> api_;
  std::unique_ptr<mxclient::Store> store_;
  std::optional<mxclient::CategoryMapper> mapper_;
  std::unique_ptr<PrintingNotifier> notifier_;
};

// Exit code for a library error: kNotFound (and MX's 404) → kExitNotFound, else kExitError.
int exit_code_for(const mxclient::Error& error);

// What `--json` prints for an error: {"error":{"code","message","exit_code"[,"http_status"]}}.
// `code` is stable: "usage", "internal", or the error kind ("transport", "http",
// "invalid_reply", "invalid_input", "not_found", "storage", "conflict").
nlohmann::json error_json(std::string_view code, const std::string& message, int exit_code);
nlohmann::json error_json(const mxclient::Error& error);
std::string error_code(mxclient::ErrorKind kind);
// The global options' values parse_args cannot check by kind (--api-version); nullopt if fine.
std::optional<std::string> check_global_values(const ParsedArgs& args);

bool equal_ignoring_case(std::string_view a, std::string_view b);

// JSON and text renderings shared by commands.
std::string format_time(mxclient::TimePoint t);  // ISO-8601 UTC, seconds
// A stored member, with "policy": what the client will do about its status (policy_json).
nlohmann::json member_json(const mxclient::MemberRecord& m);
// The status policy's decision for a stored member (data counted as processed).
mxclient::PolicyDecision decision_for(const mxclient::MemberRecord& m);
nlohmann::json policy_json(const mxclient::PolicyDecision& d);
nlohmann::json notice_json(const mxclient::Notice& n);
std::string error_kind_name(mxclient::ErrorKind kind);

}  // namespace mxctl
