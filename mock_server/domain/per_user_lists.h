#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// The Store's short per-user lists (custom categories, tags, taggings): a vector per user guid,
// searched linearly, since a user has a handful. Records have a `guid`.
namespace mxemu::domain::store_detail {

template <class T>
using PerUser = std::unordered_map<std::string, std::vector<T>>;

template <class T>
T* find_in(PerUser<T>& by_user, std::string_view user_guid, std::string_view guid) {
  const auto it = by_user.find(std::string(user_guid));
  if (it == by_user.end()) return nullptr;
  for (auto& item : it->second) {
    if (item.guid == guid) return &item;
  }
  return nullptr;
}

template <class T>
const std::vector<T>& list_of(const PerUser<T>& by_user, std::string_view user_guid) {
  static const std::vector<T> kNone;
  const auto it = by_user.find(std::string(user_guid));
  return it == by_user.end() ? kNone : it->second;
}

// Drops the user's items for which `drop` holds; a user left with none loses its entry.
template <class T, class Pred>
void erase_from(PerUser<T>& by_user, std::string_view user_guid, Pred drop) {
  const auto it = by_user.find(std::string(user_guid));
  if (it == by_user.end()) return;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(), drop), list.end());
  if (list.empty()) by_user.erase(it);
}

}  // namespace mxemu::domain::store_detail
