#include "api/fault_rules.h"

#include <algorithm>
#include <cctype>

#include "api/errors.h"
#include "api/splitmix.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using nlohmann::json;

domain::Error bad_rule(std::string message) {
  return domain::make_error(domain::ErrorCode::kBadRequest, std::move(message));
}

bool wins_draw(FaultRule& rule) {
  const std::uint64_t draw = rule.draws++;
  if (rule.probability >= 1.0) return true;
  const double u =
      static_cast<double>(splitmix64(rule.seed * 0x100000001b3ULL + draw) >> 11U) * 0x1.0p-53;
  return u < rule.probability;
}

bool matches(const FaultRule& r, const FaultCandidate& c) {
  if (r.method && *r.method != c.method) return false;
  if (c.path.compare(0, r.path_prefix.size(), r.path_prefix) != 0) return false;
  if (!r.route.empty() && r.route != c.route) return false;
  if (!r.operation_id.empty() && r.operation_id != c.operation_id) return false;
  if (!r.user.empty() && r.user != c.user) return false;
  if (!r.member.empty() && r.member != c.member) return false;
  if (r.from && c.now < *r.from) return false;
  return true;
}

// A non-negative integer field no larger than `max`, or an error naming it.
domain::Result<std::optional<long long>> int_field(const json& body, const char* key,
                                                   long long max) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<long long>();
  if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > max) {
    return bad_rule(std::string(key) + " must be an integer from 0 to " + std::to_string(max) +
                    ".");
  }
  return std::optional<long long>(it->get<long long>());
}

domain::Result<std::string> string_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad_rule(std::string(key) + " must be a string.");
  return it->get<std::string>();
}

domain::Result<std::optional<domain::TimePoint>> time_field(const json& body, const char* key) {
  auto text = string_field(body, key);
  if (!text) return text.error();
  if (text->empty()) return std::optional<domain::TimePoint>();
  auto t = domain::parse_iso8601(*text);
  if (!t) return bad_rule(std::string(key) + " must be an ISO-8601 time.");
  return std::optional<domain::TimePoint>(*t);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<int> small_int(std::string_view s, int max) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v <= max ? std::optional<int>(v) : std::nullopt;
}

constexpr int kMaxLatencySeconds = 86400;

}  // namespace

std::uint64_t FaultRules::add(FaultRule rule) {
  rule.id = next_id_++;
  rules_.push_back(std::move(rule));
  return rules_.back().id;
}

std::optional<FaultHit> FaultRules::match(const FaultCandidate& request) {
  rules_.erase(
      std::remove_if(rules_.begin(), rules_.end(),
                     [&](const FaultRule& r) { return r.until && request.now >= *r.until; }),
      rules_.end());
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!matches(*it, request) || !wins_draw(*it)) continue;
    ++it->hits;
    FaultHit hit{"fault-" + std::to_string(it->id), it->effect};
    if (it->remaining && --*it->remaining <= 0) rules_.erase(it);
    return hit;
  }
  return std::nullopt;
}

bool FaultRules::remove(std::uint64_t id) {
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const auto& r) { return r.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  return true;
}

domain::Result<FaultRule> parse_fault_rule(const json& body, domain::TimePoint now) {
  if (!body.is_object()) return bad_rule("Send a fault object.");
  FaultRule rule;
  auto method = string_field(body, "method");
  if (!method) return method.error();
  if (!method->empty()) {
    rule.method = method_named(*method);
    if (!rule.method) return bad_rule("Unknown method " + *method + ".");
  }
  for (auto [key, out] : {std::pair<const char*, std::string*>{"path_prefix", &rule.path_prefix},
                          {"route", &rule.route},
                          {"operation_id", &rule.operation_id},
                          {"user_guid", &rule.user},
                          {"member_guid", &rule.member},
                          {"message", &rule.effect.message}}) {
    auto v = string_field(body, key);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  auto from = time_field(body, "from");
  if (!from) return from.error();
  auto until = time_field(body, "until");
  if (!until) return until.error();
  rule.from = *from;
  rule.until = *until;
  auto for_seconds = int_field(body, "for_seconds", 366LL * 86400);
  if (!for_seconds) return for_seconds.error();
  if (*for_seconds) {
    if (rule.until) return bad_rule("Send until or for_seconds, not both.");
    if (**for_seconds < 1) return bad_rule("for_seconds must be at least 1.");
    rule.until = rule.from.value_or(now) + domain::Seconds(**for_seconds);
  }
  if (rule.from && rule.until && *rule.until <= *rule.from)
    return bad_rule("until must follow from.");

  auto count = int_field(body, "count", 1000000);
  if (!count) return count.error();
  if (*count) {
    if (**count < 1) return bad_rule("count must be at least 1.");
    rule.remaining = static_cast<int>(**count);
  } else if (!rule.until) {
    rule.remaining = 1;  // today's default: one request, unless a window bounds the rule
  }
  if (auto p = body.find("probability"); p != body.end() && !p->is_null()) {
    if (!p->is_number() || p->get<double>() <= 0.0 || p->get<double>() > 1.0) {
      return bad_rule("probability must be a number in (0, 1].");
    }
    rule.probability = p->get<double>();
  }
  auto seed = int_field(body, "seed", (1LL << 53));
  if (!seed) return seed.error();
  rule.seed = static_cast<std::uint64_t>(seed->value_or(0));

  auto latency = int_field(body, "latency_seconds", kMaxLatencySeconds);
  if (!latency) return latency.error();
  rule.effect.latency_seconds = static_cast<int>(latency->value_or(0));
  auto delay = int_field(body, "real_delay_ms", kMaxRealDelay.count());
  if (!delay) return delay.error();
  rule.effect.real_delay = std::chrono::milliseconds(delay->value_or(0));
  auto retry = int_field(body, "retry_after_seconds", kMaxLatencySeconds);
  if (!retry) return retry.error();
  if (*retry) rule.effect.retry_after_seconds = static_cast<int>(**retry);
  if (auto d = body.find("drop_connection"); d != body.end() && !d->is_null()) {
    if (!d->is_boolean()) return bad_rule("drop_connection must be true or false.");
    rule.effect.drop_connection = d->get<bool>();
  }
  const bool other_effect = rule.effect.drop_connection || rule.effect.latency_seconds > 0 ||
                            rule.effect.real_delay.count() > 0;
  auto status = int_field(body, "status", 599);
  if (!status) return status.error();
  // Today's default: a bare rule answers 503.
  rule.effect.status = static_cast<int>(status->value_or(other_effect ? 0 : 503));
  if (rule.effect.status != 0 && (rule.effect.status < 400 || rule.effect.status > 599)) {
    return bad_rule("status must be 400-599.");
  }
  if (rule.effect.drop_connection && rule.effect.status != 0) {
    return bad_rule("A dropped connection has no status; send one or the other.");
  }
  return rule;
}

json fault_rule_json(const FaultRule& r) {
  json j = {{"id", "fault-" + std::to_string(r.id)},
            {"method", r.method ? json(std::string(to_string(*r.method))) : json()},
            {"path_prefix", r.path_prefix},
            {"route", r.route},
            {"operation_id", r.operation_id},
            {"user_guid", r.user},
            {"member_guid", r.member},
            {"from", r.from ? json(domain::format_iso8601(*r.from)) : json()},
            {"until", r.until ? json(domain::format_iso8601(*r.until)) : json()},
            {"remaining", r.remaining ? json(*r.remaining) : json()},
            {"probability", r.probability},
            {"seed", r.seed},
            {"hits", r.hits},
            {"status", r.effect.status == 0 ? json() : json(r.effect.status)},
            {"message", r.effect.message},
            {"retry_after_seconds",
             r.effect.retry_after_seconds ? json(*r.effect.retry_after_seconds) : json()},
            {"latency_seconds", r.effect.latency_seconds},
            {"real_delay_ms", r.effect.real_delay.count()},
            {"drop_connection", r.effect.drop_connection}};
  return j;
}

domain::Result<FaultEffect> parse_fault_header(std::string_view spec) {
  FaultEffect effect;
  bool any = false;
  while (!spec.empty()) {
    const std::size_t semi = spec.find(';');
    const std::string_view part = trim(spec.substr(0, semi));
    spec = semi == std::string_view::npos ? std::string_view() : spec.substr(semi + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    const std::string_view key = trim(part.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? "" : trim(part.substr(eq + 1));
    std::optional<int> n;
    if (eq == std::string_view::npos && key == "drop") {
      effect.drop_connection = true;
    } else if (eq == std::string_view::npos && (n = small_int(key, 599)) && *n >= 400) {
      effect.status = *n;
    } else if (key == "retry-after" && (n = small_int(value, kMaxLatencySeconds))) {
      effect.retry_after_seconds = *n;
    } else if (key == "latency" && (n = small_int(value, kMaxLatencySeconds))) {
      effect.latency_seconds = *n;
    } else if (key == "delay-ms" &&
               (n = small_int(value, static_cast<int>(kMaxRealDelay.count())))) {
      effect.real_delay = std::chrono::milliseconds(*n);
    } else {
      return bad_rule("X-Mxemu-Fault: cannot read '" + std::string(part) +
                      "'. Send e.g. 503, 429; retry-after=30, drop, latency=5 or delay-ms=200.");
    }
    any = true;
  }
  if (!any) return bad_rule("X-Mxemu-Fault is empty.");
  if (effect.drop_connection && effect.status != 0) {
    return bad_rule("X-Mxemu-Fault: drop and a status exclude each other.");
  }
  if (effect.retry_after_seconds && effect.status == 0) {
    return bad_rule("X-Mxemu-Fault: retry-after goes with a status.");
  }
  return effect;
}

Response fault_response(const FaultEffect& effect) {
  Response r =
      error_response(effect.status, effect.message.empty() ? "Injected fault." : effect.message);
  if (effect.retry_after_seconds) {
    r.headers.emplace_back("Retry-After", std::to_string(*effect.retry_after_seconds));
  }
  return r;
}

}  // namespace mxemu::api
