#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mxemu::domain {

// Interns strings as 32-bit ids, so records that repeat the same few hundred values (guids of
// users, members and accounts; categories; merchant descriptions) store 4 bytes per field.
// Id 0 stands for "no value" (an unset optional); the empty string has an id of its own.
// Each intern() is one reference to its string and each release() drops one: a string is freed
// with its last reference and its id is handed out again later, so the pool holds only what
// live records use (a text unique to one record, such as a descriptor with a reference number,
// goes when the record goes).
// Thread safety: none; the owner serialises access.
class StringPool {
 public:
  using Id = std::uint32_t;
  static constexpr Id kNone = 0;

  StringPool() = default;
  StringPool(const StringPool&) = delete;
  // Forgets every string; ids handed out before mean nothing afterwards.
  void clear() {
    ids_.clear();
    strings_.clear();
    refs_.clear();
    free_.clear();
  }
  StringPool& operator=(const StringPool&) = delete;

  // The id of `text`, with one more reference to it.
  Id intern(std::string_view text);
  Id intern_optional(const std::optional<std::string>& text) {
    return text ? intern(std::string_view(*text)) : kNone;
  }
  // Drops one reference taken by intern(). REQUIRES: id is kNone or holds a reference.
  void release(Id id);

  // REQUIRES: id was returned by intern() and still holds a reference (kNone gives the empty
  // string / nullopt).
  const std::string& view(Id id) const;
  std::optional<std::string> optional(Id id) const;

  // The distinct strings held.
  std::size_t size() const { return strings_.size() - free_.size(); }

 private:
  std::deque<std::string> strings_;  // id - 1 → text; a deque keeps addresses stable
  std::vector<std::uint32_t> refs_;  // id - 1 → references; 0: the slot is free
  std::vector<Id> free_;             // ids whose string was released, reused first
  std::unordered_map<std::string_view, Id> ids_;
};

}  // namespace mxemu::domain
