#include <exception>
#include <ostream>

#include "cli.h"
#include "commands.h"

#ifndef MXCLIENT_VERSION
#define MXCLIENT_VERSION "dev"
#endif

namespace mxctl {

int run(const std::vector<std::string>& args, Environment& env) {
  const auto& table = command_table();
  std::vector<CommandSpec> specs;
  specs.reserve(table.size());
  for (const auto& c : table) specs.push_back(c.spec);

  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) {
    *env.err << "mxctl: " << error << "\n(mxctl --help lists the commands)\n";
    return kExitUsage;
  }
  if (parsed->version) {
    *env.out << "mxctl " << MXCLIENT_VERSION << "\n";
    return kExitOk;
  }
  if (parsed->command == nullptr) {
    *(parsed->help ? env.out : env.err) << render_overview(specs);
    return parsed->help ? kExitOk : kExitUsage;
  }
  if (parsed->help) {
    *env.out << render_command_help(*parsed->command);
    return kExitOk;
  }
  const auto index = static_cast<std::size_t>(parsed->command - specs.data());
  Context ctx(env, *parsed);
  try {
    return table[index].run(ctx);
  } catch (const std::exception& e) {  // the library returns errors; this is the last guard
    *env.err << "mxctl: internal error: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace mxctl
