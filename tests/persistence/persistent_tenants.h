#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "api/request_target.h"
#include "api/service.h"
#include "api/snapshot_codec.h"
#include "api/tenants.h"
#include "api/world_snapshot.h"
#include "storage/sqlite_world_store.h"
#include "support/test_emulator.h"

namespace mxemu::testing {

// A fresh directory under the system's temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mxemu-persist-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One "process" in memory: a manual clock, the tenants and the service, built the way main
// builds them; with a data dir when `dir` is given (claimed, read, loaded), memory only when
// empty. Destroying it is the restart (the data dir's lock goes with the store).
class PersistentTenants {
 public:
  explicit PersistentTenants(const std::string& dir, storage::SqliteWorldStoreOptions options = {},
                             api::WorldConfig config = test_world_config())
      : clock_(test_start()) {
    std::vector<storage::StoredTenant> stored;
    if (!dir.empty()) {
      auto opened = storage::SqliteWorldStore::open(dir, options);
      if (!opened) throw std::runtime_error(opened.error().message);
      store_ = std::move(*opened);
      auto read = store_->read_all();
      if (!read) throw std::runtime_error(read.error().message);
      stored = std::move(*read);
      for (const auto& t : stored) {
        if (t.config.client_id == config.client_id) config = t.config;
      }
    }
    auto fixtures = api::load_embedded_fixtures();
    if (!fixtures) throw std::runtime_error(fixtures.error().message);
    tenants_ = std::make_unique<api::Tenants>(clock_, std::move(*fixtures), std::move(config),
                                              nullptr, store_.get());
    tenants_->set_base_url(kTestBaseUrl);
    if (store_) {
      auto loaded = storage::load_tenants(*store_, stored, *tenants_);
      if (!loaded) throw std::runtime_error(loaded.error().message);
    }
    service_ = std::make_unique<api::Service>(*tenants_);
  }

  api::Tenants& tenants() { return *tenants_; }
  storage::SqliteWorldStore* store() { return store_.get(); }
  domain::ManualClock& clock() { return clock_; }

  // An MX or control request as a client sends it, with `authorization` (the default tenant's
  // when empty).
  api::Response send(api::Method method, const std::string& target,
                     const nlohmann::json& body = nullptr, std::string authorization = "") {
    api::Request r;
    r.method = method;
    if (!api::parse_request_target(target, r)) r.path = target;
    r.headers.emplace("Authorization", authorization.empty()
                                           ? tenants_->default_world().authorization()
                                           : authorization);
    r.headers.emplace("Accept", "application/vnd.mx.api.v1+json");
    if (!body.is_null()) {
      r.headers.emplace("Content-Type", "application/json");
      r.body = body.dump();
    }
    return service_->handle(r);
  }

  // Every tenant's snapshot JSON text, by client_id: what a restart must give back byte for byte.
  std::map<std::string, std::string> snapshots() {
    std::map<std::string, std::string> out;
    for (const auto& w : tenants_->list()) {
      std::lock_guard<std::mutex> lock(w->mutex());
      out[w->client_id()] = api::encode_snapshot(api::snapshot_world(*w)).dump();
    }
    return out;
  }

 private:
  domain::ManualClock clock_;
  std::unique_ptr<storage::SqliteWorldStore> store_;  // outlives the tenants' worlds
  std::unique_ptr<api::Tenants> tenants_;
  std::unique_ptr<api::Service> service_;
};

}  // namespace mxemu::testing
