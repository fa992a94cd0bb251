#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "api/world_snapshot.h"

namespace mxemu::api {

// The snapshot's JSON form (docs/control-api.md, "Snapshot"): one key per struct field, times
// as integer nanoseconds since the Unix epoch, enums by name. encode → decode → encode is the
// identity, and dump() of the result is deterministic (keys sorted).
inline constexpr const char* kSnapshotFormat = "mxemu-snapshot/1";

nlohmann::json encode_snapshot(const WorldSnapshot& snapshot);
// The snapshot, or the first field that is missing, unknown or of the wrong type.
std::variant<WorldSnapshot, domain::SnapshotProblem> decode_snapshot(const nlohmann::json& value);

}  // namespace mxemu::api
