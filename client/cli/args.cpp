#include "args.h"

#include <algorithm>
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

}  // namespace

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
      {"timeout", "SECONDS", "per-request HTTP timeout (default 30)"},
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
         "out, 7 not found.\n\nRun 'mxctl COMMAND --help' for a command's arguments and "
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
