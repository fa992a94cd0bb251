#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/fixture_loader.h"
#include "api/tenants.h"
#include "api/world.h"
#include "domain/emulator.h"
#include "domain/timestamps.h"

namespace mxemu::testing {

// 2024-03-01T09:00:00Z: every test starts its own emulator at the same virtual instant.
inline domain::TimePoint test_start() { return *domain::parse_iso8601("2024-03-01T09:00:00Z"); }

// The credentials and base URL every test world uses unless it says otherwise.
inline api::WorldConfig test_world_config(domain::EmulatorOptions options = {}) {
  api::WorldConfig config;
  config.client_id = "client";
  config.api_key = "key";
  config.emulator = options;
  return config;
}
inline constexpr const char* kTestBaseUrl = "http://127.0.0.1:9999";

// A fresh set of tenants on a manual clock with the repository's fixtures, built by the same
// factory main uses; the default tenant's emulator is what operator-> reaches. Tests move time
// with advance(); nothing here sleeps.
class TestEmulator {
 public:
  explicit TestEmulator(domain::EmulatorOptions options = {})
      : TestEmulator(test_world_config(options)) {}
  explicit TestEmulator(api::WorldConfig config) : clock_(test_start()) {
    auto fixtures = api::load_embedded_fixtures();
    if (!fixtures) throw std::runtime_error(fixtures.error().message);
    tenants_ = std::make_unique<api::Tenants>(clock_, std::move(*fixtures), std::move(config));
    tenants_->set_base_url(kTestBaseUrl);
  }

  domain::Emulator& operator*() { return world().emulator(); }
  domain::Emulator* operator->() { return &world().emulator(); }
  domain::ManualClock& clock() { return clock_; }
  api::Tenants& tenants() { return *tenants_; }
  api::World& world() { return tenants_->default_world(); }

  void advance(long long seconds) { world().emulator().advance(domain::Seconds{seconds}); }

  std::string user(const std::string& partner_id = "") {
    domain::UserFields f;
    f.id = partner_id.empty() ? "user-" + std::to_string(++users_) : partner_id;
    return (*world().emulator().create_user(f))->guid;
  }

  // The guid of the institution's credential field named `field_name` ("LOGIN", "PASSWORD").
  std::string credential_guid(const std::string& institution, const std::string& field_name) {
    for (const auto& f : world().emulator().find_institution(institution)->credentials) {
      if (f.field_name == field_name) return f.guid;
    }
    throw std::runtime_error("no " + field_name + " at " + institution);
  }

  std::vector<domain::CredentialValue> credentials(const std::string& institution,
                                                   const std::string& password,
                                                   const std::string& username = "mxuser") {
    std::vector<domain::CredentialValue> out;
    for (const auto& f : world().emulator().find_institution(institution)->credentials) {
      out.push_back({f.guid, f.is_password ? password : f.is_login ? username : "1234"});
    }
    return out;
  }

  domain::Result<const domain::Member*> member(const std::string& user_guid,
                                               const std::string& institution,
                                               const std::string& password,
                                               const std::string& username = "mxuser") {
    domain::MemberCreate req;
    req.institution_code = institution;
    req.credentials = credentials(institution, password, username);
    return world().emulator().create_member(user_guid, domain::IdentifierMode::kGuidOnly, req);
  }

  const domain::Member& get(const std::string& member_guid) {
    return *world().emulator().member_by_guid(member_guid);
  }

  // Advances one emulated second at a time until the member's job is over (bounded).
  const domain::Member& settle(const std::string& member_guid, int max_seconds = 3600) {
    for (int i = 0; i < max_seconds && get(member_guid).job &&
                    get(member_guid).job->phase != domain::JobPhase::kAwaitingAnswer;
         ++i) {
      advance(1);
    }
    return get(member_guid);
  }

 private:
  domain::ManualClock clock_;
  std::unique_ptr<api::Tenants> tenants_;
  int users_ = 0;
};

}  // namespace mxemu::testing
