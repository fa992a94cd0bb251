#include "storage/tenant_config_codec.h"

#include <string>
#include <utility>

namespace mxemu::storage {
namespace {

using nlohmann::json;

json policy_json(const domain::StormPolicy& p) {
  return {{"max_aggregations", p.max_aggregations}, {"window", p.window.count()}};
}

// Reads typed fields out of one JSON object, remembering the first that is wrong.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) fail("");
  }
  template <class T>
  void get(const char* key, T& out) {
    if (!ok()) return;
    const auto it = object_.find(key);
    if (it == object_.end()) return fail(key);
    try {
      out = it->get<T>();
    } catch (const json::exception&) {
      fail(key);
    }
  }
  void seconds(const char* key, domain::Seconds& out) {
    long long n = 0;
    get(key, n);
    out = domain::Seconds{n};
  }
  void policy(const char* key, domain::StormPolicy& out) {
    if (!ok()) return;
    const auto it = object_.find(key);
    if (it == object_.end()) return fail(key);
    Reader r(*it, where_ + "/" + key);
    r.get("max_aggregations", out.max_aggregations);
    r.seconds("window", out.window);
    if (!r.ok()) bad_ = r.bad_;
  }
  const json& object() const { return object_; }
  bool ok() const { return bad_.empty(); }
  const std::string& bad() const { return bad_; }
  void fail(const std::string& key) {
    if (ok()) bad_ = where_ + "/" + key;
  }

 private:
  const json& object_;
  std::string where_;
  std::string bad_;
};

}  // namespace

json encode_tenant_config(const api::WorldConfig& c) {
  const domain::EmulatorOptions& e = c.emulator;
  json by_institution = json::object();
  for (const auto& [code, p] : e.storm_by_institution) by_institution[code] = policy_json(p);
  return {
      {"client_id", c.client_id},
      {"api_key", c.api_key},
      {"strict_version", c.strict_version},
      {"journal_size", c.journal_size},
      {"journal_body_bytes", c.journal_body_bytes},
      {"limits",
       {{"per_minute", c.limits.per_minute},
        {"per_user_per_minute", c.limits.per_user_per_minute},
        {"per_member_per_minute", c.limits.per_member_per_minute}}},
      {"emulator",
       {{"job_duration", e.job_duration.count()},
        {"degraded_window", e.degraded_window.count()},
        {"disconnected_after", e.disconnected_after.count()},
        {"pending_oauth_ttl", e.pending_oauth_ttl.count()},
        {"balance_check_window", e.balance_check_window.count()},
        {"widget_url_ttl", e.widget_url_ttl.count()},
        {"background_interval", e.background_interval.count()},
        {"background_aggregation", e.background_aggregation},
        {"throttle_after_success_only", e.throttle_after_success_only},
        {"max_members_per_user", e.max_members_per_user},
        {"max_users", e.max_users},
        {"initial_history_days", e.initial_history_days},
        {"extended_history_days", e.extended_history_days},
        {"event_log_capacity", e.event_log_capacity},
        {"seed", e.seed},
        {"storm", policy_json(e.storm)},
        {"storm_by_institution", by_institution}}},
  };
}

domain::Result<api::WorldConfig> decode_tenant_config(const json& value) {
  api::WorldConfig c;
  Reader r(value, "");
  r.get("client_id", c.client_id);
  r.get("api_key", c.api_key);
  r.get("strict_version", c.strict_version);
  r.get("journal_size", c.journal_size);
  if (value.contains("journal_body_bytes")) r.get("journal_body_bytes", c.journal_body_bytes);
  if (r.ok() && value.contains("limits")) {
    Reader l(value["limits"], "/limits");
    l.get("per_minute", c.limits.per_minute);
    l.get("per_user_per_minute", c.limits.per_user_per_minute);
    l.get("per_member_per_minute", c.limits.per_member_per_minute);
    if (!l.ok()) r.fail(l.bad().substr(1));
  } else {
    r.fail("limits");
  }
  if (r.ok() && value.contains("emulator")) {
    domain::EmulatorOptions& e = c.emulator;
    Reader o(value["emulator"], "/emulator");
    o.seconds("job_duration", e.job_duration);
    o.seconds("degraded_window", e.degraded_window);
    o.seconds("disconnected_after", e.disconnected_after);
    o.seconds("pending_oauth_ttl", e.pending_oauth_ttl);
    o.seconds("balance_check_window", e.balance_check_window);
    o.seconds("widget_url_ttl", e.widget_url_ttl);
    o.seconds("background_interval", e.background_interval);
    o.get("background_aggregation", e.background_aggregation);
    o.get("throttle_after_success_only", e.throttle_after_success_only);
    o.get("max_members_per_user", e.max_members_per_user);
    o.get("max_users", e.max_users);
    o.get("initial_history_days", e.initial_history_days);
    o.get("extended_history_days", e.extended_history_days);
    o.get("event_log_capacity", e.event_log_capacity);
    o.get("seed", e.seed);
    o.policy("storm", e.storm);
    if (o.ok()) {
      const auto it = o.object().find("storm_by_institution");
      if (it == o.object().end() || !it->is_object()) {
        o.fail("storm_by_institution");
      } else {
        Reader by(*it, "/emulator/storm_by_institution");
        for (const auto& item : it->items()) {
          domain::StormPolicy p;
          by.policy(item.key().c_str(), p);
          e.storm_by_institution[item.key()] = p;
        }
        if (!by.ok()) o.fail(by.bad().substr(std::string("/emulator/").size()));
      }
    }
    if (!o.ok()) r.fail(o.bad().substr(1));
  } else {
    r.fail("emulator");
  }
  if (!r.ok()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "tenant config: missing or invalid field " + r.bad());
  }
  return c;
}

}  // namespace mxemu::storage
