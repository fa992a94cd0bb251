#include "args.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <sstream>

namespace mxctl {
namespace {

const OptionSpec* find_option(const std::vector<OptionSpec>& specs, std::string_view name) {
  auto it =
      std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& o) { return o.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

// Commands are matched on their first word, then (for "webhooks serve") the second.
const CommandSpec* find_command(const std::vector<CommandSpec>& commands,
                                const std::vector<std::string>& words, std::size_t& used) {
  if (words.empty()) return nullptr;
  for (const auto& c : commands) {
    const auto space = c.name.find(' ');
    if (space == std::string_view::npos) {
      if (c.name == words[0]) {
        used = 1;
        return &c;
      }
    } else if (words.size() >= 2 && c.name.substr(0, space) == words[0] &&
               c.name.substr(space + 1) == words[1]) {
      used = 2;
      return &c;
    }
  }
  return nullptr;
}

void render_options(std::ostringstream& out, const std::vector<OptionSpec>& options) {
  std::size_t width = 0;
  auto head = [](const OptionSpec& o) {
    std::string h = "--" + std::string(o.name);
    if (!o.metavar.empty()) h += " " + std::string(o.metavar);
    return h;
  };
  for (const auto& o : options) width = std::max(width, head(o).size());
  for (const auto& o : options) {
    const std::string h = head(o);
    out << "  " << h << std::string(width - h.size() + 2, ' ') << o.help;
    if (o.repeatable) out << " (repeatable)";
    out << "\n";
  }
}

bool whole_number(std::string_view v, long long max, long long& out) {
  if (v.empty() || v.size() > 10) return false;
  out = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return out <= max;
}

// A plain decimal: digits, at most one '.', no sign, exponent, "inf" or "nan".
bool plain_number(std::string_view v, double max, double& out) {
  if (v.empty() || v.size() > 20 || v == ".") return false;
  bool dot = false;
  for (char c : v) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  out = std::strtod(std::string(v).c_str(), nullptr);
  return out <= max;
}

bool calendar_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  long long y = 0;
  long long m = 0;
  long long d = 0;
  if (!whole_number(v.substr(0, 4), 9999, y) || !whole_number(v.substr(5, 2), 12, m) ||
      !whole_number(v.substr(8, 2), 31, d) || m < 1 || d < 1) {
    return false;
  }
  constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[static_cast<std::size_t>(m - 1)] && (m != 2 || d <= 28 || leap);
}

}  // namespace

std::optional<std::string> check_value(ValueKind kind, std::string_view value) {
  constexpr long long kMaxCount = 1000000000;
  long long n = 0;
  double x = 0;
  switch (kind) {
    case ValueKind::kText:
      return std::nullopt;
    case ValueKind::kCount:
      if (whole_number(value, kMaxCount, n)) return std::nullopt;
      return "a whole number from 0 to 1000000000";
    case ValueKind::kPositiveCount:
      if (whole_number(value, kMaxCount, n) && n > 0) return std::nullopt;
      return "a whole number from 1 to 1000000000";
    case ValueKind::kNumber:
      if (plain_number(value, 1e9, x)) return std::nullopt;
      return "a number from 0 to 1000000000";
    case ValueKind::kPositiveNumber:
      if (plain_number(value, 1e9, x) && x > 0) return std::nullopt;
      return "a number above 0, up to 1000000000";
    case ValueKind::kPort:
      if (whole_number(value, 65535, n)) return std::nullopt;
      return "a port number from 0 to 65535";
    case ValueKind::kDate:
      if (calendar_date(value)) return std::nullopt;
      return "a date as YYYY-MM-DD";
  }
  return std::nullopt;
}

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> kGlobal = {
      {"base-url", "URL", "MX API base URL (env MX_BASE_URL; default http://127.0.0.1:8089)"},
      {"client-id", "ID", "MX client_id (env MX_CLIENT_ID)"},
      {"api-key", "KEY", "MX api_key (env MX_API_KEY)"},
      {"api-version", "VERSION", "v20111101 (default) or v20250224"},
      {"db", "PATH", "SQLite database (env MXCTL_DB; default ./mxctl.db)"},
      {"timeout", "SECONDS", "per-request HTTP timeout (default 30)", false,
       ValueKind::kPositiveNumber},
      {"max-pages", "N", "stop any MX list after N pages (default 1000)", false,
       ValueKind::kPositiveCount},
      {"json", "", "print the result as one JSON object on stdout"},
      {"quiet", "", "no progress lines on stderr"},
      {"help", "", "show help"},
  };
  return kGlobal;
}

std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands, std::string& error) {
  ParsedArgs out;
  std::vector<std::string> words;  // the command's words and its positional arguments
  std::vector<std::pair<std::string, std::optional<std::string>>> raw;
  bool options_done = false;
  std::size_t used = 0;  // how many of `words` name the command
  // Whether --name takes a value: a global option, the command's (once known), or, before the
  // command appears, any command's option of that name.
  auto takes_value = [&](const std::string& name, const CommandSpec* command) {
    if (const auto* g = find_option(global_options(), name)) return !g->metavar.empty();
    if (command != nullptr) {
      if (const auto* o = find_option(command->options, name)) return !o->metavar.empty();
      return false;
    }
    for (const auto& c : commands) {
      if (const auto* o = find_option(c.options, name)) return !o->metavar.empty();
    }
    return false;
  };
  const CommandSpec* command = nullptr;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool is_option = !options_done && a.size() > 2 && a.rfind("--", 0) == 0;
    if (!options_done && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && (a == "-h")) {
      out.help = true;
      continue;
    }
    if (!options_done && a.size() >= 2 && a[0] == '-' && a[1] != '-') {
      error = "unknown option '" + a + "' (options are spelled --name)";
      return std::nullopt;
    }
    if (!is_option) {
      words.push_back(a);
      if (command == nullptr) command = find_command(commands, words, used);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (!value && takes_value(name, command)) {
      if (i + 1 >= args.size()) {
        error = "option --" + name + " needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    raw.emplace_back(std::move(name), std::move(value));
  }
  if (command == nullptr) command = find_command(commands, words, used);

  for (auto& [name, value] : raw) {
    if (name == "help") {
      out.help = true;
      continue;
    }
    if (name == "version") {
      out.version = true;
      continue;
    }
    const OptionSpec* spec = find_option(global_options(), name);
    if (spec == nullptr && command != nullptr) spec = find_option(command->options, name);
    if (spec == nullptr) {
      error = "unknown option --" + name +
              (command != nullptr ? " for '" + std::string(command->name) + "'" : "");
      return std::nullopt;
    }
    if (spec->metavar.empty() && value) {
      error = "option --" + name + " takes no value";
      return std::nullopt;
    }
    if (value) {
      if (auto bad = check_value(spec->kind, *value)) {
        error = "option --" + name + " needs " + *bad + ", not '" + *value + "'";
        return std::nullopt;
      }
    }
    auto& slot = out.options[name];
    if (!slot.empty() && !spec->repeatable && !spec->metavar.empty()) slot.clear();
    slot.push_back(value.value_or(""));
  }

  if (words.empty()) return out;
  if (command == nullptr) {
    error = "unknown command '" + words[0] + "'";
    if (words[0] == "webhooks") error = "'webhooks' needs a verb: webhooks serve";
    return std::nullopt;
  }
  out.command = command;
  out.args.assign(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());
  if (out.help) return out;
  const auto n = static_cast<int>(out.args.size());
  if (n < command->min_args || n > command->max_args) {
    error = "'" + std::string(command->name) + "' takes " +
            (command->min_args == command->max_args
                 ? std::to_string(command->min_args)
                 : std::to_string(command->min_args) + " to " + std::to_string(command->max_args)) +
            " argument(s), got " + std::to_string(n) + ": mxctl " + std::string(command->name) +
            " " + std::string(command->synopsis);
    return std::nullopt;
  }
  return out;
}

std::string render_overview(const std::vector<CommandSpec>& commands) {
  std::ostringstream out;
  out << "mxctl: the MX Platform API integration (users, Connect, status, MFA, sync, refresh)\n\n"
         "Usage: mxctl [options] COMMAND [ARGS] [options]\n\nCommands:\n";
  std::size_t width = 0;
  for (const auto& c : commands) width = std::max(width, c.name.size());
  for (const auto& c : commands) {
    out << "  " << c.name << std::string(width - c.name.size() + 2, ' ') << c.summary << "\n";
  }
  out << "\nOptions (every command):\n";
  render_options(out, global_options());
  out << "  --version"
      << "   print the version\n";
  out << "\nExit codes: 0 ok, 1 error (MX, network, storage), 2 usage, 3 the member needs the\n"
         "end user, 4 retry later (MX-side trouble), 5 gave up (closed/discontinued), 6 timed\n"
         "out, 7 not found, 8 categories the mapping does not cover.\n\nRun 'mxctl COMMAND --help' "
         "for a command's arguments and "
         "options.\n";
  return out.str();
}

std::string render_command_help(const CommandSpec& command) {
  std::ostringstream out;
  out << "Usage: mxctl " << command.name << " " << command.synopsis << "\n\n"
      << command.summary << "\n";
  if (!command.details.empty()) out << "\n" << command.details << "\n";
  if (!command.options.empty()) {
    out << "\nOptions:\n";
    render_options(out, command.options);
  }
  out << "\nGlobal options:\n";
  render_options(out, global_options());
  return out.str();
}

}  // namespace mxctl
