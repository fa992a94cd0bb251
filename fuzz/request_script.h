#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"

namespace mxemu::fuzz {

// One request of a fuzz input. The input is a script of requests separated by a line "===":
//   METHOD TARGET
//   Header: value        (any number)
//                        (blank line)
//   body...
// `{user}`, `{member}`, `{account}`, `{transaction}`, `{category}`, `{micro_deposit}` in a
// target, header value or body stand for the most recent guid of that kind the world answered,
// and `{code}`, `{token}` for a processor's authorization code and access token, so a few bytes
// reach deep routes.
struct ScriptedRequest {
  api::Method method = api::Method::kGet;
  std::string target;
  api::Headers headers;
  std::string body;
};

// Splits `input` into at most `max_requests` requests; bytes that make no request are skipped.
std::vector<ScriptedRequest> parse_script(std::string_view input, std::size_t max_requests);

// Remembers guids seen in responses and substitutes the placeholders.
class GuidMemory {
 public:
  void learn(std::string_view response_body);
  std::string substitute(std::string_view text) const;

 private:
  std::string user_, member_, account_, transaction_, category_, micro_deposit_;
  std::string code_, token_;  // a processor's authorization code and access token
};

// How far a control call would move emulated time, in seconds: a clock advance (`seconds`,
// `minutes`, `hours`, `days`) or set (`time`), read the way the control API reads it, from an
// emulated time of `now_seconds` (Unix); 0 for any other target or a body it would refuse. The
// harnesses bound each input's emulated time with it: every emulated day costs every connected
// member a background aggregation, so centuries are minutes of honest work, not a hang.
std::int64_t clock_move(std::string_view target, const std::string& body, std::int64_t now_seconds);

}  // namespace mxemu::fuzz
