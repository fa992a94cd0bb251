#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/request_target.h"
#include "api/service.h"
#include "support/test_emulator.h"

namespace mxemu::testing {

// Drives an api::Service in process, the way an HTTP client would: same requests, same
// responses, no sockets. Credentials and version headers default to what an MX client sends.
class ApiClient {
 public:
  explicit ApiClient(domain::EmulatorOptions options = {})
      : emu_(options), service_(std::make_unique<api::Service>(emu_.tenants())) {}
  explicit ApiClient(api::WorldConfig config)
      : emu_(std::move(config)), service_(std::make_unique<api::Service>(emu_.tenants())) {}

  TestEmulator& emu() { return emu_; }
  api::Service& service() { return *service_; }

  api::Request request(api::Method method, const std::string& target,
                       const nlohmann::json& body = nullptr) const {
    api::Request r;
    r.method = method;
    // The adapter's own conversion; a target it refuses is sent as it is, for tests of that.
    if (!api::parse_request_target(target, r)) r.path = target;
    if (!authorization_.empty()) r.headers.emplace("Authorization", authorization_);
    if (version_ == "v20250224") {
      r.headers.emplace("Accept", "application/json");
      r.headers.emplace("Accept-Version", "v20250224");
    } else {
      r.headers.emplace("Accept", "application/vnd.mx.api.v1+json");
    }
    if (!body.is_null()) {
      r.headers.emplace("Content-Type", "application/json");
      r.body = body.dump();
    }
    return r;
  }

  api::Response send(const api::Request& r) { return service_->handle(r); }
  api::Response get(const std::string& target) { return send(request(api::Method::kGet, target)); }
  api::Response post(const std::string& target, const nlohmann::json& body = nullptr) {
    return send(request(api::Method::kPost, target, body));
  }
  api::Response put(const std::string& target, const nlohmann::json& body) {
    return send(request(api::Method::kPut, target, body));
  }
  api::Response del(const std::string& target) {
    return send(request(api::Method::kDelete, target));
  }

  void use_version(std::string v) { version_ = std::move(v); }
  // Later requests carry these Basic credentials (another tenant's); empty: none at all.
  void use_credentials(const std::string& client_id, const std::string& api_key) {
    authorization_ = client_id.empty() ? "" : api::basic_authorization(client_id, api_key);
  }

  static nlohmann::json json(const api::Response& r) { return nlohmann::json::parse(r.body); }

  // POST /users and return the new guid.
  std::string create_user(const std::string& id) {
    return json(post("/users", {{"user", {{"id", id}}}}))["user"]["guid"];
  }

  // POST /users/{u}/members at an institution with the given password; returns the member JSON.
  nlohmann::json create_member(const std::string& user, const std::string& institution,
                               const std::string& password,
                               const std::string& username = "mxuser") {
    nlohmann::json creds = nlohmann::json::array();
    for (const auto& c : emu_.credentials(institution, password, username)) {
      creds.push_back({{"guid", c.guid}, {"value", c.value}});
    }
    auto r = post("/users/" + user + "/members",
                  {{"member", {{"institution_code", institution}, {"credentials", creds}}}});
    return json(r);
  }

 private:
  TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::string version_ = "v20111101";
  std::string authorization_ = api::basic_authorization("client", "key");
};

}  // namespace mxemu::testing
