// The Store's custom categories: a short list per user (MX users make a handful), searched
// linearly.
#include <algorithm>

#include "domain/store.h"

namespace mxemu::domain {

CustomCategory& Store::add_category(CustomCategory category) {
  auto& list = categories_[category.user_guid];
  list.push_back(std::move(category));
  return list.back();
}

CustomCategory* Store::find_category(std::string_view user_guid, std::string_view guid) {
  const auto it = categories_.find(std::string(user_guid));
  if (it == categories_.end()) return nullptr;
  for (auto& c : it->second) {
    if (c.guid == guid) return &c;
  }
  return nullptr;
}

const std::vector<CustomCategory>& Store::categories_of(std::string_view user_guid) const {
  static const std::vector<CustomCategory> kNone;
  const auto it = categories_.find(std::string(user_guid));
  return it == categories_.end() ? kNone : it->second;
}

void Store::remove_category(std::string_view user_guid, std::string_view guid) {
  const auto it = categories_.find(std::string(user_guid));
  if (it == categories_.end()) return;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const CustomCategory& c) { return c.guid == guid; }),
             list.end());
  if (list.empty()) categories_.erase(it);
}

}  // namespace mxemu::domain
