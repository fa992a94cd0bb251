#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/fixture_loader.h"
#include "api/world.h"
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
  Tenants(const domain::Clock& clock, FixtureSet fixtures, WorldConfig default_config,
          const domain::Clock* wall = nullptr);
  Tenants(const Tenants&) = delete;
  Tenants& operator=(const Tenants&) = delete;

  World& default_world() { return *default_; }
  std::shared_ptr<World> default_ptr() const { return default_; }
  // The world whose credentials make this Authorization header value, or null.
  std::shared_ptr<World> find_by_authorization(std::string_view authorization) const;
  std::shared_ptr<World> find_by_client_id(std::string_view client_id) const;
  // The world that issued this widget token or holds this member guid, or null.
  std::shared_ptr<World> find_by_page_key(const std::string& key) const;
  // Every world, the default first, then by client_id.
  std::vector<std::shared_ptr<World>> list() const;

  // A new tenant with `config`'s credentials and options. kConflict when the client_id is taken;
  // kBadRequest when client_id or api_key is empty or holds a ':' (Basic auth cannot carry it).
  domain::Result<std::shared_ptr<World>> create(WorldConfig config);
  // Removes a tenant; in-flight requests finish on their own reference. The default tenant
  // cannot be removed (kBadRequest); an unknown one is kNotFound.
  domain::Status remove(std::string_view client_id);

  // A config for a new tenant: the default tenant's options and policies, these credentials.
  WorldConfig config_like_default(std::string client_id, std::string api_key) const;
  // Fresh credentials for a tenant created without any: "tenant-N" (N counts up from 1, skipping
  // ids in use) and a 32-hex-digit key drawn from the default seed, so a run is reproducible.
  std::pair<std::string, std::string> generate_credentials();
  void set_base_url(const std::string& base_url);

 private:
  const domain::Clock& clock_;
  const domain::Clock& wall_;
  const FixtureSet fixtures_;
  const WorldConfig default_config_;
  mutable std::shared_mutex mutex_;
  std::shared_ptr<World> default_;
  std::vector<std::shared_ptr<World>> others_;  // sorted by client_id
  std::string base_url_;
  std::uint64_t generated_ = 0;  // credentials handed out by generate_credentials()
};

}  // namespace mxemu::api
