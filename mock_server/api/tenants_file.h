#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"

namespace mxemu::api {

struct TenantCredentials {
  std::string client_id;
  std::string api_key;
};

// The tenants a `--tenants FILE` names beside the default one:
//   {"tenants": [{"client_id": "ci-job-1", "api_key": "secret-1"}, …]}
// Comments are allowed. A malformed file is kBadRequest with the JSON pointer of what is wrong.
domain::Result<std::vector<TenantCredentials>> parse_tenants_file(std::string_view text);

}  // namespace mxemu::api
