#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "target.h"

// "No accepted write is lost": the MX writes a scenario's session had answered with 2xx, and
// the check that the world (its tenant snapshot) still holds each one's effect.
namespace mxemu::replay {

// The effects of accepted writes that must stay visible, newest write per field winning:
//  - POST /users → the user exists, with the id, email, metadata and is_disabled it was sent;
//    PUT /users/{user} → those fields as sent;
//  - POST …/members → the member exists under its user, with the credentials (guid → value),
//    id and metadata sent; PUT …/members/{member} → those as sent;
//  - DELETE of a user or member → it is gone (and a user's members with it);
//  - an aggregation or premium job answered with the member's `aggregated_at` → the world's
//    aggregated_at is no earlier (an accepted job start is never forgotten).
// A member MX itself deleted (a MEMBER "deleted" event) is not counted as lost. MFA answers
// (PUT …/resume) are consumed by the job and leave no lasting field, so they are not checked.
// A tenant reset or snapshot import (2xx) forgets everything recorded before it.
class AcceptedWrites {
 public:
  // One answered request, as the session sent it (`target` may carry a query string).
  void record(const std::string& method, const std::string& target, const std::string& body,
              const Reply& reply);

  // One line per accepted write whose effect `world` (GET /_emulator/snapshot) does not hold.
  // `events` are the tenant's events so far (GET /_emulator/events), for MX's own deletions.
  std::vector<std::string> check(const nlohmann::json& world, const nlohmann::json& events) const;

  // How many accepted writes have been recorded (since the last reset).
  int count() const { return count_; }

 private:
  struct UserFacts {
    nlohmann::json fields = nlohmann::json::object();  // id, email, metadata, is_disabled
    bool deleted = false;
  };
  struct MemberFacts {
    std::string user_guid;
    nlohmann::json fields = nlohmann::json::object();  // id, metadata
    std::map<std::string, std::string> credentials;    // credential guid → value
    std::string aggregated_at;                         // newest accepted job start (ISO 8601)
    bool deleted = false;
  };
  std::map<std::string, UserFacts> users_;
  std::map<std::string, MemberFacts> members_;
  int count_ = 0;
};

// A session that records every request it passes on into `ledger`. An exchange whose own
// Authorization header is not the session's (another tenant's, or a wrong one) is not recorded.
class RecordingSession final : public Session {
 public:
  RecordingSession(Session& inner, AcceptedWrites& ledger) : inner_(inner), ledger_(ledger) {}
  Reply send(const std::string& method, const std::string& target,
             const std::string& body) override;
  std::string curl(const std::string& method, const std::string& target,
                   const std::string& body) const override {
    return inner_.curl(method, target, body);
  }
  Reply exchange(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) override;
  std::pair<std::string, std::string> credentials() const override { return inner_.credentials(); }

 private:
  Session& inner_;
  AcceptedWrites& ledger_;
};

}  // namespace mxemu::replay
