#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// mxctl's command-line grammar: `mxctl [options] COMMAND [ARGS] [options]`, options anywhere,
// `--name value` or `--name=value`, `--` ends options. Each command declares its options; the
// global ones are accepted by every command.
namespace mxctl {

// What an option's value must be. parse_args checks it, so a bad value is a usage error
// (exit 2) before any command runs, whatever the command would do with it.
enum class ValueKind {
  kText,            // anything
  kCount,           // a whole number, 0 … 1e9
  kPositiveCount,   // a whole number, 1 … 1e9
  kNumber,          // a number, 0 … 1e9 (fractions allowed): seconds, hours
  kPositiveNumber,  // the same, above 0
  kPort,            // a whole number, 0 … 65535
  kDate,            // YYYY-MM-DD, a real calendar date
};

struct OptionSpec {
  std::string_view name;     // without the dashes: "base-url"
  std::string_view metavar;  // "" for a flag; "URL" for an option with a value
  std::string_view help;
  bool repeatable = false;  // may be given several times (values kept in order)
  ValueKind kind = ValueKind::kText;
};

// nullopt when `value` is a valid `kind`, else why not ("needs a whole number >= 1").
std::optional<std::string> check_value(ValueKind kind, std::string_view value);

struct CommandSpec {
  std::string_view name;      // "watch"; "webhooks serve" for a command with a verb
  std::string_view synopsis;  // "MEMBER_GUID [options]"
  std::string_view summary;   // one line for `mxctl --help`
  std::string_view details;   // paragraphs for `mxctl COMMAND --help`
  std::vector<OptionSpec> options;
  int min_args = 0;
  int max_args = 0;
};

struct ParsedArgs {
  const CommandSpec* command = nullptr;  // nullptr: no command given
  std::vector<std::string> args;         // positional arguments after the command
  std::map<std::string, std::vector<std::string>, std::less<>> options;  // flags: {""}
  bool help = false;
  bool version = false;

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
};

// The options every command takes (--base-url, --db, --json, …).
const std::vector<OptionSpec>& global_options();

// Parses `args` against `commands`. On error: nullopt and `error` says what and where.
std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands, std::string& error);

// `mxctl --help` and `mxctl COMMAND --help`.
std::string render_overview(const std::vector<CommandSpec>& commands);
std::string render_command_help(const CommandSpec& command);

}  // namespace mxctl
