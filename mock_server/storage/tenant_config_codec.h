#pragma once

#include <nlohmann/json.hpp>

#include "api/world_config.h"
#include "domain/error.h"

namespace mxemu::storage {

// A tenant's credentials and options as the data dir keeps them (docs/persistence.md): every
// field of api::WorldConfig, durations in whole seconds. decode(encode(c)) == c.
// tests/persistence/restart_test.cpp pins the sizes of the structs, so a new option fails the
// build until it is encoded here.
nlohmann::json encode_tenant_config(const api::WorldConfig& config);
// The config, or kBadRequest naming the first field that is missing or of the wrong type.
domain::Result<api::WorldConfig> decode_tenant_config(const nlohmann::json& value);

}  // namespace mxemu::storage
