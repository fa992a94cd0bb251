// HTTP fault rules of a tenant under /_emulator/faults (api/fault_rules.h).
#include "api/errors.h"
#include "api/fault_rules.h"
#include "api/routes.h"

namespace mxemu::api {

using nlohmann::json;

Response control_add_fault(RouteContext& ctx) {
  auto rule = parse_fault_rule(ctx.body, ctx.emulator.now());
  if (!rule) return error_response(rule.error());
  const std::uint64_t id = ctx.state.faults.add(std::move(*rule));
  const FaultRule& added = ctx.state.faults.rules().back();
  return control_response(201, {{"id", "fault-" + std::to_string(id)},
                                {"fault", fault_rule_json(added)},
                                {"faults", ctx.state.faults.rules().size()}});
}

Response control_list_faults(RouteContext& ctx) {
  json list = json::array();
  for (const FaultRule& r : ctx.state.faults.rules()) list.push_back(fault_rule_json(r));
  return control_response(200, {{"faults", list}});
}

Response control_clear_faults(RouteContext& ctx) {
  ctx.state.faults.clear();
  return no_content();
}

Response control_delete_fault(RouteContext& ctx) {
  const std::string& name = ctx.params[0];
  constexpr std::string_view kPrefix = "fault-";
  std::uint64_t id = 0;
  const bool numeric = name.size() > kPrefix.size() && name.size() <= kPrefix.size() + 18 &&
                       name.compare(0, kPrefix.size(), kPrefix) == 0 &&
                       name.find_first_not_of("0123456789", kPrefix.size()) == std::string::npos;
  if (numeric) id = std::stoull(name.substr(kPrefix.size()));
  if (!numeric || !ctx.state.faults.remove(id)) {
    return error_response(404, "No fault rule " + name + ".");
  }
  return no_content();
}

}  // namespace mxemu::api
