#include "api/world.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "api/errors.h"
#include "api/request_body.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

// Whether an answered request changed this world, so that it must be saved before the answer
// leaves: a write method answered 2xx. The tenant directory's own routes are saved by Tenants
// (they change another world, or none). Reads that move time (auto time) and the effects of
// time alone are saved with the next write (docs/persistence.md).
bool wrote_world(const Request& request, const Route& route, const Response& response) {
  if (request.method == Method::kGet || request.method == Method::kHead ||
      request.method == Method::kOptions) {
    return false;
  }
  if (route.operation_id == "createTenant" || route.operation_id == "deleteTenant") return false;
  return response.status >= 200 && response.status < 300;
}

// Writes the emulator's present into `out` when it goes out of scope. Declared after a lock
// guard, it runs before the lock is released, on every return path.
class StampOnReturn {
 public:
  StampOnReturn(const domain::Emulator& emulator, std::optional<domain::TimePoint>& out)
      : emulator_(emulator), out_(out) {}
  StampOnReturn(const StampOnReturn&) = delete;
  StampOnReturn& operator=(const StampOnReturn&) = delete;
  ~StampOnReturn() { out_ = emulator_.now(); }

 private:
  const domain::Emulator& emulator_;
  std::optional<domain::TimePoint>& out_;
};

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16U) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8U) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16U;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

std::string basic_authorization(const std::string& client_id, const std::string& api_key) {
  return "Basic " + base64_encode(client_id + ":" + api_key);
}

World::World(const domain::Clock& clock, const FixtureSet& fixtures, WorldConfig config,
             const domain::Clock& wall, WorldStore* store)
    : fixtures_(fixtures),
      wall_(wall),
      clock_(clock),
      client_id_(config.client_id),
      api_key_(config.api_key),
      authorization_(basic_authorization(config.client_id, config.api_key)),
      strict_version_(config.strict_version),
      emulator_(clock_, fixtures.institutions, fixtures.catalog, config.emulator),
      store_(store) {
  state_.journal = Journal(config.journal_size, config.journal_body_bytes);
  state_.config = std::move(config);
}

std::unique_ptr<World> make_world(const domain::Clock& clock, const FixtureSet& fixtures,
                                  WorldConfig config, const domain::Clock* wall,
                                  WorldStore* store) {
  return std::make_unique<World>(clock, fixtures, std::move(config),
                                 wall != nullptr ? *wall : clock, store);
}

domain::Status World::save() {
  if (store_ == nullptr) return domain::ok_status();
  std::lock_guard<std::mutex> lock(mutex());
  return store_->save(*this);
}

void World::reset() {
  clock_.restart();
  emulator_.reset(fixtures_.institutions);
  auto_time_ = false;
  state_.faults.clear();
  {
    std::lock_guard<std::mutex> lock(state_.journal_mutex);
    state_.journal.clear();
  }
  state_.rate_limiter.clear();
  auto subscriptions = state_.webhooks.subscriptions();
  state_.webhooks = WebhookOutbox();
  state_.webhooks.set_subscriptions(std::move(subscriptions), emulator_.last_event_sequence());
}

void World::catch_up() {
  std::lock_guard<std::mutex> lock(mutex());
  retain_unread_events();
  emulator_.catch_up();
}

void World::prefetch_data() {
  std::vector<domain::DataOrder> orders;
  {
    std::lock_guard<std::mutex> lock(mutex());
    orders = emulator_.data_orders();
  }
  if (orders.empty()) return;
  std::vector<domain::PreparedData> made;
  made.reserve(orders.size());
  // The catalog never changes after construction, so it is read without the lock.
  for (const auto& order : orders) made.push_back(domain::prepare_data(order, emulator_.catalog()));
  std::lock_guard<std::mutex> lock(mutex());
  for (auto& data : made) emulator_.stash_prepared(std::move(data));
}

void World::set_base_url(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mutex());
  state_.base_url = base_url;
}

bool World::owns_page_key(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex());
  return emulator_.has_widget(key) || emulator_.member_by_guid(key) != nullptr;
}

bool World::owns_processor_key(std::string_view key) {
  std::lock_guard<std::mutex> lock(mutex());
  return emulator_.store().has_processor_key(key);
}

std::vector<WebhookDelivery> World::take_due_webhooks() {
  std::lock_guard<std::mutex> lock(mutex());
  state_.webhooks.pull(emulator_);
  retain_unread_events();
  return state_.webhooks.due(emulator_.now());
}

WebhookAttempt World::record_webhook(const WebhookDelivery& sent,
                                     const WebhookAttemptResult& result) {
  std::lock_guard<std::mutex> lock(mutex());
  return state_.webhooks.record(sent, result);
}

void World::release_webhook(std::uint64_t delivery_id) {
  std::lock_guard<std::mutex> lock(mutex());
  state_.webhooks.release(delivery_id);
}

std::optional<Response> World::injected_fault(const Request& request, const Route& route,
                                              const std::vector<std::string>& captures,
                                              FaultHit& fault) {
  if (request.has_header("X-Mxemu-Fault")) {
    auto parsed = parse_fault_header(request.header("X-Mxemu-Fault"));
    if (!parsed) return error_response(parsed.error());
    fault = FaultHit{"header", *parsed};
  } else {
    auto capture = [&](std::string_view name) -> std::string_view {
      const int i = route.pattern.capture_index(name);
      return i < 0 ? std::string_view() : captures[static_cast<std::size_t>(i)];
    };
    auto hit =
        state_.faults.match({request.method, request.path, route.pattern.text(), route.operation_id,
                             capture("user"), capture("member"), emulator_.now()});
    if (!hit) return std::nullopt;
    fault = std::move(*hit);
  }
  const FaultEffect* effect = &fault.effect;
  // Latency is the tenant's time passing before the answer: due effects fire meanwhile.
  if (effect->latency_seconds > 0) emulator_.advance(domain::Seconds(effect->latency_seconds));
  std::optional<Response> answer;
  if (effect->drop_connection) {
    answer.emplace();
    answer->status = 0;
    answer->drop_connection = true;
  } else if (effect->status != 0) {
    answer = fault_response(*effect);
  }
  return answer;
}

std::optional<Response> World::rate_limited(const Route& route,
                                            const std::vector<std::string>& captures) {
  auto capture = [&](std::string_view name) {
    const int i = route.pattern.capture_index(name);
    return i < 0 ? std::string() : captures[static_cast<std::size_t>(i)];
  };
  return state_.rate_limiter.admit(state_.config.limits, emulator_.now(), capture("user"),
                                   capture("member"));
}

Response World::serve(const Request& request, const Route& route,
                      const std::vector<std::string>& captures, ApiVersion version,
                      Tenants* tenants) {
  const domain::TimePoint started = wall_.now();
  FaultHit fault;
  std::optional<domain::TimePoint> emulated;
  Response response = serve_route(request, route, captures, version, tenants, fault, emulated);
  if (response.deferred_body) {  // serve_route released the lock
    response.body = response.deferred_body();
    response.deferred_body = nullptr;
  }
  // A fault's real delay holds for a served answer too (latency without a status).
  response.real_delay = fault.effect.real_delay;
  journal(request, &route, captures, version, response, started, std::move(fault.id), emulated);
  return response;
}

void World::retain_unread_events() {
  emulator_.keep_events_after(state_.webhooks.subscriptions().empty()
                                  ? domain::Emulator::kNoEventReader
                                  : state_.webhooks.cursor());
}

Response World::journal_unrouted(const Request& request, Response response) {
  journal(request, nullptr, {}, ApiVersion::kV20111101, response, wall_.now(), "", std::nullopt);
  return response;
}

Response World::serve_route(const Request& request, const Route& route,
                            const std::vector<std::string>& captures, ApiVersion version,
                            Tenants* tenants, FaultHit& fault,
                            std::optional<domain::TimePoint>& emulated) {
  auto body = parse_request_body(request);
  if (!body) return error_response(body.error());

  std::lock_guard<std::mutex> lock(mutex());
  const StampOnReturn stamp(emulator_, emulated);  // after the lock: stamps before unlocking
  retain_unread_events();
  emulator_.catch_up();
  if (auto_time_ && request.method == Method::kGet) {
    const int user = route.pattern.capture_index("user");
    const int member = route.pattern.capture_index("member");
    if (user >= 0 && member >= 0) {
      // One step per read: a client polling every 3 s sees each phase once, as at MX.
      emulator_.skip_to_job_step(
          captures[static_cast<std::size_t>(user)], captures[static_cast<std::size_t>(member)],
          version == ApiVersion::kV20250224 ? domain::IdentifierMode::kGuidOrId
                                            : domain::IdentifierMode::kGuidOnly);
    }
  }
  if (route.scope != RouteScope::kControl && route.scope != RouteScope::kPage) {
    if (auto answer = injected_fault(request, route, captures, fault)) return *answer;
    if (auto limited = rate_limited(route, captures)) return *limited;
  }
  RouteContext ctx{request, captures, version, emulator_, state_, *body, tenants, this};
  Response response;
  try {
    response = route.handler(ctx);
  } catch (const nlohmann::json::exception& e) {
    // A body field of an unexpected type that a handler read without checking.
    return error_response(400, std::string("Invalid request body: ") + e.what());
  }
  if (store_ != nullptr && wrote_world(request, route, response)) {
    // Still under the lock: the saved state is the one this answer describes, and no later
    // write can be overtaken by this one.
    if (auto saved = store_->save(*this); !saved) return error_response(saved.error());
  }
  return response;
}

}  // namespace mxemu::api
