#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/fixture_loader.h"
#include "api/world.h"
#include "api/world_store.h"
#include "domain/clock.h"
#include "domain/error.h"

namespace mxemu::api {

// The worlds one mxemu process serves, one per client_id/api_key pair. The default tenant comes
// from the flags and cannot be removed; others come from --tenants FILE or the control API.
//
// Each world gets its own guid seed (the configured seed mixed with its client_id), so one
// tenant's guids never name a record of another: a foreign guid is simply unknown, a 404.
//
// Thread safety: every method may be called from any thread. Lookups take a shared lock on the
// directory only, never a world's lock, so tenants do not wait for each other.
class Tenants {
 public:
  // `wall` (default: `clock`) is the real clock every world's journal uses; it must outlive this.
  // `store` (default: none, memory only) keeps every world and the directory durable
  // (docs/persistence.md); it must outlive this. The default world is not saved here: the
  // caller first restores what the store holds (load()), then saves.
  Tenants(const domain::Clock& clock, FixtureSet fixtures, WorldConfig default_config,
          const domain::Clock* wall = nullptr, WorldStore* store = nullptr);
  Tenants(const Tenants&) = delete;
  Tenants& operator=(const Tenants&) = delete;

  World& default_world() { return *default_; }
  std::shared_ptr<World> default_ptr() const { return default_; }
  // The world whose credentials make this Authorization header value, or null.
  std::shared_ptr<World> find_by_authorization(std::string_view authorization) const;
  std::shared_ptr<World> find_by_client_id(std::string_view client_id) const;
  // The world that issued this widget token or holds this member guid, or null.
  std::shared_ptr<World> find_by_page_key(const std::string& key) const;
  // The world that issued this processor code or access token, or null.
  std::shared_ptr<World> find_by_processor_key(std::string_view key) const;
  // Every world, the default first, then by client_id.
  std::vector<std::shared_ptr<World>> list() const;

  // A new tenant with `config`'s credentials and options. kConflict when the client_id is taken;
  // kBadRequest when client_id or api_key is empty or holds a ':' (Basic auth cannot carry it).
  // With a store the new tenant is durable before it is served (else kInsufficientStorage).
  domain::Result<std::shared_ptr<World>> create(WorldConfig config);
  // Removes a tenant; in-flight requests finish on their own reference. The default tenant
  // cannot be removed (kBadRequest); an unknown one is kNotFound. With a store the tenant is
  // gone from it before this returns (else kInsufficientStorage, and the tenant stays).
  domain::Status remove(std::string_view client_id);
  // A tenant a store held: `config` exactly as saved (its seed already the tenant's own, not
  // mixed again), filled by `fill` under the new world's lock before anyone can see it. Not
  // saved again. kConflict when the client_id is taken; `fill`'s error as it is.
  domain::Result<std::shared_ptr<World>> load(WorldConfig config,
                                              const std::function<domain::Status(World&)>& fill);

  // A config for a new tenant: the default tenant's options and policies, these credentials.
  WorldConfig config_like_default(std::string client_id, std::string api_key) const;
  // Fresh credentials for a tenant created without any: "tenant-N" (N counts up from 1, skipping
  // ids in use) and a 32-hex-digit key drawn from the default seed, so a run is reproducible.
  std::pair<std::string, std::string> generate_credentials();
  void set_base_url(const std::string& base_url);

 private:
  // Adds a built world to the directory (kConflict when its client_id is taken), saving it first
  // when `save` is set and there is a store.
  domain::Result<std::shared_ptr<World>> insert(std::shared_ptr<World> world, bool save);

  const domain::Clock& clock_;
  const domain::Clock& wall_;
  const FixtureSet fixtures_;
  const WorldConfig default_config_;
  WorldStore* const store_;
  mutable std::shared_mutex mutex_;
  std::shared_ptr<World> default_;
  std::vector<std::shared_ptr<World>> others_;  // sorted by client_id
  std::string base_url_;
  std::uint64_t generated_ = 0;  // credentials handed out by generate_credentials()
};

}  // namespace mxemu::api
