#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mxemu::domain {

// Interns strings as 32-bit ids, so records that repeat the same few hundred values (guids of
// users, members and accounts; categories; merchant descriptions) store 4 bytes per field.
// Id 0 stands for "no value" (an unset optional); the empty string has an id of its own.
// Strings are never released: the pool only grows, by the distinct values ever interned.
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
  }
  StringPool& operator=(const StringPool&) = delete;

  Id intern(std::string_view text);
  Id intern_optional(const std::optional<std::string>& text) {
    return text ? intern(std::string_view(*text)) : kNone;
  }

  // REQUIRES: id was returned by intern() (kNone gives the empty string / nullopt).
  const std::string& view(Id id) const;
  std::optional<std::string> optional(Id id) const;

  std::size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // id - 1 → text; a deque keeps addresses stable
  std::unordered_map<std::string_view, Id> ids_;
};

}  // namespace mxemu::domain
