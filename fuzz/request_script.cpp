#include "request_script.h"

#include <array>
#include <climits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "domain/timestamps.h"

namespace mxemu::fuzz {
namespace {

std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool parse_method(std::string_view word, api::Method& out) {
  static constexpr std::array<std::pair<std::string_view, api::Method>, 7> kMethods = {{
      {"GET", api::Method::kGet},
      {"POST", api::Method::kPost},
      {"PUT", api::Method::kPut},
      {"PATCH", api::Method::kPatch},
      {"DELETE", api::Method::kDelete},
      {"OPTIONS", api::Method::kOptions},
      {"HEAD", api::Method::kHead},
  }};
  for (const auto& [name, m] : kMethods) {
    if (word == name) {
      out = m;
      return true;
    }
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ScriptedRequest> parse_one(std::string_view block) {
  ScriptedRequest r;
  const std::string_view first = next_line(block);
  const auto space = first.find(' ');
  if (space == std::string_view::npos || !parse_method(first.substr(0, space), r.method)) {
    return std::nullopt;
  }
  r.target = std::string(first.substr(space + 1));
  while (!block.empty()) {
    const std::string_view line = next_line(block);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    r.headers.emplace(std::string(trim(line.substr(0, colon))),
                      std::string(trim(line.substr(colon + 1))));
  }
  r.body = std::string(block);
  return r;
}

// The last guid with `prefix` in `body` (the first with `first`), if any.
void learn_one(std::string_view body, std::string_view prefix, std::string& slot,
               bool first = false) {
  const auto at = first ? body.find(prefix) : body.rfind(prefix);
  if (at == std::string_view::npos) return;
  auto end = at + prefix.size();
  while (end < body.size() && body[end] != '"') ++end;
  slot = std::string(body.substr(at, end - at));
}

}  // namespace

std::vector<ScriptedRequest> parse_script(std::string_view input, std::size_t max_requests) {
  std::vector<ScriptedRequest> out;
  while (!input.empty() && out.size() < max_requests) {
    const auto sep = input.find("\n===\n");
    const std::string_view block = input.substr(0, sep);
    input = sep == std::string_view::npos ? std::string_view() : input.substr(sep + 5);
    if (auto r = parse_one(block)) out.push_back(std::move(*r));
  }
  return out;
}

void GuidMemory::learn(std::string_view body) {
  learn_one(body, "USR-", user_);
  learn_one(body, "MBR-", member_);
  learn_one(body, "ACT-", account_);
  learn_one(body, "TRN-", transaction_);
  // A category's own guid comes before its parent_guid (keys are alphabetical).
  learn_one(body, "CAT-", category_, /*first=*/true);
  learn_one(body, "MIC-", micro_deposit_);
}

std::string GuidMemory::substitute(std::string_view text) const {
  const std::array<std::pair<std::string_view, const std::string*>, 6> kinds = {
      {{"{user}", &user_},
       {"{member}", &member_},
       {"{account}", &account_},
       {"{transaction}", &transaction_},
       {"{category}", &category_},
       {"{micro_deposit}", &micro_deposit_}}};
  std::string out(text);
  for (const auto& [placeholder, value] : kinds) {
    for (auto at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + value->size())) {
      out.replace(at, placeholder.size(), *value);
    }
  }
  return out;
}

std::int64_t clock_move(std::string_view target, const std::string& body,
                        std::int64_t now_seconds) {
  const bool advance = target.rfind("/_emulator/clock/advance", 0) == 0;
  const bool set = target.rfind("/_emulator/clock/set", 0) == 0;
  if (!advance && !set) return 0;
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return 0;
  if (set) {
    const auto time = j.find("time");
    if (time == j.end() || !time->is_string()) return 0;
    const auto to = domain::parse_iso8601(time->get<std::string>());
    return to ? domain::unix_seconds(*to) - now_seconds : 0;
  }
  std::int64_t moved = 0;
  for (const auto& [key, factor] : {std::pair<const char*, std::int64_t>{"seconds", 1},
                                    {"minutes", 60},
                                    {"hours", 3600},
                                    {"days", 86400}}) {
    const auto it = j.find(key);
    if (it != j.end() && it->is_number_integer() && it->get<std::int64_t>() > 0 &&
        it->get<std::int64_t>() <= INT32_MAX) {
      moved += it->get<std::int64_t>() * factor;
    }
  }
  return moved;
}

}  // namespace mxemu::fuzz
