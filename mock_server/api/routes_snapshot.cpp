// GET/PUT /_emulator/snapshot: the tenant's whole world as JSON, and back (docs/control-api.md,
// "Snapshot"). The world's lock is held by World::serve around both.
#include <variant>

#include "api/errors.h"
#include "api/routes.h"
#include "api/snapshot_codec.h"
#include "api/world.h"
#include "api/world_snapshot.h"

namespace mxemu::api {
namespace {

Response problem_response(const domain::SnapshotProblem& p) {
  return control_response(
      400, {{"error",
             {{"message",
               "Invalid snapshot at " + (p.pointer.empty() ? "/" : p.pointer) + ": " + p.message},
              {"pointer", p.pointer}}}});
}

}  // namespace

Response control_export_snapshot(RouteContext& ctx) {
  return control_response(200, encode_snapshot(snapshot_world(*ctx.world)));
}

Response control_import_snapshot(RouteContext& ctx) {
  auto decoded = decode_snapshot(ctx.body);
  if (auto* problem = std::get_if<domain::SnapshotProblem>(&decoded)) {
    return problem_response(*problem);
  }
  if (auto problem = restore_world(*ctx.world, std::move(std::get<WorldSnapshot>(decoded)))) {
    return problem_response(*problem);
  }
  return control_response(200, {{"clock", clock_json(ctx)}});
}

}  // namespace mxemu::api
