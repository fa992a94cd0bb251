#include "api/shared_text.h"

namespace mxemu::api {

const std::string& SharedText::empty_string() {
  static const std::string empty;
  return empty;
}

SharedText TextPool::share(SharedText text) {
  if (text.empty()) return text;
  if (auto it = texts_.find(text.str()); it != texts_.end()) return it->second;
  if (text.size() > max_bytes_) return text;
  if (texts_.size() >= max_texts_ || bytes_ + text.size() > max_bytes_) clear();
  bytes_ += text.size();
  const std::string_view key = text.str();  // the heap text: stays put while the map holds it
  texts_.emplace(key, text);
  return text;
}

void TextPool::clear() {
  texts_.clear();
  bytes_ = 0;
}

}  // namespace mxemu::api
