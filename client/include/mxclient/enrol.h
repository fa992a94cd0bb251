#pragma once

#include <optional>
#include <string>

#include "mxclient/mx_api.h"
#include "mxclient/result.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// Step 1 of the flow: one MX user per app user.
namespace mxclient {

// Creates the MX user for an app user once and remembers its guid.
//
// Thread safety: enrol() may run concurrently for the same app user: MxApi::create_user is
// idempotent on the partner id and Store::upsert_end_user on (app user, guid), so both callers
// get the same guid. Ownership: `api`, `store` and `clock` must outlive this object.
class Enroller {
 public:
  Enroller(MxApi& api, Store& store, const Clock& clock)
      : api_(api), store_(store), clock_(clock) {}

  // The app user's stored record if enrolled (no MX call); otherwise creates the MX user with
  // partner id = `app_user_id` (and `email` if given), stores it and returns it.
  // Errors: kInvalidInput for an empty app_user_id; MxApi's errors; kStorage.
  Result<EndUserRecord> enrol(const std::string& app_user_id,
                              const std::optional<std::string>& email = std::nullopt);

 private:
  MxApi& api_;
  Store& store_;
  const Clock& clock_;
};

}  // namespace mxclient
