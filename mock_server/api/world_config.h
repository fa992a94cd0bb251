#pragma once

#include <cstddef>
#include <string>

#include "api/rate_limits.h"
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
  // MX's per-client limit (100/min for startups) and optional per-user and per-member limits;
  // 0 disables each. Counted in emulator time.
  RateLimits limits;
  // Entries the request journal keeps (the newest); 0 turns the journal off.
  std::size_t journal_size = 10000;
  // Response body bytes the journal keeps across its entries (the newest); older entries keep
  // everything else. Bounds the journal's memory: 10,000 entries of 4 KB pages would be 40 MB.
  std::size_t journal_body_bytes = std::size_t{4} << 20;
};

}  // namespace mxemu::api
