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

// The string value after `key` (a `"name":"` marker) in `body`, compared character by character
// (see GuidMemory::learn), into `slot`; nothing when the body has no such key.
void learn_value(std::string_view body, std::string_view key, std::string& slot) {
  for (std::size_t at = 0; at + key.size() <= body.size(); ++at) {
    std::size_t i = 0;
    while (i < key.size() && body[at + i] == key[i]) ++i;
    if (i != key.size()) continue;
    std::size_t end = at + key.size();
    while (end < body.size() && body[end] != '"') ++end;
    slot.assign(body.data() + at + key.size(), end - at - key.size());
    return;
  }
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
  // One pass over the body, comparing characters: libFuzzer intercepts every memcmp (and a
  // string search is one per candidate) and records it, which made a search per kind over a
  // long list a fifth of an input's time. Each kind keeps its last guid, except categories:
  // a category's own guid comes before its parent_guid (keys are alphabetical), so the first.
  struct Kind {
    std::array<char, 3> prefix;
    std::string* slot;
    bool first;
    std::size_t at;
  };
  constexpr std::size_t kNone = std::string_view::npos;
  std::array<Kind, 6> kinds = {{{{'U', 'S', 'R'}, &user_, false, kNone},
                                {{'M', 'B', 'R'}, &member_, false, kNone},
                                {{'A', 'C', 'T'}, &account_, false, kNone},
                                {{'T', 'R', 'N'}, &transaction_, false, kNone},
                                {{'C', 'A', 'T'}, &category_, true, kNone},
                                {{'M', 'I', 'C'}, &micro_deposit_, false, kNone}}};
  for (std::size_t i = 3; i < body.size(); ++i) {
    if (body[i] != '-') continue;
    for (Kind& k : kinds) {
      if (body[i - 3] == k.prefix[0] && body[i - 2] == k.prefix[1] && body[i - 1] == k.prefix[2]) {
        if (!k.first || k.at == kNone) k.at = i - 3;
        break;
      }
    }
  }
  for (const Kind& k : kinds) {
    if (k.at == kNone) continue;
    std::size_t end = k.at + 4;
    while (end < body.size() && body[end] != '"') ++end;
    k.slot->assign(body.data() + k.at, end - k.at);
  }
  // A processor's code and token come in short answers only.
  if (body.size() > 512) return;
  learn_value(body, "\"code\":\"", code_);
  learn_value(body, "\"authorization_code\":\"", code_);
  learn_value(body, "\"access_token\":\"", token_);
}

std::string GuidMemory::substitute(std::string_view text) const {
  const std::array<std::pair<std::string_view, const std::string*>, 8> kinds = {
      {{"{user}", &user_},
       {"{member}", &member_},
       {"{account}", &account_},
       {"{transaction}", &transaction_},
       {"{category}", &category_},
       {"{micro_deposit}", &micro_deposit_},
       {"{code}", &code_},
       {"{token}", &token_}}};
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
