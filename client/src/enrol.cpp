#include "mxclient/enrol.h"

namespace mxclient {

Result<EndUserRecord> Enroller::enrol(const std::string& app_user_id,
                                      const std::optional<std::string>& email) {
  if (app_user_id.empty()) return make_error(ErrorKind::kInvalidInput, "app user id is empty");
  auto known = store_.find_end_user_by_app_id(app_user_id);
  if (!known) return known.error();
  if (known->has_value()) return **known;

  auto user = api_.create_user(app_user_id, email);
  if (!user) return user.error();
  EndUserRecord record{app_user_id, user->guid, clock_.now()};
  if (auto stored = store_.upsert_end_user(record); !stored) return stored.error();
  // Read back: a concurrent enrol may have stored first, and its created_at is the one kept.
  auto saved = store_.find_end_user_by_app_id(app_user_id);
  if (!saved) return saved.error();
  if (!saved->has_value()) {
    return make_error(ErrorKind::kStorage, "end user " + app_user_id + " vanished after upsert");
  }
  return **saved;
}

}  // namespace mxclient
