#include "domain/processor_token.h"

#include <optional>
#include <utility>

#include "domain/ids.h"

namespace mxemu::domain {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Error scope_invalid(std::string_view part) {
  return refuse(ErrorCode::kBadRequest, Reason::kProcessorScopeInvalid, {std::string(part)});
}

// Sets `slot` from "key:value" when `part` starts with `key`; an empty value or a second
// occurrence is an error. False when the part is another key.
bool take_guid(std::string_view part, std::string_view key, std::string& slot,
               std::optional<Error>& error) {
  if (part.substr(0, key.size()) != key) return false;
  const std::string_view value = part.substr(key.size());
  if (value.empty() || !slot.empty()) {
    error = scope_invalid(part);
  } else {
    slot = std::string(value);
  }
  return true;
}

}  // namespace

std::string to_text(const ProcessorScope& scope) {
  std::string out;
  const auto add = [&out](std::string_view part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (!scope.user_guid.empty()) add("user-guid:" + scope.user_guid);
  if (!scope.member_guid.empty()) add("member-guid:" + scope.member_guid);
  if (!scope.account_guid.empty()) add("account-guid:" + scope.account_guid);
  if (scope.read_protected) add("read-protected");
  return out;
}

Result<ProcessorScope> parse_processor_scope(std::string_view text) {
  ProcessorScope scope;
  bool read_protected_seen = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    const std::string_view part = text.substr(i, end - i);
    i = end;
    std::optional<Error> error;
    if (take_guid(part, "user-guid:", scope.user_guid, error) ||
        take_guid(part, "member-guid:", scope.member_guid, error) ||
        take_guid(part, "account-guid:", scope.account_guid, error)) {
      if (error) return *error;
      continue;
    }
    if (part != "read-protected" || read_protected_seen) return scope_invalid(part);
    read_protected_seen = true;
    scope.read_protected = true;
  }
  if (scope.user_guid.empty()) {
    return refuse(ErrorCode::kBadRequest, Reason::kProcessorScopeNeedsUser);
  }
  if (!scope.account_guid.empty() && scope.member_guid.empty()) {
    return scope_invalid("account-guid:" + scope.account_guid);
  }
  return scope;
}

std::string processor_guid(std::string_view processor_id) {
  return derived_guid("PPR", stable_digest(processor_id), 0x5050520000000001ULL);
}

std::string opaque_token(std::uint64_t seed, std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve(length);
  std::uint64_t word = 0;
  int left = 0;  // 6-bit digits left in `word`
  while (out.size() < length) {
    if (left == 0) {
      seed = mix64(seed);
      word = seed;
      left = 10;
    }
    out += kAlphabet[word & 0x3fU];
    word >>= 6U;
    --left;
  }
  return out;
}

}  // namespace mxemu::domain
