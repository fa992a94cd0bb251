// docs/control-api.openapi.json describes the control API: every control route of the route
// table is in it with its operationId, nothing else is, and its enums are the emulator's tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "api/routes.h"
#include "domain/connection_status.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

json load_spec() {
  std::ifstream in(std::string(MXEMU_SOURCE_DIR) + "/docs/control-api.openapi.json");
  EXPECT_TRUE(in) << "docs/control-api.openapi.json is missing";
  return json::parse(in);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

TEST(ControlOpenApi, DescribesEveryControlRouteWithItsOperationId) {
  const json spec = load_spec();
  ASSERT_EQ(spec["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const Route& r : route_table()) {
    if (r.scope != RouteScope::kControl) continue;
    const std::string path(r.pattern.text());
    const std::string method = lower(to_string(r.method));
    const json* op = nullptr;
    if (spec["paths"].contains(path) && spec["paths"][path].contains(method)) {
      op = &spec["paths"][path][method];
    }
    ASSERT_NE(op, nullptr) << method << " " << path
                           << " is a control route but docs/control-api.openapi.json lacks it";
    EXPECT_EQ((*op)["operationId"], r.operation_id) << method << " " << path;
    EXPECT_FALSE((*op)["summary"].get<std::string>().empty()) << r.operation_id;
    EXPECT_FALSE((*op)["responses"].empty()) << r.operation_id;
  }
}

TEST(ControlOpenApi, DescribesNothingTheRouteTableDoesNotServe) {
  std::set<std::pair<std::string, std::string>> served;
  for (const Route& r : route_table()) {
    if (r.scope == RouteScope::kControl) {
      served.emplace(lower(to_string(r.method)), std::string(r.pattern.text()));
    }
  }
  std::set<std::string> operation_ids;
  const auto spec = load_spec();  // items() of a temporary would dangle
  for (const auto& [path, methods] : spec["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      EXPECT_TRUE(served.count({method, path})) << method << " " << path << " is not served";
      EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second)
          << "operationId " << op["operationId"] << " appears twice";
    }
  }
}

TEST(ControlOpenApi, ConnectionStatusEnumIsTheStatusTable) {
  std::set<std::string> names;
  for (const auto& info : domain::all_statuses()) {
    if (!info.name.empty()) names.emplace(info.name);
  }
  const json e = load_spec()["components"]["schemas"]["ConnectionStatus"]["enum"];
  EXPECT_EQ(e.get<std::set<std::string>>(), names);
  EXPECT_EQ(e.size(), 22U);
}

}  // namespace
}  // namespace mxemu::api
