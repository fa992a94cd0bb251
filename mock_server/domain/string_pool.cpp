#include "domain/string_pool.h"

#include <cassert>
#include <utility>

namespace mxemu::domain {

StringPool::Id StringPool::intern(std::string_view text) {
  if (auto it = ids_.find(text); it != ids_.end()) {
    ++refs_[it->second - 1];
    return it->second;
  }
  Id id = kNone;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    strings_[id - 1].assign(text);
    refs_[id - 1] = 1;
  } else {
    strings_.emplace_back(text);
    refs_.push_back(1);
    id = static_cast<Id>(strings_.size());
  }
  ids_.emplace(strings_[id - 1], id);
  return id;
}

void StringPool::release(Id id) {
  if (id == kNone) return;
  assert(refs_[id - 1] > 0);
  if (--refs_[id - 1] != 0) return;
  ids_.erase(std::string_view(strings_[id - 1]));
  std::string().swap(strings_[id - 1]);  // frees the text's memory now
  free_.push_back(id);
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
