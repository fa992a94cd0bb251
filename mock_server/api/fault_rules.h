#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "domain/clock.h"
#include "domain/error.h"

namespace mxemu::api {

// What a matching fault does to a request. Several effects combine: latency then a status, or
// latency then a dropped connection; latency alone lets the request be served late.
struct FaultEffect {
  int status = 0;  // 400-599: answered in MX's error envelope instead of serving; 0: serve
  std::string message;
  std::optional<int> retry_after_seconds;  // Retry-After on the status answer
  int latency_seconds = 0;                 // the tenant's clock moves this far before the answer
  // Over HTTP only: the adapter also waits this long in real time (capped at kMaxRealDelay).
  std::chrono::milliseconds real_delay{0};
  bool drop_connection = false;  // no answer at all; the request is not served
};

// The adapter never waits longer than this for one request.
inline constexpr std::chrono::milliseconds kMaxRealDelay{10000};

// One fault rule of a tenant (POST /_emulator/faults). Every given matcher must hold: method;
// path prefix; the route's pattern text ("/users/{user}/members/{member}") or operation id; the
// user or member guid the path names; the window in emulated time [from, until). A rule with a
// count applies to the next `remaining` requests that match and pass the probability draw, then
// goes away; one without a count lasts until deleted or until its window ends.
struct FaultRule {
  std::uint64_t id = 0;
  std::optional<Method> method;
  std::string path_prefix;  // "" matches every path
  std::string route;        // a route pattern of GET /_emulator/routes, exact; "" = any
  std::string operation_id;
  std::string user;
  std::string member;
  std::optional<domain::TimePoint> from;
  std::optional<domain::TimePoint> until;
  std::optional<int> remaining;
  double probability = 1.0;  // 0 < p <= 1; drawn from `seed`, the same draws on every replay
  std::uint64_t seed = 0;
  std::uint64_t draws = 0;  // candidates seen so far: the index of the next draw
  std::uint64_t hits = 0;   // requests it faulted
  FaultEffect effect;
};

// What a request looks like to the matcher.
struct FaultCandidate {
  Method method = Method::kGet;
  std::string_view path;
  std::string_view route;  // the matched route's pattern text
  std::string_view operation_id;
  std::string_view user;
  std::string_view member;
  domain::TimePoint now;
};

struct FaultHit {
  std::string id;  // "fault-<n>", or "header" for X-Mxemu-Fault
  FaultEffect effect;
};

// A tenant's fault rules, first added first matched. Thread safety: none; the World lock guards it.
class FaultRules {
 public:
  // Adds a rule and returns its id (ids count up from 1 and are never reused).
  std::uint64_t add(FaultRule rule);
  // The first rule that matches and wins its draw; counts it down (a spent rule is removed).
  // Rules whose window has ended are dropped on the way.
  std::optional<FaultHit> match(const FaultCandidate& request);
  const std::vector<FaultRule>& rules() const { return rules_; }
  bool remove(std::uint64_t id);
  void clear() { rules_.clear(); }
  // For snapshots: the id the next rule gets, and the whole state back.
  // REQUIRES: rules' ids increase and are below next_id.
  std::uint64_t next_id() const { return next_id_; }
  void restore(std::vector<FaultRule> rules, std::uint64_t next_id) {
    rules_ = std::move(rules);
    next_id_ = next_id;
  }

 private:
  std::vector<FaultRule> rules_;
  std::uint64_t next_id_ = 1;
};

// The rule a control request body describes (see docs/control-api.md, Faults), or a 400's
// message. `now` resolves `for_seconds`.
domain::Result<FaultRule> parse_fault_rule(const nlohmann::json& body, domain::TimePoint now);
nlohmann::json fault_rule_json(const FaultRule& rule);

// X-Mxemu-Fault: `503`, `429; retry-after=30`, `drop`, `latency=5`, `delay-ms=200`, combined with
// ';'. An error message for a spec it cannot read.
domain::Result<FaultEffect> parse_fault_header(std::string_view spec);

// The answer for an effect's status: MX's error envelope with Retry-After when given.
Response fault_response(const FaultEffect& effect);

}  // namespace mxemu::api
