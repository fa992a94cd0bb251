#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/fixture_loader.h"
#include "api/http_types.h"
#include "api/route_context.h"
#include "api/version.h"
#include "api/webhook_outbox.h"
#include "api/world_config.h"
#include "api/world_store.h"
#include "domain/clock.h"
#include "domain/emulator.h"
#include "domain/tenant_clock.h"

namespace mxemu::api {

struct Route;
class Tenants;

// Everything of one emulated MX client: its clock, the domain emulator with its store and
// timers; the API-layer state around it (faults, rate-limit window, webhook subscriptions and
// outbox); and the one lock that guards all of it. Worlds share nothing mutable, so two tenants'
// requests never wait for each other.
//
// Thread safety: serve(), catch_up() and the webhook calls take the world's lock themselves.
// emulator() and state() are for callers that hold mutex() (tests, the control routes).
class World {
 public:
  // `wall` is the real clock the journal stamps and times requests with (main's system clock; a
  // manual clock in tests); it must outlive the world.
  World(const domain::Clock& clock, const FixtureSet& fixtures, WorldConfig config,
        const domain::Clock& wall, WorldStore* store = nullptr);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const std::string& client_id() const { return client_id_; }
  const std::string& api_key() const { return api_key_; }
  // "Basic base64(client_id:api_key)": what an MX request of this tenant carries.
  const std::string& authorization() const { return authorization_; }
  bool strict_version() const { return strict_version_; }

  std::mutex& mutex() { return emulator_.mutex(); }
  domain::Emulator& emulator() { return emulator_; }
  ServiceState& state() { return state_; }
  // The tenant's pace of time (running, frozen, scaled). REQUIRES: mutex() held.
  domain::TenantClock& clock() { return clock_; }
  // Auto time: a read of a member whose job is running first moves time to the job's next step
  // (Emulator::skip_to_job_step). REQUIRES: mutex() held.
  bool auto_time() const { return auto_time_; }
  void set_auto_time(bool on) { auto_time_ = on; }
  // Empties the tenant: no users, members, faults, journal entries, scripts, events, deliveries or
  // limits, the fixtures' institutions afresh, and time back to the clock's start at its normal
  // pace. The credentials, options and webhook subscriptions stay. REQUIRES: mutex() held.
  void reset();

  // Serves one routed request for this tenant: parses the JSON body, takes the lock, catches up
  // with the clock, applies fault rules, the X-Mxemu-Fault header and the rate limit (MX
  // routes), then runs the route's handler, and journals the exchange. `tenants` is handed to
  // the control routes that manage tenants. With a store, a write answered 2xx (POST, PUT,
  // PATCH or DELETE) is saved before the lock is released; when that fails the answer is 507
  // in MX's envelope instead (docs/persistence.md).
  Response serve(const Request& request, const Route& route,
                 const std::vector<std::string>& captures, ApiVersion version, Tenants* tenants);
  // Journals an answer the service gave this tenant without a route (404, 406) and returns it.
  Response journal_unrouted(const Request& request, Response response);
  const domain::Clock& wall_clock() const { return wall_; }

  // Applies every due event up to the clock's present (the real-clock ticker calls this).
  void catch_up();
  // Generates, outside the lock, the data of the jobs about to store it (domain/data_prefetch.h),
  // so that a new member's first aggregation does not hold every other request of the tenant
  // for milliseconds. The real-clock ticker calls this after catch_up(); a job step that finds
  // nothing prepared generates inline, with the same result.
  void prefetch_data();
  // Widget and OAuth URLs start with it; set once the server knows its port.
  void set_base_url(const std::string& base_url);
  // Whether a page key (a widget token or a member guid in a page URL) belongs to this world.
  bool owns_page_key(const std::string& key);
  // Whether a processor's authorization code or access token was issued by this world.
  bool owns_processor_key(std::string_view key);

  // Webhooks, for the dispatcher: new events become deliveries; those due now are handed out.
  std::vector<WebhookDelivery> take_due_webhooks();
  WebhookAttempt record_webhook(const WebhookDelivery& sent, const WebhookAttemptResult& result);
  void release_webhook(std::uint64_t delivery_id);

  // Persistence (docs/persistence.md): the store this world saves into, or null (memory only).
  WorldStore* store() const { return store_; }
  // Saves the world now, if it has a store (shutdown, start-up flags). Takes the lock.
  domain::Status save();
  // Set by WorldStore::remove(): the tenant was deleted and is never written again.
  bool removed() const { return removed_.load(); }
  void mark_removed() { removed_.store(true); }

 private:
  // `emulated` receives the tenant's time as the answer was made (unset when the request was
  // refused before reaching the tenant).
  Response serve_route(const Request& request, const Route& route,
                       const std::vector<std::string>& captures, ApiVersion version,
                       Tenants* tenants, FaultHit& fault,
                       std::optional<domain::TimePoint>& emulated);
  // The fault rule or X-Mxemu-Fault header that applies (recorded in `fault`), with its latency
  // applied; the answer that replaces serving, if any.
  std::optional<Response> injected_fault(const Request& request, const Route& route,
                                         const std::vector<std::string>& captures, FaultHit& fault);
  // Records one exchange. Takes the journal's own lock, not the tenant's: `emulated` is the
  // tenant's time the answer was made at (read under the tenant's lock when unset).
  void journal(const Request& request, const Route* route, const std::vector<std::string>& captures,
               ApiVersion version, const Response& response, domain::TimePoint started,
               std::string fault_id, std::optional<domain::TimePoint> emulated);
  std::optional<Response> rate_limited(const Route& route,
                                       const std::vector<std::string>& captures);
  // Tells the event log which events the webhook outbox has yet to read, so it keeps them past
  // its capacity (Emulator::keep_events_after). REQUIRES: mutex() held; before events happen.
  void retain_unread_events();

  const FixtureSet fixtures_;  // shared, never modified: a reset takes its institutions afresh
  const domain::Clock& wall_;
  domain::TenantClock clock_;
  bool auto_time_ = false;
  std::string client_id_;
  std::string api_key_;
  std::string authorization_;
  bool strict_version_;
  domain::Emulator emulator_;
  ServiceState state_;
  WorldStore* store_;
  std::atomic<bool> removed_{false};
};

// The one factory: main, the tests, the scenario runner and the tenant registry build worlds
// with it and nothing else assembles one.
// `clock` is the process's base clock, which must outlive the world; `fixtures` the institutions
// and data catalog, which the world shares (FixtureSet). `wall` (default: `clock`) times and stamps
// the journal; main passes the system clock, so a manual emulated clock still journals real times.
// `store` (default: none) keeps the world durable and must outlive it.
std::unique_ptr<World> make_world(const domain::Clock& clock, const FixtureSet& fixtures,
                                  WorldConfig config, const domain::Clock* wall = nullptr,
                                  WorldStore* store = nullptr);

// "Basic " + base64(client_id:api_key).
std::string basic_authorization(const std::string& client_id, const std::string& api_key);

// Base64 (RFC 4648, with padding), for Basic auth.
std::string base64_encode(std::string_view bytes);

}  // namespace mxemu::api
