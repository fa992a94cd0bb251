// categories: MX's category list as the app's mapping files it, and what it leaves uncovered.
#include <cstddef>

#include "commands.h"
#include "table.h"

namespace mxctl {
namespace {

nlohmann::json coverage_json(const mxclient::CategoryCoverage& c) {
  return {
      {"guid", c.category.guid},
      {"name", c.category.name},
      {"top_level_category", c.top_level_category},
      {"is_default", c.category.is_default},
      {"is_income", c.category.is_income},
      {"app_category", c.app_category ? nlohmann::json(*c.app_category) : nlohmann::json(nullptr)}};
}

}  // namespace

int cmd_categories(Context& ctx) {
  auto mapper = ctx.mapper();
  if (!mapper) return ctx.fail(mapper.error());
  auto api = ctx.api();
  if (!api) return ctx.fail(api.error());
  mxclient::Result<std::vector<mxclient::MxCategory>> listed = std::vector<mxclient::MxCategory>{};
  if (ctx.args().args.empty()) {
    listed = (*api)->list_default_categories();
  } else {
    auto user = ctx.user_guid_of(ctx.args().args[0]);
    if (!user) return ctx.fail(user.error());
    listed = (*api)->list_categories(*user);
  }
  if (!listed) return ctx.fail(listed.error());

  const auto covered = mxclient::coverage(**mapper, *listed);
  const bool only_uncovered = ctx.args().has("uncovered");
  std::size_t uncovered = 0;
  nlohmann::json rows = nlohmann::json::array();
  std::vector<TableRow> table;
  for (const auto& c : covered) {
    if (!c.app_category) ++uncovered;
    if (only_uncovered && c.app_category) continue;
    rows.push_back(coverage_json(c));
    table.push_back({c.top_level_category, c.category.name, c.category.is_default ? "MX" : "user",
                     c.app_category
                         ? *c.app_category
                         : "(none: default " + std::string((*mapper)->default_category()) + ")",
                     c.category.guid});
  }
  std::string human =
      render_table({"TOP LEVEL", "CATEGORY", "OWNER", "APP CATEGORY", "GUID"}, table);
  human += std::to_string(covered.size()) + " categories, " + std::to_string(uncovered) +
           " not covered by the mapping\n";
  ctx.emit({{"categories", rows}, {"total", covered.size()}, {"uncovered", uncovered}}, human);
  return uncovered == 0 ? kExitOk : kExitIncomplete;
}

}  // namespace mxctl
