#include <exception>
#include <ostream>

#include "cli.h"
#include "commands.h"
#include "context.h"

#ifndef MXCLIENT_VERSION
#define MXCLIENT_VERSION "dev"
#endif

namespace mxctl {
namespace {

// Whether the command line asks for JSON, read before (or without) parsing it: a command line
// that does not parse still gets its error as JSON.
bool wants_json(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "--json") return true;
  }
  return false;
}

int early_error(Environment& env, bool json, std::string_view code, const std::string& message,
                int exit_code) {
  *env.err << "mxctl: " << message << "\n";
  if (exit_code == kExitUsage) *env.err << "(mxctl --help lists the commands)\n";
  if (json) *env.out << error_json(code, message, exit_code).dump() << "\n";
  return exit_code;
}

}  // namespace

int run(const std::vector<std::string>& args, Environment& env) {
  const auto& table = command_table();
  std::vector<CommandSpec> specs;
  specs.reserve(table.size());
  for (const auto& c : table) specs.push_back(c.spec);

  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return early_error(env, wants_json(args), "usage", error, kExitUsage);
  if (parsed->version) {
    *env.out << "mxctl " << MXCLIENT_VERSION << "\n";
    return kExitOk;
  }
  if (parsed->command == nullptr) {
    if (parsed->help) {
      *env.out << render_overview(specs);
      return kExitOk;
    }
    if (parsed->has("json")) return early_error(env, true, "usage", "no command given", kExitUsage);
    *env.err << render_overview(specs);
    return kExitUsage;
  }
  if (parsed->help) {
    *env.out << render_command_help(*parsed->command);
    return kExitOk;
  }
  const auto index = static_cast<std::size_t>(parsed->command - specs.data());
  Context ctx(env, *parsed);
  if (auto bad = check_global_values(*parsed)) return ctx.usage(*bad);
  try {
    return table[index].run(ctx);
  } catch (const std::exception& e) {  // the library returns errors; this is the last guard
    return early_error(env, parsed->has("json"), "internal",
                       std::string("internal error: ") + e.what(), kExitError);
  }
}

}  // namespace mxctl
