#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mxemu::domain::store_detail {

// The Store's short per-user lists (custom categories, tags, taggings, transaction rules): a
// vector per user guid in creation order, searched linearly, since a user has a handful. T has
// `guid` and `user_guid`. Thread safety: none; the Store's owner serialises access.
template <class T>
class PerUser {
 public:
  T& add(T item) {
    auto& list = by_user_[item.user_guid];
    list.push_back(std::move(item));
    return list.back();
  }
  // nullptr unless `guid` is one of the user's.
  T* find(std::string_view user_guid, std::string_view guid) {
    const auto it = by_user_.find(std::string(user_guid));
    if (it == by_user_.end()) return nullptr;
    for (auto& item : it->second) {
      if (item.guid == guid) return &item;
    }
    return nullptr;
  }
  const std::vector<T>& of(std::string_view user_guid) const {
    static const std::vector<T> kNone;
    const auto it = by_user_.find(std::string(user_guid));
    return it == by_user_.end() ? kNone : it->second;
  }
  // Drops the user's items for which `drop` holds; a user left with none loses its entry.
  template <class Pred>
  void erase_if(std::string_view user_guid, Pred drop) {
    const auto it = by_user_.find(std::string(user_guid));
    if (it == by_user_.end()) return;
    auto& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(), drop), list.end());
    if (list.empty()) by_user_.erase(it);
  }
  void erase(std::string_view user_guid, std::string_view guid) {
    erase_if(user_guid, [&](const T& item) { return item.guid == guid; });
  }
  void erase_user(const std::string& user_guid) { by_user_.erase(user_guid); }
  void clear() { by_user_.clear(); }

 private:
  std::unordered_map<std::string, std::vector<T>> by_user_;
};

}  // namespace mxemu::domain::store_detail
