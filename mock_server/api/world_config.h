#pragma once

#include <string>

#include "domain/emulator.h"

namespace mxemu::api {

// What makes one emulated MX client (a tenant): its credentials, the emulator's rules and the
// service-level policies around them.
struct WorldConfig {
  std::string client_id = "mxemu-client-id";
  std::string api_key = "mxemu-api-key";
  domain::EmulatorOptions emulator;
  // 406 for requests that name no version at all, instead of defaulting to v20111101.
  bool strict_version = false;
  // MX's per-client limit (100/min for startups); 0 disables it. Counted in emulator time.
  int rate_limit_per_minute = 0;
};

}  // namespace mxemu::api
