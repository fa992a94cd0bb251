#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mxemu::api {

// An immutable string that copies share by reference. The journal holds thousands of entries
// whose paths, guids and response bodies repeat (a client polls one member's status with the
// same path and mostly gets the same body), so its entries hold these and a TextPool makes
// equal texts one allocation. Empty by default.
class SharedText {
 public:
  SharedText() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): stands in for std::string in JournalEntry.
  SharedText(std::string text)
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  SharedText(const char* text) : SharedText(std::string(text)) {}

  const std::string& str() const { return text_ ? *text_ : empty_string(); }
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator const std::string&() const { return str(); }
  bool empty() const { return !text_; }
  std::size_t size() const { return text_ ? text_->size() : 0; }
  // Whether two texts are one allocation (TextPool shared them), for tests.
  bool same_as(const SharedText& other) const { return text_ == other.text_; }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.str() == b.str(); }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const std::string& a, const SharedText& b) { return a == b.str(); }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }
  template <typename T>
  friend bool operator!=(const SharedText& a, const T& b) {
    return !(a == b);
  }
  friend bool operator!=(const std::string& a, const SharedText& b) { return !(a == b); }

 private:
  static const std::string& empty_string();

  std::shared_ptr<const std::string> text_;
};

// Makes equal texts one SharedText. Remembers at most max_texts distinct texts of at most
// max_bytes in all; when a new text would pass either, it forgets every text it remembers
// (whoever holds them keeps them), so its own memory stays bounded however many texts pass.
// Thread safety: none; its owner's lock guards it.
class TextPool {
 public:
  TextPool(std::size_t max_texts, std::size_t max_bytes)
      : max_texts_(max_texts), max_bytes_(max_bytes) {}

  // `text`, or an equal text given out before.
  SharedText share(SharedText text);
  void clear();
  std::size_t texts() const { return texts_.size(); }

 private:
  std::size_t max_texts_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string_view, SharedText> texts_;  // each key views its value's text
};

}  // namespace mxemu::api
