#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/fixture_loader.h"
#include "domain/emulator.h"
#include "domain/timestamps.h"

namespace mxemu::testing {

// 2024-03-01T09:00:00Z: every test starts its own emulator at the same virtual instant.
inline domain::TimePoint test_start() { return *domain::parse_iso8601("2024-03-01T09:00:00Z"); }

// A fresh emulator on a manual clock with the repository's fixtures. Tests move time with
// advance(); nothing here sleeps.
class TestEmulator {
 public:
  explicit TestEmulator(domain::EmulatorOptions options = {}) : clock_(test_start()) {
    auto fixtures = api::load_embedded_fixtures();
    if (!fixtures) throw std::runtime_error(fixtures.error().message);
    emulator_ = std::make_unique<domain::Emulator>(clock_, std::move(fixtures->institutions),
                                                   std::move(fixtures->catalog), options);
  }

  domain::Emulator& operator*() { return *emulator_; }
  domain::Emulator* operator->() { return emulator_.get(); }
  domain::ManualClock& clock() { return clock_; }

  void advance(long long seconds) { emulator_->advance(domain::Seconds{seconds}); }

  std::string user(const std::string& partner_id = "") {
    domain::UserFields f;
    f.id = partner_id.empty() ? "user-" + std::to_string(++users_) : partner_id;
    return (*emulator_->create_user(f))->guid;
  }

  // The guid of the institution's credential field named `field_name` ("LOGIN", "PASSWORD").
  std::string credential_guid(const std::string& institution, const std::string& field_name) {
    for (const auto& f : emulator_->find_institution(institution)->credentials) {
      if (f.field_name == field_name) return f.guid;
    }
    throw std::runtime_error("no " + field_name + " at " + institution);
  }

  std::vector<domain::CredentialValue> credentials(const std::string& institution,
                                                   const std::string& password,
                                                   const std::string& username = "mxuser") {
    std::vector<domain::CredentialValue> out;
    for (const auto& f : emulator_->find_institution(institution)->credentials) {
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
    return emulator_->create_member(user_guid, domain::IdentifierMode::kGuidOnly, req);
  }

  const domain::Member& get(const std::string& member_guid) {
    return *emulator_->member_by_guid(member_guid);
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
  std::unique_ptr<domain::Emulator> emulator_;
  int users_ = 0;
};

}  // namespace mxemu::testing
