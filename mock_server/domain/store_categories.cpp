// The Store's custom categories (per_user_lists.h).
#include "domain/per_user_lists.h"
#include "domain/store.h"

namespace mxemu::domain {

using store_detail::erase_from;
using store_detail::find_in;
using store_detail::list_of;

CustomCategory& Store::add_category(CustomCategory category) {
  auto& list = categories_[category.user_guid];
  list.push_back(std::move(category));
  return list.back();
}

CustomCategory* Store::find_category(std::string_view user_guid, std::string_view guid) {
  return find_in(categories_, user_guid, guid);
}

const std::vector<CustomCategory>& Store::categories_of(std::string_view user_guid) const {
  return list_of(categories_, user_guid);
}

void Store::remove_category(std::string_view user_guid, std::string_view guid) {
  erase_from(categories_, user_guid, [&](const CustomCategory& c) { return c.guid == guid; });
}

}  // namespace mxemu::domain
