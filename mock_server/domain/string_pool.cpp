#include "domain/string_pool.h"

namespace mxemu::domain {

StringPool::Id StringPool::intern(std::string_view text) {
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  strings_.emplace_back(text);
  const auto id = static_cast<Id>(strings_.size());
  ids_.emplace(strings_.back(), id);
  return id;
}

const std::string& StringPool::view(Id id) const {
  static const std::string kEmpty;
  return id == kNone ? kEmpty : strings_[id - 1];
}

std::optional<std::string> StringPool::optional(Id id) const {
  if (id == kNone) return std::nullopt;
  return strings_[id - 1];
}

}  // namespace mxemu::domain
