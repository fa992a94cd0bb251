#include "api/tenants.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <utility>

#include "api/splitmix.h"

namespace mxemu::api {
namespace {

// FNV-1a: a stable mix of the client_id into the seed, the same on every run and machine.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

bool valid_credential(const std::string& s) {
  return !s.empty() && s.find(':') == std::string::npos && s.size() <= 256 &&
         std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string hex64(std::uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4U) out[static_cast<std::size_t>(i)] = kHex[v & 15U];
  return out;
}

}  // namespace

Tenants::Tenants(const domain::Clock& clock, FixtureSet fixtures, WorldConfig default_config,
                 const domain::Clock* wall, WorldStore* store)
    : clock_(clock),
      wall_(wall ? *wall : clock),
      fixtures_(std::move(fixtures)),
      default_config_(default_config),
      store_(store) {
  default_ = make_world(clock_, fixtures_, std::move(default_config), &wall_, store_);
}

std::shared_ptr<World> Tenants::find_by_authorization(std::string_view authorization) const {
  std::shared_lock lock(mutex_);
  if (default_->authorization() == authorization) return default_;
  for (const auto& w : others_) {
    if (w->authorization() == authorization) return w;
  }
  return nullptr;
}

std::shared_ptr<World> Tenants::find_by_client_id(std::string_view client_id) const {
  std::shared_lock lock(mutex_);
  if (default_->client_id() == client_id) return default_;
  auto it =
      std::lower_bound(others_.begin(), others_.end(), client_id,
                       [](const auto& w, std::string_view id) { return w->client_id() < id; });
  return it != others_.end() && (*it)->client_id() == client_id ? *it : nullptr;
}

std::shared_ptr<World> Tenants::find_by_page_key(const std::string& key) const {
  for (const auto& w : list()) {
    if (w->owns_page_key(key)) return w;
  }
  return nullptr;
}

std::shared_ptr<World> Tenants::find_by_processor_key(std::string_view key) const {
  for (const auto& w : list()) {
    if (w->owns_processor_key(key)) return w;
  }
  return nullptr;
}

std::vector<std::shared_ptr<World>> Tenants::list() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<World>> out;
  out.reserve(others_.size() + 1);
  out.push_back(default_);
  out.insert(out.end(), others_.begin(), others_.end());
  return out;
}

WorldConfig Tenants::config_like_default(std::string client_id, std::string api_key) const {
  WorldConfig config = default_config_;
  config.client_id = std::move(client_id);
  config.api_key = std::move(api_key);
  return config;
}

std::pair<std::string, std::string> Tenants::generate_credentials() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const std::uint64_t n = ++generated_;
    std::string client_id = "tenant-" + std::to_string(n);
    const bool taken = default_->client_id() == client_id ||
                       std::any_of(others_.begin(), others_.end(),
                                   [&](const auto& w) { return w->client_id() == client_id; });
    if (taken) continue;
    const std::uint64_t base = default_config_.emulator.seed ^ fnv1a(client_id);
    return {std::move(client_id), hex64(splitmix64(base)) + hex64(splitmix64(base + 1))};
  }
}

domain::Result<std::shared_ptr<World>> Tenants::create(WorldConfig config) {
  if (!valid_credential(config.client_id) || !valid_credential(config.api_key)) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "client_id and api_key must be 1-256 printable characters "
                              "without ':'.");
  }
  config.emulator.seed ^= fnv1a(config.client_id);
  return insert(std::shared_ptr<World>(make_world(clock_, fixtures_, config, &wall_, store_)),
                /*save=*/true);
}

domain::Result<std::shared_ptr<World>> Tenants::load(
    WorldConfig config, const std::function<domain::Status(World&)>& fill) {
  auto world = std::shared_ptr<World>(make_world(clock_, fixtures_, config, &wall_, store_));
  {
    std::lock_guard<std::mutex> lock(world->mutex());  // nobody else sees it yet
    if (auto filled = fill(*world); !filled) return filled.error();
  }
  return insert(std::move(world), /*save=*/false);
}

domain::Result<std::shared_ptr<World>> Tenants::insert(std::shared_ptr<World> world, bool save) {
  // Lock order on every path: a world's lock, then the directory's, then the store's. A control
  // request holds its own world's lock while it creates a tenant, so the new world's lock is
  // taken before the directory's here too, although nobody else sees that world yet.
  std::lock_guard<std::mutex> world_lock(world->mutex());
  std::unique_lock lock(mutex_);
  const std::string& client_id = world->client_id();
  if (default_->client_id() == client_id ||
      std::any_of(others_.begin(), others_.end(),
                  [&](const auto& w) { return w->client_id() == client_id; })) {
    return domain::make_error(domain::ErrorCode::kConflict,
                              "A tenant with client_id " + client_id + " exists.");
  }
  if (!base_url_.empty()) world->state().base_url = base_url_;
  // Under the directory's lock, so a second creation of the same client_id waits and then sees
  // the conflict.
  if (save && store_ != nullptr) {
    if (auto saved = store_->save(*world); !saved) return saved.error();
  }
  auto at =
      std::lower_bound(others_.begin(), others_.end(), client_id,
                       [](const auto& w, const std::string& id) { return w->client_id() < id; });
  others_.insert(at, world);
  return world;
}

domain::Status Tenants::remove(std::string_view client_id) {
  std::unique_lock lock(mutex_);
  if (default_->client_id() == client_id) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "The default tenant cannot be removed; reset it instead.");
  }
  auto it = std::find_if(others_.begin(), others_.end(),
                         [&](const auto& w) { return w->client_id() == client_id; });
  if (it == others_.end()) {
    return domain::make_error(domain::ErrorCode::kNotFound,
                              "No tenant with client_id " + std::string(client_id) + ".");
  }
  if (store_ != nullptr) {
    if (auto removed = store_->remove(**it); !removed) return removed;
  }
  others_.erase(it);
  return domain::ok_status();
}

void Tenants::set_base_url(const std::string& base_url) {
  {
    std::unique_lock lock(mutex_);
    base_url_ = base_url;
  }
  // Outside the directory's lock: a control request holds its world's lock while it creates a
  // tenant, so the directory's lock is never held while waiting for a world's.
  for (const auto& w : list()) w->set_base_url(base_url);
}

}  // namespace mxemu::api
